"""Word lists for the demo college: units, branch names, meeting topics (all fictional, no real names)."""

from __future__ import annotations

from datetime import date

COLLEGE = "示例职业技术学院"

# The 24-branch layout of the demo college: (unit code, unit name, kind, [(suffix, type, name)]).
# Branch code = f"{unit}-{suffix}". The order matters: `--branches N < 24` keeps the first N branches.
LAYOUT: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    ("jidian", "机电工程学院党委", "dept_committee", [
        ("js1", "faculty", "机电工程学院教工第一党支部"),
        ("js2", "faculty", "机电工程学院教工第二党支部"),
        ("xs1", "student", "机电工程学院学生第一党支部"),
        ("xs2", "student", "机电工程学院学生第二党支部"),
        ("xs3", "student", "机电工程学院学生第三党支部"),
    ]),
    ("xinxi", "信息工程学院党委", "dept_committee", [
        ("js1", "faculty", "信息工程学院教工第一党支部"),
        ("js2", "faculty", "信息工程学院教工第二党支部"),
        ("xs1", "student", "信息工程学院学生第一党支部"),
        ("xs2", "student", "信息工程学院学生第二党支部"),
        ("xs3", "student", "信息工程学院学生第三党支部"),
    ]),
    ("jingguan", "经济管理学院党委", "dept_committee", [
        ("js1", "faculty", "经济管理学院教工党支部"),
        ("xs1", "student", "经济管理学院学生第一党支部"),
        ("xs2", "student", "经济管理学院学生第二党支部"),
        ("lh1", "joint", "经济管理学院财会专业师生联合党支部"),
    ]),
    ("jianzhu", "建筑工程学院党总支", "general_branch", [
        ("js1", "faculty", "建筑工程学院教工党支部"),
        ("xs1", "student", "建筑工程学院学生党支部"),
        ("lh1", "joint", "建筑工程学院工程造价专业师生联合党支部"),
    ]),
    ("jiguan", "机关党委", "dept_committee", [
        ("db1", "admin", "党政办公室党支部"),
        ("db2", "admin", "教务处党支部"),
        ("db3", "admin", "学生工作处党支部"),
        ("ls1", "temporary", "乡村振兴驻村工作队临时党支部"),
    ]),
    ("lituixiu", "离退休党总支", "general_branch", [
        ("lt1", "retired", "离退休第一党支部"),
        ("lt2", "retired", "离退休第二党支部"),
    ]),
    ("tushuguan", "图书馆直属党支部", "direct", [
        ("zb1", "admin", "图书馆党支部"),
    ]),
]

# Extra fictional schools used when more than 24 branches are asked for (benchmarks).
EXTRA_COLLEGES: list[tuple[str, str]] = [
    ("qiche", "汽车工程学院"), ("dianqi", "电气工程学院"), ("huagong", "化学工程学院"),
    ("yishu", "艺术设计学院"), ("huli", "护理学院"), ("shangmao", "商贸学院"),
    ("lvyou", "旅游管理学院"), ("jiaotong", "交通运输学院"), ("zhizao", "智能制造学院"),
    ("nongye", "现代农业学院"), ("shumei", "数字媒体学院"), ("caijing", "财经学院"),
    ("waiyu", "外国语学院"), ("hangkong", "航空服务学院"), ("guidao", "轨道交通学院"),
    ("yiji", "医学技术学院"), ("shipin", "食品工程学院"), ("cailiao", "材料工程学院"),
    ("nengyuan", "能源工程学院"), ("wuliu", "现代物流学院"), ("rengong", "人工智能学院"),
    ("tumu", "土木工程学院"), ("jiaoyu", "教育学院"), ("tiyu", "体育健康学院"),
]
EXTRA_SERVICES: list[tuple[str, str]] = [
    ("houqin", "后勤服务"), ("jixu", "继续教育"), ("shixun", "实训中心"),
    ("zichan", "资产管理"), ("xiaoqi", "校企合作"), ("wangxin", "网络信息中心"),
]

DIGITS = "零一二三四五六七八九"


def numeral(n: int) -> str:
    """Chinese numeral for 1..99 (第一, 第十二 …)."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


GROUP_NAMES = ["第一党小组", "第二党小组", "第三党小组"]

COVERED_UNITS = {
    "jingguan-lh1": ["财务会计教研室", "会计专业学生班级"],
    "jianzhu-lh1": ["工程造价教研室", "工程造价专业学生班级", "工程测量教研室", "建筑设备教研室",
                    "建设工程管理专业学生班级", "实训中心"],  # six units: more than the usual five (BR-03 notice)
}

# --- meeting topics -------------------------------------------------------------------------------

CAMPAIGNS: list[tuple[date, date, str]] = [
    (date(2023, 4, 1), date(2023, 12, 31), "“学思想、强党性、重实践、建新功”主题教育专题学习"),
    (date(2024, 4, 1), date(2024, 7, 31), "党纪学习教育：逐章学习《中国共产党纪律处分条例》"),
    (date(2024, 8, 1), date(2024, 12, 31), "学习贯彻党的二十届三中全会精神"),
    (date(2025, 3, 1), date(2025, 7, 31), "深入贯彻中央八项规定精神学习教育"),
    (date(2025, 11, 1), date(2026, 12, 31), "学习贯彻党的二十届四中全会精神"),
]

MONTHLY_THEMES = {
    3: "学雷锋志愿服务活动",
    4: "清明祭英烈暨全民国家安全教育日学习",
    5: "“五四”青年节师生座谈",
    7: "庆祝建党纪念日，重温入党誓词",
    9: "新学期安全教育与迎新志愿服务",
    10: "国庆主题爱国主义教育",
    12: "国家宪法日宪法学习",
}

THEME_TOPICS = [
    "学习《中国共产党章程》",
    "学习《中国共产党支部工作条例（试行）》",
    "学习《中国共产党党员教育管理工作条例》",
    "参观红色教育基地",
    "观看党史专题纪录片并交流",
    "志愿服务进社区",
    "廉洁文化进校园",
    "网络安全与意识形态工作学习",
    "学习《中华人民共和国职业教育法》",
    "党员先锋岗志愿服务",
    "红色经典读书分享会",
    "乡村振兴专题学习",
]
THEME_BY_TYPE = {
    "faculty": ["产教融合与专业建设研讨", "课程思政教学研讨", "师德师风专题学习"],
    "student": ["学风建设主题讨论", "技能竞赛经验交流", "毕业生就业创业专题学习"],
    "admin": ["服务师生“我为群众办实事”", "机关作风建设专题学习", "优化办事流程研讨"],
    "retired": ["老同志学习交流座谈", "关心下一代工作交流", "健康讲座与学习分享"],
}

LECTURES = [
    "书记讲党课：坚定理想信念，争做合格党员",
    "专题党课：以党的创新理论凝心铸魂",
    "专题党课：知敬畏、存戒惧、守底线",
    "微党课：党史故事中的初心使命",
    "专题党课：推进职业教育高质量发展",
    "专题党课：弘扬劳模精神、劳动精神、工匠精神",
    "专题党课：发扬党的优良作风",
    "专题党课：增强“四个意识”，坚定“四个自信”",
]

ASSEMBLY_BY_QUARTER = {
    1: ["审议支部年度工作计划", "传达学习上级党委工作会议精神"],
    2: ["推荐评选优秀共产党员", "传达学习上级党委会议精神"],
    3: ["总结上半年工作，部署下半年任务", "传达学习上级党委会议精神"],
    4: ["通报支部年度工作情况", "讨论预备党员转正事宜"],
}
ASSEMBLY_ADMIT = "讨论接收预备党员"
ASSEMBLY_ELECT = "召开党员大会，选举产生新一届支部委员会"
ASSEMBLY_ELECT_SECRETARY = "召开党员大会，选举产生支部书记"
ASSEMBLY_VOTE = "讨论并表决支部年度工作事项"

COMMITTEE_TOPICS = [
    "研究本月主题党日安排",
    "研究党员发展工作",
    "研究党员教育培训计划",
    "研究党费收缴使用情况",
    "研究支部重点工作推进",
    "研究党员思想动态",
]
COMMITTEE_DECEMBER = "研究组织生活会和民主评议党员准备工作"

GROUP_TOPICS = [
    "传达支委会精神，交流学习体会",
    "学习讨论本月主题党日内容",
    "交流思想、工作情况",
    "学习党规党纪，谈心得体会",
]

REVIEW_TOPICS = {
    2023: "2023年度组织生活会：对照主题教育目标要求，开展批评和自我批评",
    2024: "2024年度组织生活会：结合党纪学习教育，开展批评和自我批评",
    2025: "2025年度组织生活会：对照学习贯彻中央八项规定精神要求查摆问题",
}


def review_topic(year: int) -> str:
    return REVIEW_TOPICS.get(year, f"{year}年度组织生活会：开展批评和自我批评")


def appraisal_topic(year: int) -> str:
    return f"{year}年度民主评议党员：个人自评、党员互评、民主测评"


README_HEAD = """# 示例职业技术学院 · 演示数据

本目录中的全部记录都是**虚构的演示数据**，由 `zhibu demo` 按固定随机种子生成（同一种子得到逐字节相同的文件），\
用于展示和测试 zhibu 的检查与网站功能。学校、院系、党支部均为虚构；党员编号是随机化名，\
不对应任何真实人员；数据中没有姓名、身份证号、电话号码或电子邮箱。

生成参数：种子 {seed}，党支部 {branches} 个，数据截止日期 {as_of}。

## 怎样记录

每个支部一个文件夹 `records/<单位代码>/<支部代码>/`。登记会议、用 Excel 编辑 CSV、拉取请求的检查结果，\
见[参与指南](../docs/contribute.md)；一年中常见情形的示例（每段示例都经自动检查通过）：

- [新党员的化名编号](../docs/contribute.md#新党员的化名编号)、[党员转入](../docs/contribute.md#党员转入)、\
[学生党员毕业转出](../docs/contribute.md#学生党员毕业转出)
- [支委会的“应到”](../docs/contribute.md#支委会的应到)、\
[按季度交纳党费](../docs/contribute.md#按季度交纳党费)、[暑假暂停主题党日](../docs/contribute.md#暑假暂停主题党日)、[申请豁免](../docs/contribute.md#申请豁免)
- [用 Excel 或 WPS 填写](../docs/contribute.md#用-excel-或-wps-填写推荐)：下载支部页面上的工作簿，填好后交给维护人用 \
`zhibu import` 导入
- [用 Excel 编辑 CSV](../docs/contribute.md#用-excel-编辑-csv)：用“数据 → 自文本/CSV”导入并选 UTF-8，不要双击打开

各列的含义和格式见 `standards/schemas/` 中的表结构（网站上的“标准 → 记录格式”页）。

## 有意设置的问题

为演示检查效果，少数党支部有意设置了以下不合规情形，其余党支部、其余规则均按要求记录。
“随附”表示由同一问题连带触发的结果。

| 党支部 | 规则 | 说明 |
|---|---|---|
"""

README_EXEMPT = """
## 经批准的豁免

| 党支部 | 规则 | 期间 | 理由 |
|---|---|---|---|
"""
