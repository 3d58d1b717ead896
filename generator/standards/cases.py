"""Worked cases: every rule's examples as data (standards/cases/*.yaml), read and checked before use.

A case is a few records rows, an as-of date, a period and the status the rule must give, with the words
of the source it illustrates. The test suite writes each case as a records folder and runs `zhibu check`'s
pipeline on it (case_records.py); the standards page shows the cases under their rule.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from markupsafe import Markup

from generator.problems.catalogue import Problem
from generator.records import personal

# A run of ids in one cell, "pz000001…pz000050": that many rows, the same but for the id (a large roster).
ID_RUN = re.compile(r"(p[a-z]*?)(\d+)…(p[a-z]*?)(\d+)")
MAX_RUN = 1000


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
    def branch_yaml(self) -> str:
        """The case's branch.yaml fields as a secretary writes them (dates unquoted, short lists on one line)."""
        text = yaml.safe_dump(_dated(self.branch), allow_unicode=True, sort_keys=False, default_flow_style=None,
                              width=1000).strip()
        return personal.redact(text)  # as every text the site shows: personal data never, even in an example


@dataclass(frozen=True)
class Defaults:
    """What a case does not say: the organization's first month, the branch and its roster."""

    records_start: str
    branch: dict[str, Any]
    members: Table


@dataclass
class CaseBook:
    """Every readable case by rule, the defaults, and what is wrong with the case files (located problems)."""

    defaults: Defaults | None
    cases: dict[str, list[Case]]
    problems: list[Problem]

    def of(self, rule: str) -> list[Case]:
        return self.cases.get(rule, [])

    @property
    def fills(self) -> dict[str, list[str]]:
        """How each table's unwritten cells are filled, in words (for the standards page)."""
        from generator.standards.case_records import FILLS

        return {table: [words for _fill, words in columns.values()] for table, columns in FILLS.items()}


def _dated(value: Any) -> Any:
    """Date text back to dates, so that YAML writes 2024-05-10 rather than '2024-05-10'."""
    if isinstance(value, dict):
        return {k: _dated(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dated(v) for v in value]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


# A member id as the records write it (p + 7 letters or digits, at least one digit), standing alone.
_MEMBER_ID = re.compile(r"(?<![A-Za-z0-9_])p(?=[a-z0-9]{0,6}\d)([a-z]*)([a-z0-9]*)(?![A-Za-z0-9_])")
_ROLE = {"z": "党员", "y": "申请人"}  # the cases write pz… for members, py… for applicants


def pseudonyms(text: str) -> str:
    """The cases as the site shows them: every member id replaced by a label such as 党员1 or 申请人1.

    The site publishes no member id, not even an illustrative one (an id in a case could be a real member's);
    the label keeps what a reader needs: which rows are the same person, and the numbering of a run.
    """
    def label(found: re.Match) -> str:
        letters, rest = found.groups()
        if len(letters) + len(rest) != 7:
            return found.group(0)
        if rest.isdigit() and len(letters) == 1:
            return f"{_ROLE.get(letters, '人员' + letters.upper())}{int(rest)}"
        return "某党员"  # an id of another shape: never shown, and no number that could be mistaken for one

    shown = _MEMBER_ID.sub(label, str(text))
    return Markup(shown) if isinstance(text, Markup) else shown


def id_run(cell: str) -> list[str] | None:
    """The ids a run like "pz000001…pz000050" stands for; None when the cell is not such a run."""
    found = ID_RUN.fullmatch(cell)
    if found is None:
        return None
    prefix, first, other, last = found.groups()
    if prefix != other or len(first) != len(last) or not 0 < int(last) - int(first) < MAX_RUN:
        return None
    return [f"{prefix}{n:0{len(first)}d}" for n in range(int(first), int(last) + 1)]


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
