"""Read and check standards/cases/*.yaml: each mistake is a located problem, and its case is left out.

A case is checked against the standards it illustrates: its rule exists, its quote stands in the rule's
requirement, its status is one of the result statuses, its period has the rule's form, its CSV columns
are the table schemas' columns, its settings and branch fields exist. The rule itself is run by the tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.problems.catalogue import Problem, make
from generator.records.load import TABLES
from generator.records.yamlfile import Lines, line_for, load_yaml
from generator.standards.cases import MAX_RUN, Case, CaseBook, Defaults, Table, id_run

if TYPE_CHECKING:
    from generator.standards.catalogue import Rule, Standards

DEFAULTS_FILE = "defaults.yaml"
REQUIRED = ("case", "quote", "as_of", "expect")
OPTIONAL = ("boundary", "period", "records_start", "settings", "branch", "exemptions", *TABLES)
DEFAULT_KEYS = ("records_start", "branch", "members")
PERIOD_FORMS = {"month": r"\d{4}-(0[1-9]|1[0-2])", "quarter": r"\d{4}-Q[1-4]", "year": r"\d{4}"}
PERIOD_EXAMPLES = {"month": "2025-03", "quarter": "2025-Q1", "year": "2025"}
_SPACE = re.compile(r"\s+")


@dataclass
class _Place:
    """Where in a case file a check looks: the file, its key lines, the key path, the words naming it."""

    path: str
    lines: Lines
    text: str = ""
    at: tuple = ()
    name: str = ""
    problems: list[Problem] = field(default_factory=list)

    def fault(self, detail: str, *key: str | int, row: int | None = None) -> None:
        where = self.at + key
        field = next((str(k) for k in reversed(where) if isinstance(k, str)), None)
        line = row if row is not None else line_for(self.lines, where)
        self.problems.append(make("case-invalid", self.path, line, field,
                                  detail=f"{self.name}：{detail}" if self.name else detail))

    def inside(self, *key: str | int, name: str | None = None) -> _Place:
        return _Place(self.path, self.lines, self.text, self.at + key, self.name if name is None else name,
                      self.problems)

    def key_line(self, key: object) -> int | None:
        """The line of a top-level key (a rule id): the lines map gives where its value starts."""
        found = re.search(rf"^{re.escape(str(key))}\s*:", self.text, re.MULTILINE)
        return self.text.count("\n", 0, found.start()) + 1 if found else None


def load_cases(standards: Standards) -> CaseBook:
    """Read standards/cases/: the defaults, then each file's cases by rule, in file order."""
    folder = standards.root / "cases"
    book = CaseBook(defaults=None, cases={}, problems=[])
    if not folder.is_dir():
        book.problems.append(make("case-invalid", "standards/cases", detail="文件夹不存在，规则没有实例"))
        return book
    book.defaults = _defaults(folder / DEFAULTS_FILE, standards, book.problems)
    known: dict[str, list[Rule]] = {}  # a rule id may have several versions (valid_from / valid_until)
    for rule in standards.rules:
        known.setdefault(rule.id, []).append(rule)
    for file in sorted(folder.glob("*.yaml")):
        if file.name == DEFAULTS_FILE:
            continue
        data, place = _read(file, book.problems)
        if data is None:
            continue
        if not isinstance(data, dict):
            place.fault("应为“规则编号: 实例列表”的映射")
            continue
        for rule_id, items in data.items():
            versions = known.get(str(rule_id))
            if not versions:
                place.fault(f"未知的规则编号 {rule_id}（rules.yaml 中没有这条规则）", rule_id,
                            row=place.key_line(rule_id))
                continue
            if not isinstance(items, list):
                place.fault("应为实例列表（每例以“- case:”开头）", rule_id, row=place.key_line(rule_id))
                continue
            mine = book.cases.setdefault(str(rule_id), [])
            for index, item in enumerate(items):
                number = len(mine) + 1
                found = _case(item, versions, number, standards,
                              place.inside(rule_id, index, name=f"{rule_id} 第{index + 1}例"))
                if found is not None:
                    mine.append(found)
    return book


def _read(file: Path, problems: list[Problem]) -> tuple[Any, _Place]:
    """The file's YAML as records are read (dates stay text, no aliases, no repeated keys)."""
    rel = f"standards/cases/{file.name}"
    place = _Place(rel, {}, problems=problems)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        place.fault(f"无法读取（{type(exc).__name__}），请保存为 UTF-8 编码")
        return None, place
    data, lines, found = load_yaml(text, rel)
    problems.extend(found)
    place.lines, place.text = lines, text
    return data, place


def _defaults(file: Path, standards: Standards, problems: list[Problem]) -> Defaults | None:
    if not file.exists():
        problems.append(make("case-invalid", f"standards/cases/{DEFAULTS_FILE}",
                             detail="文件不存在（各例未写明的记录取自这里）"))
        return None
    data, place = _read(file, problems)
    if not isinstance(data, dict):
        if data is not None:
            place.fault("应为 records_start、branch、members 的映射")
        return None
    before = len(problems)
    for key in DEFAULT_KEYS:
        if key not in data:
            place.fault(f"缺少 {key}")
    for key in data:
        if key not in DEFAULT_KEYS:
            place.fault(f"未知的字段 {key}（可用：{'、'.join(DEFAULT_KEYS)}）", key)
    branch = data["branch"] if isinstance(data.get("branch"), dict) else {}
    _branch_fields(branch, standards, place)
    members = _table("members", data.get("members"), standards, place)
    if len(problems) > before or members is None:
        return None
    return Defaults(records_start=str(data["records_start"]), branch=branch, members=members)


def _case(item: Any, versions: list[Rule], number: int, standards: Standards, place: _Place) -> Case | None:
    """One case of a rule (of any of its versions: the quote may come from the one in force at the case's time)."""
    rule = versions[-1]
    if not isinstance(item, dict):
        place.fault("应为一个映射（case、quote、as_of、expect …）")
        return None
    before = len(place.problems)
    for key in REQUIRED:
        if not str(item.get(key) or "").strip():
            place.fault(f"缺少 {key}")
    for key in item:
        if key not in (*REQUIRED, *OPTIONAL):
            place.fault(f"未知的字段 {key}（可用：{'、'.join((*REQUIRED, *OPTIONAL))}）", key)
    statuses = standards.vocab.values("result_statuses")  # vocabulary.schema.json: never empty
    if item.get("expect") is not None and item.get("expect") not in statuses:
        place.fault(f"未知的结果 {item.get('expect')}（可用：{'、'.join(statuses)}）", "expect")
    as_of = _day(item.get("as_of"), place)
    period = _period(item.get("period"), rule.period, place)
    quote = str(item.get("quote") or "")
    if quote and not any(_bare(quote) in _bare(v.meta.get("requirement", "")) for v in versions):
        place.fault(f"quote 不在该规则 rules.yaml 的 requirement 中，请逐字引用依据原文：{quote}", "quote")
    settings = item.get("settings") or {}
    names = {s["name"] for s in standards.settings}
    if not isinstance(settings, dict):
        place.fault("settings 应为“设置名: 值”的映射", "settings")
        settings = {}
    for key in settings:
        if key not in names:
            place.fault(f"未知的本地设置 {key}（见 standards/settings.yaml）", "settings", key)
    branch = item.get("branch") or {}
    _branch_fields(branch, standards, place)
    exemptions = item.get("exemptions") or []
    if not isinstance(exemptions, list):
        place.fault("exemptions 应为列表，每项格式同 exemptions.yaml", "exemptions")
    tables = {name: _table(name, item[name], standards, place) for name in TABLES if name in item}
    if item.get("records_start") is not None and not re.fullmatch(r"\d{4}-\d{2}", str(item["records_start"])):
        place.fault("records_start 应为 YYYY-MM", "records_start")
    if len(place.problems) > before or as_of is None:
        return None
    return Case(rule=rule.id, number=number, file=place.path, text=str(item["case"]).strip(), quote=quote.strip(),
                as_of=as_of, period=period, expect=str(item["expect"]), boundary=str(item.get("boundary") or ""),
                records_start=str(item["records_start"]) if item.get("records_start") else None,
                settings=dict(settings), branch=dict(branch), exemptions=tuple(exemptions),
                tables={name: table for name, table in tables.items() if table is not None})


def _day(value: Any, place: _Place) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        if value is not None:
            place.fault(f"as_of 应为日期 YYYY-MM-DD，实际为 {value}", "as_of")
        return None


def _period(value: Any, kind: str, place: _Place) -> str:
    if kind not in PERIOD_FORMS:
        if value not in (None, "once"):
            place.fault("该规则按评估日检查一次，不写 period", "period")
        return "once"
    label = str(value if value is not None else "")
    if not re.fullmatch(PERIOD_FORMS[kind], label):
        place.fault(f"period 应为该规则的评估周期（{kind}），例如 {PERIOD_EXAMPLES[kind]}，实际为 {value}", "period")
    return label


def _branch_fields(branch: Any, standards: Standards, place: _Place) -> None:
    if not isinstance(branch, dict):
        place.fault("branch 应为 branch.yaml 字段的映射", "branch")
        return
    known = standards.yaml_schemas["branch"].get("properties", {})
    for key in branch:
        if key not in known:
            place.fault(f"未知的 branch.yaml 字段 {key}（见 standards/schemas/branch.schema.json）", "branch", key)


def _table(name: str, text: Any, standards: Standards, place: _Place) -> Table | None:
    """A CSV block: columns of the table's schema, rows as long as the header, id runs well formed."""
    if not isinstance(text, str) or not text.strip():
        place.fault(f"{name} 应为 CSV 文本（第一行是列名，用“|”块写法）", name)
        return None
    rows = [tuple(cell.strip() for cell in row) for row in csv.reader(io.StringIO(text.strip())) if row]
    header, body = rows[0], tuple(rows[1:])
    columns = [f["name"] for f in standards.table_schemas[name]["fields"]]
    bad = [column for column in header if column not in columns]
    if bad:
        place.fault(f"{name}.csv 没有列 {'、'.join(bad)}（可用：{'、'.join(columns)}）", name)
    start = line_for(place.lines, place.at + (name,)) or 0  # the block's header is on the next line
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            place.fault(f"{name} 第{number}行有 {len(row)} 个值，列名有 {len(header)} 个", name, row=start + number)
        for cell in row:
            if "…" in cell and id_run(cell) is None:
                place.fault(f"{name} 第{number}行的 {cell} 应写成“pz000001…pz000050”（同样前缀和位数，"
                            f"从小到大，最多 {MAX_RUN} 个）", name, row=start + number)
    return Table(header=header, rows=body)


def _bare(value: object) -> str:
    """Text without whitespace (YAML folding puts spaces where Chinese has none)."""
    return _SPACE.sub("", str(value or ""))
