"""Problems are data: a stable code, a location and a message in Chinese (and English)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from generator.records.personal import screen

ERROR = "error"
WARNING = "warning"
INFO = "info"  # worth knowing, never a reason to change anything (shown as a GitHub notice)


@dataclass(frozen=True)
class Problem:
    """One finding about one place in the records."""

    code: str
    severity: str
    path: str
    row: int | None = None
    field: str | None = None
    message: str = ""
    message_en: str = ""
    branch: str | None = None
    column: int | None = None
    rows: tuple[int, ...] = ()  # further lines one problem covers: a cause named once for many lines (diagnose)

    def as_dict(self, lang: str = "zh") -> dict:
        data = asdict(self)
        data["message"] = self.message if lang == "zh" else (self.message_en or self.message)
        del data["message_en"]
        if not self.rows:
            del data["rows"]
        else:
            data["rows"] = list(self.rows)
        return data

    def sort_key(self) -> tuple:
        return (self.path, self.row or 0, self.column or 0, self.code, self.field or "")


# code -> (severity, Chinese template, English template). Templates use str.format fields.
CATALOG: dict[str, tuple[str, str, str]] = {
    "encoding-error": (ERROR, "文件不是 UTF-8 编码（{detail}）。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”，"
                       "或用记事本“另存为 → 编码 UTF-8”后重新提交。",
                       "File is not UTF-8 ({detail}). Re-save it as 'CSV UTF-8' and submit again."),
    "file-too-large": (ERROR, "文件过大（{size}，上限 {limit}）。一个支部的记录不应这么大，请检查是否误提交了其他数据。",
                       "File too large ({size}, limit {limit})."),
    "empty-file": (ERROR, "文件是空的。请至少保留表头行（{detail}）。", "The file is empty ({detail})."),
    "yaml-syntax": (ERROR, "YAML 格式错误：{detail}。{fix}", "YAML syntax error: {detail_en}."),
    "yaml-duplicate-key": (ERROR, "键“{key}”重复出现（首次在第 {first} 行）。请删除或合并重复的键。",
                           "Duplicate key '{key}' (first on line {first})."),
    "yaml-alias": (ERROR, "记录文件中不允许使用 YAML 锚点引用（*别名）。请直接写出取值。",
                   "YAML aliases are not allowed in records; write values out."),
    "yaml-invalid": (ERROR, "{detail}", "{detail_en}"),
    "missing-file": (ERROR, "缺少必需的文件 {name}。请按模板补上（可复制其他支部的文件，只保留表头）。",
                     "Required file {name} is missing."),
    "branch-yaml-missing": (ERROR, "支部文件夹中没有 branch.yaml。每个支部文件夹都必须有 branch.yaml（支部基本信息）。",
                            "Branch folder has no branch.yaml."),
    "unit-yaml-missing": (ERROR, "单位文件夹中没有 unit.yaml。请补上单位基本信息（code、name、kind）。",
                          "Unit folder has no unit.yaml."),
    "stray-file": (ERROR, "records/ 中不应有文件“{name}”。只接受 YAML 和 CSV 记录文件；Excel 文件请另存为 CSV UTF-8 后提交。",
                   "Unexpected file '{name}' in records/."),
    "duplicate-code": (ERROR, "代码“{code}”与 {other} 重复。支部代码在全库必须唯一。",
                       "Code '{code}' duplicates {other}."),
    "code-mismatch": (ERROR, "文件中的 code“{code}”与文件夹名“{folder}”不一致。请让二者相同。",
                      "code '{code}' does not match folder '{folder}'."),
    "invalid-code": (ERROR, "名称“{name}”不能作为代码：只能使用小写英文字母、数字和连字符（-），且以字母或数字开头。",
                     "'{name}' is not a valid code ([a-z0-9-])."),
    "unsafe-path": (ERROR, "不安全的路径：{detail}。该文件未被读取。", "Unsafe path: {detail_en}; not read."),
    "stray-folder": (ERROR, "支部文件夹中不应有子文件夹“{name}”：记录文件直接放在 records/<单位>/<支部>/ 中。请把需要的文件移到支部文件夹，再删除这个子文件夹（其中的内容未被读取）。",
                     "Unexpected folder '{name}' in a branch folder: record files sit directly in records/<unit>/<branch>/ (its content was not read)."),
    "type-error": (ERROR, "“{value}”不是有效的{type_zh}。{hint}", "'{value}' is not a valid {type}. {hint_en}"),
    "constraint-error": (ERROR, "取值“{value}”不符合要求：{detail}。", "Value '{value}' violates: {detail_en}."),
    "meeting-kind-unknown": (ERROR, "会议类型“{value}”不在规定范围内。{suggestion}请使用：{allowed}。",
                             "Unknown meeting kind '{value}'. Use one of: {allowed}."),
    "primary-key": (ERROR, "与第 {other} 行重复（{fields} 必须唯一）。请删除重复行或更正编号。",
                    "Duplicate of line {other} ({fields} must be unique)."),
    "foreign-key": (ERROR, "“{value}”在 {target} 中找不到。请先在 {target} 中登记，或更正此编号。",
                    "'{value}' not found in {target}."),
    "missing-label": (ERROR, "缺少列“{name}”。表头应为：{expected}。", "Missing column '{name}'. Expected: {expected}."),
    "extra-label": (ERROR, "多出了未知的列“{name}”。表头应为：{expected}。", "Unknown column '{name}'. Expected: {expected}."),
    "duplicate-label": (ERROR, "列名“{name}”重复。", "Duplicate column '{name}'."),
    "blank-label": (ERROR, "第 {number} 列没有列名。", "Column {number} has no header."),
    "blank-row": (ERROR, "这是一个空行。请删除空行。", "Blank row; delete it."),
    "extra-cell": (ERROR, "这一行的单元格比表头多{more}。请检查是否多了逗号（内容含逗号时请用英文双引号括起来）。",
                   "Row has more cells than the header{more_en}."),
    "missing-cell": (ERROR, "这一行的单元格比表头少（缺少“{name}”）。", "Row has fewer cells than the header."),
    "stray-whitespace": (ERROR, "取值“{value}”首尾有多余空格。请删除空格。", "Value '{value}' has stray spaces."),
    "fullwidth-digits": (ERROR, "取值“{value}”含全角数字或符号。请切换到半角（英文）输入法重新输入。",
                         "Value '{value}' contains full-width characters."),
    "personal-data": (ERROR, "疑似个人信息（{kind}：{masked}）{where}。公开记录中不得出现身份证号、手机号、电子邮箱等个人信息，"
                      "请删除；成员只用化名编号。",
                      "Looks like personal data ({kind_en}: {masked}){where_en}; remove it."),
    "date-order": (ERROR, "日期顺序不对：{detail}。", "Dates out of order: {detail_en}."),
    "present-exceeds-expected": (ERROR, "实到人数 {present} 大于应到人数 {expected}。请核对：两列是否填反了；应到人数是否少算了"
                                 "（党员大会为当日本支部全体党员，支委会为支委人数，党小组会为该小组党员数）；实到是否算进了列席的人"
                                 "（列席人员不计入实到）。",
                                 "present {present} > expected {expected}: check whether the two columns are swapped, "
                                 "whether expected left someone out, and that guests are not counted as present."),
    "unknown-group": (ERROR, "党小组“{value}”未在 branch.yaml 的 groups 中登记。", "Group '{value}' is not declared."),
    "group-required": (ERROR, "党小组会必须填写 group（党小组代码）。", "A 党小组会 needs a group."),
    "unknown-member": (ERROR, "成员编号“{value}”不在本支部 members.csv 中。", "Member '{value}' not in members.csv."),
    "left-reason": (ERROR, "{detail}", "{detail_en}"),
    "future-date": (WARNING, "日期 {value} 晚于{after}。请确认是否填错。", "Date {value} is after {after_en}."),
    "unknown-rule": (ERROR, "规则编号“{value}”不存在。可用规则见站点“标准”页。", "Unknown rule '{value}'."),
    "codeowners-stale": (WARNING, ".github/CODEOWNERS {detail}，与 organization.yaml、unit.yaml、branch.yaml 中登记的维护人"
                         "（maintainers）不一致。请运行 zhibu codeowners 重新生成，并与记录的改动一起提交。",
                         ".github/CODEOWNERS {detail_en}; run `zhibu codeowners` and commit it with the records."),
    "branch-deleted": (WARNING, "支部文件夹 {value} 自 {ref} 以来被删除。如属撤销支部，请在合并请求中说明。",
                       "Branch folder {value} was deleted since {ref}."),
    "branch-renamed": (WARNING, "支部文件夹 {old} 自 {ref} 以来改名为 {new}。支部代码应永久不变（网站地址、历史记录和开放数据都以它为准）；"
                       "如确需更名，请在合并请求中说明理由，由学校党委审核。",
                       "Branch folder {old} was renamed to {new} since {ref}; branch codes are meant to be stable."),
    "invalid-date": (ERROR, "日期“{value}”在日历上不存在或格式不对。请写成 2025-03-01 这样的真实日期（年-月-日，月和日补足两位）。",
                     "'{value}' is not a real date written YYYY-MM-DD."),
    "yaml-too-deep": (ERROR, "YAML 嵌套超过 {limit} 层（从这一行起）。记录文件只需要几层缩进，请检查是否误粘贴了其他内容或括号没有配对。",
                      "YAML nested deeper than {limit} levels (from this line)."),
    "csv-unclosed-quote": (ERROR, "这一行有一个英文双引号（\"）没有配对，从这里直到文件末尾都被读成了同一个单元格。"
                           "请补上结尾的双引号，或删除多余的双引号（内容中的双引号要写成两个：\"\"）。该文件未被读取。",
                           "An unclosed double quote: everything from here to the end of the file became one cell; the file was not read."),
    "cell-too-large": (ERROR, "这一行有一个单元格超过 {limit} 个字符。记录中的单元格只需几十个字，请检查是否误粘贴了大段内容"
                       "或漏了结尾的双引号。该文件未被读取。",
                       "A cell is longer than {limit} characters; the file was not read."),
    "officer-not-member": (ERROR, "{role}“{value}”不在本支部 members.csv 中。请填写本支部党员的编号（members.csv 的 id 列）。",
                           "Officer '{value}' ({role}) is not in members.csv."),
    "more-problems": (ERROR, "本{scope}另有 {count:,} 处同类问题（{kind}）未逐一列出。请先按上面几处的提示改正，再运行检查。",
                      "Not listed: {count:,} more problem{count:s} of this kind ({kind}) in this {scope_en}."),
    "branch-moved": (INFO, "支部 {code} 自 {ref} 以来从 {old} 移到 {new}（支部代码未变，历史记录保留）。",
                     "Branch {code} moved from {old} to {new} since {ref}; its code and history are kept."),
    "organization-yaml-missing": (ERROR, "records/ 中没有 organization.yaml（学校党委的代码、名称、网站标题和记录起始月份）。"
                                  "没有它无法判断从哪个月开始评估；请按 README 补上这个文件。",
                                  "records/organization.yaml is missing (code, name, site title, records start)."),
    "meeting-before-founding": (WARNING, "会议日期 {value} 早于本支部的成立日期 {founded}（{where} 的 founded_on）。"
                                "请核对会议日期或 branch.yaml 的成立日期，改正写错的一处。",
                                "Meeting dated {value}, before the branch was founded ({founded}, founded_on in "
                                "{where_en})."),
    "member-in-two-branches": (WARNING, "这名党员从 {start} 至 {end} 同时是本支部和支部 {other} 的党员"
                               "（同一编号见 {other_path} 第 {other_row} 行）。一名党员同一时间只能在一个党支部："
                               "组织关系转接的，请在原支部填写离开日期 left_on 和离开原因 left_reason，"
                               "在新支部填写不早于它的加入日期 joined_on。",
                               "This member is also active in branch {other} from {start} to {end_en} "
                               "(the same id on line {other_row} of {other_path})."),
    "rule-type-unknown": (ERROR, "规则 {rule} 的实现类型 type“{value}”不存在，这条规则不会被评估。可用的类型：{allowed}。"
                          "请检查拼写（见 standards/README.md）。",
                          "Rule {rule}: unknown type '{value}'; the rule is not evaluated. Known types: {allowed_en}."),
    "rule-param-unknown": (ERROR, "规则 {rule} 的参数“{name}”不是类型 {type} 的参数，写错的参数会被忽略而改用默认值，"
                           "所以这条规则暂不评估。可用的参数：{allowed}。请检查拼写。",
                           "Rule {rule}: '{name}' is not a parameter of type {type}; the rule is not evaluated. "
                           "Parameters: {allowed_en}."),
    "rule-period-unknown": (ERROR, "规则 {rule} 的评估周期 period“{value}”不存在，这条规则不会被评估。只能是 month（每月）、"
                            "quarter（每季度）、year（每年）或 once（按评估日评估一次）。",
                            "Rule {rule}: unknown period '{value}' (month, quarter, year or once); not evaluated."),
    "rule-invalid": (ERROR, "规则 {rule}：{detail}。这条规则暂不评估；请按 standards/schemas/rules.schema.json 修改。",
                     "Rule {rule}: {detail_en}; the rule is not evaluated."),
    "setting-invalid": (ERROR, "设置 {name}：{detail}。请按 standards/schemas/settings.schema.json 修改。",
                        "Setting {name}: {detail_en}."),
    "exemption-members-not-allowed": (ERROR, "规则 {rule} 是对整个支部的要求，不能只豁免个别党员（members）。"
                                      "只豁免个别党员的只能是按党员检查的规则（{allowed}）；要豁免整条规则，请删除 members。",
                                      "Rule {rule} is about the whole branch: an exemption for it cannot name members "
                                      "(rules about each member: {allowed}); remove members to exempt the rule."),
    # The shapes generator/validation/diagnose.py recognises: one problem names the cause of a pile of cell errors.
    "encoding-damaged": (ERROR, "文件中的中文变成了乱码（如第 {line} 行的“{sample}”，共 {runs} 处）。这是用 Excel 双击打开 CSV 再保存造成的："
                         "Excel 把 UTF-8 文件当成 GBK 读入，保存时乱码写进了文件，无法在这份文件里改回。请放弃这份文件，重新下载原文件，"
                         "在 Excel 中用“数据 → 自文本/CSV”导入，“文件原始格式”选“65001: Unicode (UTF-8)”，编辑后另存为"
                         "“CSV UTF-8（逗号分隔）”；或者直接在网页上编辑。",
                         "The Chinese text is garbled ({runs} places, e.g. '{sample}' on line {line}): the file was opened in Excel as "
                         "GBK and saved back. Download the original again and import it in Excel via Data > From "
                         "Text/CSV with UTF-8 (65001), or edit it on the web."),
    "csv-line-break": (ERROR, "第 {line} 行的{title}中有换行：{span}本是同一条记录，被换行拆开了。请删掉其中的换行，"
                       "把它们合成一行（确实需要换行时，须把整个单元格用英文双引号 \" 括起来）。{more}",
                       "A line break inside {title} on line {line} split one record over several lines; remove it "
                       "(or quote the whole cell with \")."),
    "csv-fullwidth-comma": (ERROR, "{where}用了中文逗号“，”分列。各列之间必须用英文（半角）逗号“,”分隔：请切换到英文输入法，"
                            "把分隔各列的“，”改成“,”（主题文字里的中文逗号可以保留）。{more}",
                            "Columns are separated by Chinese commas (，); use the ASCII comma (,)."),
    "csv-tab-separator": (ERROR, "{where}用制表符（Tab）分列，多半是从 Excel 复制后直接粘贴进来的。各列之间必须用英文逗号“,”分隔："
                          "请把每个制表符换成“,”，或在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再复制。{more}",
                          "Columns are separated by tabs (pasted from Excel); use the ASCII comma (,)."),
    "csv-missing-id": (ERROR, "第一列 {name} 漏写了：这一行只有 {count} 列，其余各值都往左移了一列。请在行首补上{title}和一个英文逗号，"
                       "例如“{example},”。{more}",
                       "The first column ({name}) is missing: every value slid one column to the left. Add it at the "
                       "start of the line."),
    "csv-missing-trailing-comma": (ERROR, "这一行末尾少了 {count} 个英文逗号：{detail}（这一行应有 {width} 列）。请在行末补上“{commas}”。{more}",
                                   "{count} comma{count:s} before the empty last cell{count:s} were dropped: each line "
                                   "needs {width} cell{width:s}; add '{commas}' at the end."),
    "exemption-partial-period": (WARNING, "规则 {rule} 按{unit}检查，豁免只覆盖完全落在 from 至 expires_on 之间的{unit}：{detail}。"
                                 "因此 {labels} 仍按规则检查，不显示为豁免。",
                                 "Rule {rule} is judged per {unit}; the exemption covers only whole periods, so "
                                 "{labels} is still judged."),
    "date-format-column": (ERROR, "{name} 列共 {count} 行写成了 {sample} 这样的格式（第 {line}–{last} 行之间），多半是 Excel 打开 CSV 时"
                           "自动改的。日期必须写成 YYYY-MM-DD（如 2023-01-12）：在 Excel 中选中整列 → 右键“设置单元格格式” → "
                           "“自定义”，类型填 yyyy-mm-dd，再另存为“CSV UTF-8（逗号分隔）”。",
                           "Column {name}: {count} cell{count:s} written like {sample} (lines {line}-{last}), as Excel "
                           "shows dates; write YYYY-MM-DD."),
    "case-invalid": (ERROR, "规则实例有误：{detail}。这个实例暂不使用；写法见 standards/cases/meetings.yaml 开头的说明。",
                     "A worked case in standards/cases/ is invalid and left out; see the notes at the top of "
                     "standards/cases/meetings.yaml."),
    "process-invalid": (ERROR, "工作流程 {process}：{detail}。这个流程暂不在标准页面画出；请按 standards/schemas/processes.schema.json 修改。",
                        "Process {process}: {detail_en}; it is not drawn on the standards page."),
    "process-rule-unknown": (ERROR, "工作流程 {process} 的步骤写了规则 {value}，但 standards/rules.yaml 中没有这条规则。"
                             "请改为已有的规则编号，或删去；这个流程暂不在标准页面画出。",
                             "Process {process}: a step names rule {value}, which standards/rules.yaml does not "
                             "declare; the process is not drawn."),
    "officer-role-format": (ERROR, "支委和书记的职务已改为 roles 列表写法（一人可兼任两个职务），本文件仍用旧写法 role（{count} 处）。"
                            "请把每项 role: 书记 改为 roles: [书记]；同一人兼任两个职务的，把两项合并为一项，如 "
                            "roles: [组织委员, 纪检委员]。",
                            "Office holders now list their roles (roles: [书记]); this file still uses the old 'role:' "
                            "({count} entries). Write roles: [..] and merge two entries of one person into one."),
    "officer-listed-twice": (ERROR, "同一名党员在支部委员会中列了 {count} 项。兼任两个职务的，请合并为一项并在 roles 中列出全部职务，"
                             "如 roles: [组织委员, 纪检委员]。",
                             "One member is listed {count} time{count:s}; merge the entries and list every role under roles."),
    "voting-count-incomplete": (ERROR, "进行表决的会议须同时填写应到会有表决权党员 voting_expected 和实到会有表决权党员 "
                                "voting_present；没有表决的会议两列都留空。",
                                "A meeting that voted needs both voting_expected and voting_present; leave both empty "
                                "otherwise."),
    "yaml-number-form": (ERROR, "“{value}”是{form}。记录和标准文件中的数字只能写成普通的十进制数（如 3、0.20）：本意是数字的，"
                         "请{fix}；本意是文字的，请加英文引号，如 \"{value}\"。",
                         "'{value}' is written as {form_en}; numbers are plain decimals: {fix_en}, or quote it if it "
                         "is text."),
    "empty-folder": (ERROR, "{level}文件夹“{name}”是空的（应有 {needed}）。新建{level}请补上这些文件（可复制其他{level}的文件再修改）；"
                     "不用的文件夹请删除。",
                     "The {level_en} folder '{name}' is empty (it needs {needed_en}); add them or delete the folder."),
    "date-impossible": (ERROR, "日期 {value} 不可能：{why}。请改正这个日期（多半是年份打错了）。",
                        "Date {value} is impossible: {why_en}."),
    "date-implausible": (WARNING, "日期 {value} 不太可能：{why}。请核对；确实无误的可以不改。",
                         "Date {value} is unlikely: {why_en}; check it."),
    "election-not-at-assembly": (ERROR, "选举记录的 meeting 指向的会议“{value}”类型是{kind}，不是党员大会。支部委员会（不设委员会的"
                                 "支部的书记、副书记）由党员大会选举产生：请填写进行选举的那次党员大会的编号；如该会议确是党员大会，"
                                 "请把 meetings.csv 中它的类型改为党员大会，或在 also_kind 中填“党员大会”。",
                                 "The election's meeting '{value}' is a {kind_en}, not a member assembly; name the assembly "
                                 "that held the election."),
    "election-count-inconsistent": (ERROR, "选举的人数或票数前后矛盾：{detail}。请对照选举大会的计票结果核对这一行。",
                                    "The election's counts contradict each other: {detail_en}."),
    "absence-not-expected": (ERROR, "党员“{value}”不是会议“{meeting}”（{kind}）应到的人：{why}。缺席名单只登记应到而未到的党员："
                             "党小组会为本小组的党员，支委会为支部委员，其他会议为当天在本支部的党员。请核对会议编号和党员编号。",
                             "Member '{value}' was not expected at meeting '{meeting}': {why_en}."),
    "absences-count-mismatch": (ERROR, "会议“{meeting}”应到 {expected} 人、实到 {present} 人，缺席应为 {missing} 人，absences.csv "
                                "登记了 {listed} 人。请把这次会议的缺席党员登记完整（全部到会的会议不用登记），"
                                "或更正 meetings.csv 中的应到、实到人数。",
                                "Meeting '{meeting}': expected {expected}, present {present}, so {missing} absent, but "
                                "absences.csv lists {listed}."),
    # zhibu federate: the registry of colleges (generator/federation/registry.py)
    "registry-unreadable": (ERROR, "学校登记表无法读取：{detail}。请检查文件路径和权限。",
                            "The registry of colleges cannot be read: {detail}."),
    "registry-invalid": (ERROR, "学校登记表中{where}不符合要求：{detail}。格式见 README 的“省级汇总平台”一节。",
                         "The registry entry ({where}) is invalid: {detail}."),
    "registry-duplicate-code": (ERROR, "学校代码“{value}”重复（首次在第 {first} 行）。每所学校的代码必须唯一，请改用另一个代码。",
                                "College code '{value}' is listed twice (first on line {first})."),
    "rectification-year-missing": (ERROR, "整改事项没有写明是哪一年的组织生活会提出的：请在 meeting 中填写该组织生活会在 "
                                   "meetings.csv 中的记录编号，或在 year 中填写年度（如 2025）。",
                                   "A rectification item names neither its 组织生活会 (meeting) nor its year: fill one."),
    "appraisal-count-mismatch": (WARNING, "{year} 年民主评议登记了 {total} 人（评定等次 {graded} 人、未评定等次 {ungraded} 人），"
                                 "评议当日（{day}）本支部在册党员为 {members} 人。请核对各等次人数，以及 members.csv 中的"
                                 "编入和离开日期；确有党员未参加评议的，请计入“未评定等次”。",
                                 "Appraisal {year}: {total} counted (graded {graded}, not graded {ungraded}), but the roster on {day} "
                                 "holds {members}. Check the counts per grade and the roster dates."),
}


def make(code: str, /, path: str, row: int | None = None, field: str | None = None, *,
         branch: str | None = None, column: int | None = None, severity: str | None = None,
         rows: tuple[int, ...] = (), **params: object) -> Problem:
    """Build a problem from the catalogue; unknown template fields render as empty text.

    `code` is positional-only so that a template field named `code` (duplicate-code) can be passed.
    Every text that ends up in the problem goes through personal.screen: whichever check quotes a value
    (a phone number typed into a date cell, an ID number used as a member id, a key, a header, a file
    name), the message, field and path show it masked, never in full.
    """
    default_severity, zh, en = CATALOG[code]
    safe = _Params({k: _Count(v) if type(v) is int else v for k, v in params.items()})
    return Problem(code=code, severity=severity or default_severity, path=screen(path), row=row,
                   field=screen(field) if field else field, message=screen(zh.format_map(safe)),
                   message_en=screen(en.format_map(safe)), branch=screen(branch) if branch else branch,
                   column=column, rows=tuple(rows))


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return ""


class _Count(int):
    """A number in a template; `{n:s}` / `{n:es}` give an English plural ending unless n is exactly 1.

    "{count} more problem{count:s}" reads "1 more problem" and "2 more problems".
    """

    def __format__(self, spec: str) -> str:
        if spec in ("s", "es"):
            return "" if self == 1 else spec
        return int.__format__(self, spec)
