"""Turn validated raw records into the typed ledger, skipping rows and files that failed validation."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from generator.ledger.model import (
    Absence,
    Appraisal,
    Branch,
    Candidate,
    Committee,
    Due,
    Election,
    Exemption,
    Ledger,
    Meeting,
    Member,
    Officer,
    Organization,
    Rectification,
    Study,
    Unit,
)
from generator.records.load import REQUIRED_TABLES, BranchFiles, RawRecords, YamlDoc
from generator.validation.optional import filled
from generator.validation.validated import Validated

DEFAULT_START = dt.date(2023, 1, 1)


class RecordDropped(Exception):
    """Internal error: a row validation accepted cannot be read into the ledger.

    Validation (cellformat) accepts exactly what the ledger reads, so this never happens on any input; if it
    does, the check stops loudly instead of publishing the branch without the row (a held meeting vanishing).
    """

    def __init__(self, path: str, line: int) -> None:
        super().__init__(f"内部错误：{path} 第 {line} 行通过了检查，却无法读入台账。请把该文件报告给维护人。")
        self.path, self.line = path, line


def build_ledger(raw: RawRecords, checked: Validated, defaults: dict[str, Any], release: bool = False) -> Ledger:
    """Typed ledger of everything usable; unusable files and rows are left out (they are reported).

    With `release` each table's rows are let go as soon as its records are made (CsvTable.release: a table
    loaded `releasable` parses them again if asked), so the rows and the ledger are never both held whole."""
    org = _organization(_usable(raw.organization, checked), defaults)
    units = {}
    for code, doc in raw.units.items():
        data = _usable(doc, checked) or {}
        units[code] = Unit(code=code, name=str(data.get("name") or code), kind=str(data.get("kind") or ""),
                           path=doc.path)
    branches = []
    for files in raw.branches:
        usable = _usable(files.branch, checked)
        if usable is not None:
            branches.append(_branch(files, usable, checked, release))
    for branch in branches:  # a broken unit.yaml is reported; its branches still need a unit to belong to
        if branch.unit not in units:
            units[branch.unit] = Unit(code=branch.unit, name=branch.unit, kind="",
                                      path=f"{branch.path.rsplit('/', 1)[0]}/unit.yaml")
    return Ledger(organization=org, units=units, branches=branches)


DISCLOSURE = "disclosure_"  # settings.yaml names the catalogue's defaults disclosure_<kind>


def _usable(doc: YamlDoc | None, checked: Validated) -> dict | None:
    if doc is None or doc.path in checked.bad_files or not isinstance(doc.data, dict):
        return None
    return doc.data


def _organization(data: dict | None, defaults: dict[str, Any]) -> Organization:
    data = data or {}
    start = data.get("records_start")
    settings = {**defaults, **(data.get("settings") or {})}
    return Organization(
        code=str(data.get("code") or "org"), name=str(data.get("name") or "党委"),
        site_title=str(data.get("site_title") or data.get("name") or "党支部工作公开"),
        records_start=dt.date.fromisoformat(f"{start}-01") if start else DEFAULT_START,
        demo=bool(data.get("demo")), show_officer_names=bool(data.get("show_officer_names")),
        min_cell_size=int(data.get("min_cell_size") or settings.get("min_cell_size") or 5),
        settings=settings,
        repository_url=str(data.get("repository_url") or settings.get("repository_url") or ""),
        repository_forge=str(data.get("repository_forge") or settings.get("repository_forge") or "github"),
        disclosure=_disclosure(data.get("disclosure"), defaults))


def _disclosure(given: object, defaults: dict[str, Any]) -> dict[str, str]:
    """The 党务公开目录: settings.yaml's cautious defaults (disclosure_<kind>), overridden by organization.yaml."""
    catalogue = {name.removeprefix(DISCLOSURE): str(value) for name, value in defaults.items()
                 if name.startswith(DISCLOSURE)}
    if isinstance(given, dict):  # a schema-valid file (an invalid one is not used at all: _usable)
        catalogue.update({str(kind): str(value) for kind, value in given.items() if kind in catalogue})
    return catalogue


def _branch(files: BranchFiles, data: dict, checked: Validated, release: bool = False) -> Branch:
    committee = data.get("committee")
    lines = files.branch.lines if files.branch else {}
    branch = Branch(
        code=files.code, unit=files.unit, name=str(data.get("name") or files.code), type=str(data.get("type")),
        path=files.path, founded_on=_date(data.get("founded_on")),
        groups={str(g["code"]): str(g.get("name") or g["code"]) for g in data.get("groups") or []},
        committee=Committee(elected_on=_day(committee["elected_on"]), term_years=int(committee.get("term_years") or 3),
                            extended_until=_date(committee.get("extended_until")),
                            members=_officers(committee.get("members"), lines, ("committee", "members")))
        if committee else None,
        secretary=_officers(data.get("secretary"), lines, ("secretary",)),
        covered_units=tuple(data.get("covered_units") or ()),
        dues_payment=str(data.get("dues_payment") or "monthly"),
        founded_line=lines.get(("founded_on",)))
    branch.partial.update(set(REQUIRED_TABLES) - files.tables.keys())  # missing or unreadable: a problem told
    for name, table in files.tables.items():
        branch.files[name] = table.path
        if table.path in checked.bad_files:
            branch.partial.add(name)
            continue
        bad = checked.bad_rows.get(table.path, set())
        if bad:
            branch.partial.add(name)
        position = {h.strip(): i for i, h in enumerate(table.header)}  # a repeated name: its last column
        branch.columns[name] = frozenset(position)
        fields, make = _ROW[name]
        # A column the file lacks is optional (validation marks a file without a required one as bad): it reads
        # as empty cells after the file's own, as do the optional cells a row leaves off the end of the header.
        absent = [f for f in fields if f not in position]
        for index, column in enumerate(absent):
            position[column] = len(table.header) + index
        width = len(table.header) + len(absent)
        cells = operator.itemgetter(*(position[f] for f in fields))
        target = getattr(branch, name)
        for row, line in zip(table.rows, table.lines, strict=True):
            if line in bad or not any(row):  # rows of the wrong length or blank are bad rows already
                continue
            try:
                target.append(make(cells(filled(row, width)), line))
            except (IndexError, ValueError, TypeError, ArithmeticError) as exc:
                raise RecordDropped(table.path, line) from exc
        if release:
            table.release()
    if files.exemptions is not None and files.exemptions.path not in checked.bad_files:
        items = (files.exemptions.data or {}).get("exemptions") or []
        for i, item in enumerate(items):
            branch.exemptions.append(Exemption(
                rule=str(item["rule"]), start=_day(item["from"]), expires_on=_day(item["expires_on"]),
                reason=str(item.get("reason") or ""), approver=str(item.get("approver") or ""),
                approved_on=_date(item.get("approved_on")),
                line=files.exemptions.lines.get(("exemptions", i), 1),
                members=tuple(str(m) for m in item.get("members") or ())))
    return branch


def _officers(items: Any, lines: dict[tuple, int] | None = None, where: tuple = ()) -> tuple[Officer, ...]:
    """Office holders; the old one-role format (`role: 书记`) is read as `roles: [书记]` and flagged."""
    return tuple(Officer(roles=tuple(str(r) for r in o.get("roles") or ([o["role"]] if o.get("role") else [])),
                         member=str(o.get("member") or ""), name=o.get("name"), double_leader=o.get("double_leader"),
                         elected_on=_date(o.get("elected_on")), extended_until=_date(o.get("extended_until")),
                         legacy_role="role" in o and "roles" not in o, line=(lines or {}).get((*where, i, "member")))
                 for i, o in enumerate(items or []))


_DATES: dict[str, dt.date] = {}  # the same few thousand days recur on a million rows
_DECIMALS: dict[str, Decimal] = {}
_CACHED = 100_000  # entries per cache at most


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if type(value) is not str:
        return dt.date.fromisoformat(str(value))
    found = _DATES.get(value)
    if found is None:
        found = dt.date.fromisoformat(value)
        if len(_DATES) < _CACHED:
            _DATES[value] = found
    return found


def _day(value: Any) -> dt.date:
    """A required date: validation lets only real ones through, so an empty one fails loudly (a dropped row)."""
    found = _date(value)
    if found is None:
        raise ValueError("a required date is empty")
    return found


def _dec(value: str) -> Decimal | None:
    if not value:
        return None
    found = _DECIMALS.get(value)
    if found is None:
        found = Decimal(value)  # validation lets only plain decimals through: anything else fails loudly
        if not found.is_finite():
            raise InvalidOperation(value)
        if len(_DECIMALS) < _CACHED:
            _DECIMALS[value] = found
    return found


ALSO_SEPARATOR = "、"  # meetings.csv also_kind: several kinds are separated as a secretary lists them in Chinese


def _int(value: str) -> int | None:
    return int(value) if value else None


# Each table: the columns the model uses, in order, and how a row's cells in that order become a record.
_ROW: dict[str, tuple[tuple[str, ...], Callable[[tuple, int], Any]]] = {
    "members": (("id", "category", "group", "admitted_on", "full_on", "joined_on", "left_on", "left_reason",
                 "probation_extended_months", "away_since", "away_until", "retained_since", "lost_contact_since",
                 "lost_contact_until"),
                lambda c, line: Member(c[0], c[1], c[2], _day(c[3]), _date(c[4]), _day(c[5]), _date(c[6]), c[7],
                                       line, _int(c[8]), _date(c[9]), _date(c[10]), _date(c[11]), _date(c[12]),
                                       _date(c[13]))),
    "meetings": (("id", "date", "kind", "topic", "expected", "present", "group", "voting_expected", "voting_present",
                  "also_kind"),
                 lambda c, line: Meeting(c[0], _day(c[1]), c[2], c[3], int(c[4] or 0), int(c[5] or 0), c[6], line,
                                         _int(c[7]), _int(c[8]),
                                         tuple(k for k in c[9].split(ALSO_SEPARATOR) if k and k != c[2]))),
    "dues": (("month", "member", "due", "paid", "paid_on"),
             lambda c, line: Due(c[0], c[1], _dec(c[2]) or Decimal(0), _dec(c[3]), _date(c[4]), line)),
    "development": (("id", "applied_on", "talked_on", "activist_on", "target_on", "trained_hours", "admitted_on",
                     "full_on", "probation_extended_months", "mentor1", "mentor2", "sponsor1", "sponsor2",
                     "reviewed_on", "publicity_from", "publicity_to", "prereviewed_on", "leaving_on", "approved_on",
                     "oath_on"),
                    lambda c, line: Candidate(c[0], _date(c[1]), _date(c[2]), _date(c[3]), _date(c[4]), _dec(c[5]),
                                              _date(c[6]), _date(c[7]), line, _int(c[8]),
                                              tuple(m for m in c[9:11] if m), tuple(s for s in c[11:13] if s),
                                              *(_date(d) for d in c[13:20]))),
    "study": (("member", "date", "hours", "kind"),
              lambda c, line: Study(c[0], _day(c[1]), _dec(c[2]) or Decimal(0), c[3], line)),
    "elections": (("id", "meeting", "kind", "seats", "candidates", "eligible", "present", "votes"),
                  lambda c, line: Election(c[0], c[1], c[2], int(c[3]), int(c[4]), int(c[5]), int(c[6]),
                                           tuple(int(v) for v in c[7].split(ALSO_SEPARATOR) if v), line)),
    "absences": (("meeting", "member"), lambda c, line: Absence(c[0], c[1], line)),
    "appraisal": (("year", "meeting", "excellent", "qualified", "basic", "unqualified", "ungraded"),
                  lambda c, line: Appraisal(int(c[0]), c[1], int(c[2]), int(c[3]), int(c[4]), int(c[5]), int(c[6]),
                                            line)),
    "rectification": (("id", "meeting", "year", "due", "closed_on", "item", "internal"),
                      lambda c, line: Rectification(c[0], c[1], _int(c[2]), _day(c[3]), _date(c[4]), c[5], c[6],
                                                    line)),
}
