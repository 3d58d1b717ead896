"""Worked cases: every rule's examples as data (standards/cases/*.yaml), read and checked before use.

A case is a few records rows, an as-of date, a period and the status the rule must give, with the words
of the source it illustrates. The test suite writes each case as a records folder and runs `zhibu check`'s
pipeline on it (case_records.py); the standards page shows the cases under their rule.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from generator.load import TABLES
from generator.yamlfile import load_yaml

if TYPE_CHECKING:
    from generator.standards import Standards

DEFAULTS_FILE = "defaults.yaml"
REQUIRED = ("case", "quote", "as_of", "expect")
OPTIONAL = ("boundary", "period", "records_start", "settings", "branch", "exemptions", *TABLES)
DEFAULT_KEYS = ("records_start", "branch", "members")
# A run of ids in one cell, "pa000001…pa000050": that many rows, the same but for the id (a large roster).
ID_RUN = re.compile(r"(p[a-z]*?)(\d+)…(p[a-z]*?)(\d+)")
MAX_RUN = 1000
PERIOD_FORMS = {"month": r"\d{4}-(0[1-9]|1[0-2])", "quarter": r"\d{4}-Q[1-4]", "year": r"\d{4}"}
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Table:
    """CSV rows as written in a case: the columns it names and its rows."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Case:
    """One worked example of one rule."""

    rule: str
    number: int  # 1, 2, … within its rule
    file: str  # standards/cases/<name>.yaml
    text: str  # the situation in plain Chinese
    quote: str  # the words of the source it illustrates
    as_of: dt.date
    period: str  # a period label, or "once" for a structural rule
    expect: str  # the status the rule must give
    boundary: str = ""  # which edge of the rule this case sits on
    records_start: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    branch: dict[str, Any] = field(default_factory=dict)
    exemptions: tuple[dict[str, Any], ...] = ()
    tables: dict[str, Table] = field(default_factory=dict)

    @property
    def period_zh(self) -> str:
        return period_zh(self.period)

    @property
    def branch_shown(self) -> list[tuple[str, str]]:
        """The case's branch.yaml fields as a secretary would write each value (one line, dates as YYYY-MM-DD)."""
        return [(key, yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, sort_keys=False,
                                     width=1000).strip().removesuffix("...").strip())
                for key, value in self.branch.items()]


@dataclass(frozen=True)
class Defaults:
    """What a case does not say: the organization's first month, the branch and its roster."""

    records_start: str
    branch: dict[str, Any]
    members: Table


@dataclass
class CaseBook:
    """Every readable case by rule, the defaults, and what is wrong with the case files (in Chinese)."""

    defaults: Defaults | None
    cases: dict[str, list[Case]]
    problems: list[str]

    def of(self, rule: str) -> list[Case]:
        return self.cases.get(rule, [])

    @property
    def fills(self) -> dict[str, list[str]]:
        """How each table's unwritten cells are filled, in words (for the standards page)."""
        from generator.case_records import FILLS

        return {table: [words for _fill, words in columns.values()] for table, columns in FILLS.items()}


def load_cases(standards: Standards) -> CaseBook:
    """Read standards/cases/: the defaults, then each file's cases, checked against the standards."""
    folder = standards.root / "cases"
    book = CaseBook(defaults=None, cases={}, problems=[])
    if not folder.is_dir():
        book.problems.append("standards/cases/：文件夹不存在，规则没有实例")
        return book
    book.defaults = _defaults(folder / DEFAULTS_FILE, standards, book.problems)
    known = {rule.id: rule for rule in standards.rules}
    for path in sorted(folder.glob("*.yaml")):
        if path.name == DEFAULTS_FILE:
            continue
        where = f"standards/cases/{path.name}"
        data = _read(path, where, book.problems)
        if data is None:
            continue
        if not isinstance(data, dict):
            book.problems.append(f"{where}：应为“规则编号: 实例列表”的映射")
            continue
        for rule_id, items in data.items():
            rule = known.get(str(rule_id))
            if rule is None:
                book.problems.append(f"{where}：未知的规则编号 {rule_id}（rules.yaml 中没有这条规则）")
                continue
            if not isinstance(items, list):
                book.problems.append(f"{where} {rule_id}：应为实例列表（每例以“- case:”开头）")
                continue
            mine = book.cases.setdefault(rule.id, [])
            for item in items:
                found = _case(item, rule, len(mine) + 1, where, standards, book.problems)
                if found is not None:
                    mine.append(found)
    return book


def _read(path: Path, where: str, problems: list[str]) -> Any:
    """The file's YAML as the records are read (dates stay text, no aliases, no repeated keys)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{where}：无法读取（{type(exc).__name__}），请保存为 UTF-8 编码")
        return None
    data, _lines, found = load_yaml(text, where)
    problems.extend(f"{where}：{problem.message}" for problem in found)
    return data


def _defaults(path: Path, standards: Standards, problems: list[str]) -> Defaults | None:
    where = f"standards/cases/{DEFAULTS_FILE}"
    if not path.exists():
        problems.append(f"{where}：文件不存在（各例未写明的记录取自这里）")
        return None
    data = _read(path, where, problems)
    if not isinstance(data, dict):
        problems.append(f"{where}：应为 records_start、branch、members 的映射")
        return None
    faults = [f"{where}：缺少 {key}" for key in DEFAULT_KEYS if key not in data]
    faults += [f"{where}：未知的字段 {key}（可用：{'、'.join(DEFAULT_KEYS)}）"
               for key in data if key not in DEFAULT_KEYS]
    branch = data.get("branch") if isinstance(data.get("branch"), dict) else {}
    faults += _branch_fields(branch, where, standards)
    members = _table("members", data.get("members"), where, standards, faults)
    problems.extend(faults)
    if faults or members is None:
        return None
    return Defaults(records_start=str(data["records_start"]), branch=branch, members=members)


def _case(item: Any, rule: Any, number: int, where: str, standards: Standards, problems: list[str]) -> Case | None:
    here = f"{where} {rule.id} 第{number}例"
    if not isinstance(item, dict):
        problems.append(f"{here}：应为一个映射（case、quote、as_of、expect …）")
        return None
    faults = [f"{here}：缺少 {key}" for key in REQUIRED if not str(item.get(key) or "").strip()]
    faults += [f"{here}：未知的字段 {key}（可用：{'、'.join((*REQUIRED, *OPTIONAL))}）"
               for key in item if key not in (*REQUIRED, *OPTIONAL)]
    statuses = [s["key"] for s in standards.vocabulary["result_statuses"]["items"]]
    if item.get("expect") is not None and item.get("expect") not in statuses:
        faults.append(f"{here}：未知的结果 {item.get('expect')}（可用：{'、'.join(statuses)}）")
    as_of = _day(item.get("as_of"), here, "as_of", faults)
    period = _period(item.get("period"), rule.period, here, faults)
    quote = str(item.get("quote") or "")
    if quote and _bare(quote) not in _bare(rule.meta.get("requirement", "")):
        faults.append(f"{here}：quote 不在该规则 rules.yaml 的 requirement 中，请逐字引用依据原文：{quote}")
    settings = item.get("settings") or {}
    names = {s["name"] for s in standards.settings}
    faults += [f"{here}：未知的本地设置 {key}（见 standards/settings.yaml）"
               for key in (settings if isinstance(settings, dict) else {"settings": 0}) if key not in names]
    branch = item.get("branch") or {}
    faults += _branch_fields(branch, here, standards)
    exemptions = item.get("exemptions") or []
    if not isinstance(exemptions, list):
        faults.append(f"{here}：exemptions 应为列表，每项格式同 exemptions.yaml")
    tables = {name: _table(name, item[name], here, standards, faults) for name in TABLES if name in item}
    if item.get("records_start") is not None and not re.fullmatch(r"\d{4}-\d{2}", str(item["records_start"])):
        faults.append(f"{here}：records_start 应为 YYYY-MM")
    problems.extend(faults)
    if faults or as_of is None:
        return None
    return Case(rule=rule.id, number=number, file=where, text=str(item["case"]).strip(), quote=quote.strip(),
                as_of=as_of, period=period, expect=str(item["expect"]), boundary=str(item.get("boundary") or ""),
                records_start=str(item["records_start"]) if item.get("records_start") else None,
                settings=dict(settings), branch=dict(branch), exemptions=tuple(exemptions),
                tables={name: table for name, table in tables.items() if table is not None})


def _day(value: Any, here: str, key: str, faults: list[str]) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        faults.append(f"{here}：{key} 应为日期 YYYY-MM-DD，实际为 {value}")
        return None


def _period(value: Any, kind: str, here: str, faults: list[str]) -> str:
    if kind == "once":
        if value not in (None, "once"):
            faults.append(f"{here}：该规则按评估日检查一次，不写 period")
        return "once"
    label = str(value if value is not None else "")
    if not re.fullmatch(PERIOD_FORMS[kind], label):
        example = {"month": "2025-03", "quarter": "2025-Q1", "year": "2025"}[kind]
        faults.append(f"{here}：period 应为该规则的评估周期（{kind}），例如 {example}，实际为 {value}")
    return label


def _branch_fields(branch: Any, here: str, standards: Standards) -> list[str]:
    if not isinstance(branch, dict):
        return [f"{here}：branch 应为 branch.yaml 字段的映射"]
    known = standards.yaml_schemas["branch"].get("properties", {})
    return [f"{here}：未知的 branch.yaml 字段 {key}（见 standards/schemas/branch.schema.json）"
            for key in branch if key not in known]


def _table(name: str, text: Any, here: str, standards: Standards, faults: list[str]) -> Table | None:
    if not isinstance(text, str) or not text.strip():
        faults.append(f"{here}：{name} 应为 CSV 文本（第一行是列名，用“|”块写法）")
        return None
    rows = [tuple(cell.strip() for cell in row) for row in csv.reader(io.StringIO(text.strip())) if row]
    header, body = rows[0], tuple(rows[1:])
    columns = [f["name"] for f in standards.table_schemas[name]["fields"]]
    bad = [column for column in header if column not in columns]
    if bad:
        faults.append(f"{here}：{name}.csv 没有列 {'、'.join(bad)}（可用：{'、'.join(columns)}）")
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            faults.append(f"{here}：{name} 第{number}行有 {len(row)} 个值，列名有 {len(header)} 个")
        for cell in row:
            if "…" in cell and id_run(cell) is None:
                faults.append(f"{here}：{name} 第{number}行的 {cell} 应写成“pa000001…pa000050”（同样前缀和位数，"
                              f"从小到大，最多 {MAX_RUN} 个）")
    return Table(header=header, rows=body)


def id_run(cell: str) -> list[str] | None:
    """The ids a run like "pa000001…pa000050" stands for; None when the cell is not such a run."""
    found = ID_RUN.fullmatch(cell)
    if found is None:
        return None
    prefix, first, other, last = found.groups()
    if prefix != other or len(first) != len(last) or not 0 < int(last) - int(first) < MAX_RUN:
        return None
    return [f"{prefix}{n:0{len(first)}d}" for n in range(int(first), int(last) + 1)]


def _bare(value: object) -> str:
    """Text without whitespace (YAML folding puts spaces where Chinese has none)."""
    return _SPACE.sub("", str(value or ""))


def period_zh(label: str) -> str:
    """A period label in words: 2025-Q1 → 2025年第一季度, 2025-03 → 2025年3月, once → 评估日当天的情况."""
    if label == "once":
        return "评估日当天的情况"
    if "-Q" in label:
        year, quarter = label.split("-Q")
        return f"{year}年第{'一二三四'[int(quarter) - 1]}季度"
    if "-" in label:
        year, month = label.split("-")
        return f"{year}年{int(month)}月"
    return f"{label}年"
