"""A worked case written out as a records/ folder: what a secretary's files would hold in that situation.

The case names only the rows and columns that matter; the other columns are filled as described in FILLS
(shown on the standards page), so that the files pass the same validation as a real branch's files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from generator.standards.cases import Case, Defaults, Table, id_run

UNIT, BRANCH = "shili-danwei", "shili"
Row = dict[str, str]


def _meeting_roster(row: Row, members: list[Row]) -> str:
    """How many members belong to the branch on the meeting's date (all of them expected and present)."""
    day = row.get("date", "")
    return str(sum(1 for m in members
                   if m.get("joined_on", "") <= day and (not m.get("left_on") or day < m["left_on"])))


# Column → (how an empty cell is filled, the same in words for the standards page).
Fill = Callable[[Row, int, list[Row]], str]
FILLS: dict[str, dict[str, tuple[Fill, str]]] = {
    "members": {
        "category": (lambda row, n, members: "教职工", "党员类别：教职工"),
        "joined_on": (lambda row, n, members: row.get("admitted_on", ""), "编入本支部日期：同入党日期 admitted_on"),
    },
    "meetings": {
        "id": (lambda row, n, members: f"{row.get('date', '')}-{n}", "会议编号：日期加行号"),
        "topic": (lambda row, n, members: row.get("kind", ""), "议题：同会议类型"),
        "expected": (lambda row, n, members: _meeting_roster(row, members), "应到人数：会议当日在册党员人数"),
        "present": (lambda row, n, members: row.get("expected") or _meeting_roster(row, members),
                    "实到人数：同应到人数（全体到会）"),
    },
    "dues": {
        "due": (lambda row, n, members: "50.00", "应交金额：50.00元"),
        "paid": (lambda row, n, members: row.get("due", "") if row.get("paid_on") else "",
                 "实交金额：填了交纳日期 paid_on 时同应交金额，否则为空（未交）"),
    },
    "study": {
        "kind": (lambda row, n, members: "集中学习培训", "学习形式：集中学习培训"),
    },
}


def write_case(case: Case, defaults: Defaults, columns: dict[str, list[str]], root: Path,
               optional: dict[str, frozenset[str]] | None = None) -> Path:
    """Write the case's records under root/records; `columns` are each table's schema columns in order.

    An `optional` column (optionalColumn in the table schema) the case does not name is left out of the file,
    as a branch that does not keep that record would: the rule then says it cannot judge (n/a with the reason).
    """
    columns = {name: [c for c in names if c not in (optional or {}).get(name, ()) or c in _named(case, name)]
               for name, names in columns.items()}
    records = root / "records"
    folder = records / UNIT / BRANCH
    folder.mkdir(parents=True)
    settings = dict(case.settings)
    _yaml(records / "organization.yaml", {
        "code": "shili-xuexiao", "name": "示例学校党委", "site_title": "实例",
        "records_start": case.records_start or defaults.records_start, **({"settings": settings} if settings else {})})
    _yaml(records / UNIT / "unit.yaml", {"code": UNIT, "name": "示例单位党委", "kind": "dept_committee"})
    _yaml(folder / "branch.yaml", {**defaults.branch, **case.branch, "code": BRANCH})
    if case.exemptions:
        _yaml(folder / "exemptions.yaml", {"exemptions": list(case.exemptions)})
    members = _rows("members", case.tables.get("members", defaults.members), columns["members"], [])
    _csv(folder / "members.csv", columns["members"], members)
    for name, table in case.tables.items():
        if name != "members":
            _csv(folder / f"{name}.csv", columns[name], _rows(name, table, columns[name], members))
    if "meetings" not in case.tables:
        _csv(folder / "meetings.csv", columns["meetings"], [])
    return root


def _named(case: Case, name: str) -> tuple[str, ...]:
    table = case.tables.get(name)
    return table.header if table is not None else ()


def _rows(name: str, table: Table, columns: list[str], members: list[Row]) -> list[Row]:
    """The case's rows with every schema column, empty cells filled by FILLS (in column order)."""
    out = []
    for n, cells in enumerate(_runs(table.rows), start=1):
        row = dict(zip(table.header, cells, strict=True))
        for column in columns:
            fill = FILLS.get(name, {}).get(column)
            if not row.get(column) and fill is not None:
                row[column] = fill[0](row, n, members)
        out.append({column: row.get(column, "") for column in columns})
    return out


def _runs(rows: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    """Rows with a run of ids ("pz000001…pz000050") written out, one row per id."""
    out = []
    for row in rows:
        at = next((i for i, cell in enumerate(row) if id_run(cell)), None)
        if at is None:
            out.append(row)
            continue
        out.extend(row[:at] + (one,) + row[at + 1:] for one in id_run(row[at]) or ())
    return out


def _csv(path: Path, columns: list[str], rows: list[Row]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _yaml(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False),
                    encoding="utf-8")

