"""Open data: a Frictionless data package of aggregates under site/data/ (no row-level personal records)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from generator.rules import STATUSES, Result
from generator.sheets.download import write_table_workbook
from generator.sheets.template import blank_template
from generator.site.audience import Disclosure
from generator.site.statistics import Statistics, few_people, quarter_label
from generator.standards.identity import STANDARDS_VERSION, rule_fingerprints, ruleset_id

if TYPE_CHECKING:  # pipeline imports this module: the name only for type hints
    from generator.pipeline import CheckRun

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
FORMULA_START = "=+-@\t\r"  # OWASP "CSV Injection": a spreadsheet may run a cell that starts with one of these


def safe_cell(value: object) -> str:
    """Neutralise spreadsheet formulas (OWASP CSV injection) while keeping numbers numbers.

    A leading apostrophe makes the cell text; a formula start after leading spaces counts too, since some
    spreadsheets trim them. Negative numbers (-3, -0.25) and ISO dates are left as they are. Line breaks
    become LF, which the writer quotes.
    """
    text = "" if value is None else str(value)
    if not text or (text[0] not in FORMULA_START and not text[0].isspace() and "\r" not in text):
        return text  # nothing to neutralise (most cells): no formula start, no leading space, no CR
    starts = {text[:1], text.lstrip()[:1]} - {""}
    if starts & set(FORMULA_START) and not _NUMBER.match(text):
        text = "'" + text
    # A lone CR would end the row in many readers, and the writer (lineterminator "\n") does not quote it.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def csv_bytes(header: list[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV table as the open data writes it: formula starts neutralised (safe_cell), LF line ends, UTF-8."""
    return _lines([header]) + _lines(rows)


def _lines(rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([safe_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def _write_csv(target: Path, header: list[str], rows: Iterable[Sequence[object]]) -> tuple[int, str]:
    """csv_bytes written 10,000 rows at a time; the size and the sha256 digest."""
    digest, size, rows = hashlib.sha256(), 0, iter(rows)
    with target.open("wb") as out:
        chunk = _lines([header])
        while chunk:
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)
            chunk = _lines(islice(rows, 10_000))
    return size, "sha256:" + digest.hexdigest()


def _counts(result: Result, threshold: int) -> tuple[object, object]:
    """count and required, left empty where they would tell how few persons fell short."""
    if few_people(result, threshold):
        return "", ""
    return ("" if result.count is None else result.count), ("" if result.required is None else result.required)


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


# What each table and column shows (党务公开目录 kinds, see site/audience.py); the data page names them too.
TABLE_KINDS: dict[str, tuple[str, ...]] = {
    "compliance": ("open_data", "checklists"), "branches": ("open_data", "statistics"),
    "units": ("open_data", "statistics"), "meetings_monthly": ("open_data", "meetings"),
    "dues_monthly": ("open_data", "dues_rates"), "rules": ("open_data", "standards"),
    "quarterly": ("open_data", "checklists")}
COLUMN_KINDS: dict[str, tuple[str, ...]] = {
    "share": ("checklists",), "fails_12m": ("checklists",), "attendance": ("attendance",),
    "dues_rate": ("dues_rates",), "expected": ("attendance",), "present": ("attendance",)}


Rows = Callable[[], Iterable[Sequence[object]]]  # a table's rows, made afresh each time they are read


def _tables(run: CheckRun, stats: Statistics, disclosure: Disclosure | None, fingerprints: dict[str, str]
            ) -> dict[str, tuple[list[str], Rows]]:
    """Each table of data/ this audience reads (all without a disclosure): its header and its rows."""
    unit_of = {b.code: b.unit for b in run.ledger.branches}
    threshold = run.ledger.organization.min_cell_size

    def compliance() -> Iterator[list[object]]:  # a row per result (1.8 million at 6,000 branches): never all held
        return ([r.branch, unit_of[r.branch], r.rule, r.period, r.status, *_counts(r, threshold)] for r in run.results)

    tables: dict[str, tuple[list[str], Rows]] = {
        "compliance": (["branch", "unit", "rule", "period", "status", "count", "required"], compliance),
        "branches": (["branch", "unit", "name", "type", "members", "full_members", "share", "attendance",
                      "dues_rate", "fails_12m"],
                     _listed([[s.code, s.unit, s.name, s.type, s.members, s.full, _share(s.share),
                               _share(s.attendance), _share(s.dues_rate), s.fails]
                              for s in sorted(stats.branches.values(), key=lambda s: s.code)])),
        "units": (["unit", "name", "kind", "branches", "members", "share", "dues_rate"],
                  _listed([[code, u["name"], u["kind"], u["branches"], u["members"], _share(u["share"]),
                            _share(u["dues_rate"])] for code, u in stats.units.items()])),
        "meetings_monthly": (["month", "meetings", "expected", "present"],
                             _listed([[row["month"], sum(row["kinds"].values()), row["expected"], row["present"]]
                                      for row in stats.meetings_monthly])),
        "dues_monthly": (["month", "owed", "paid", "rate"],
                         _listed([[row["month"], f"{row['owed']:.2f}", f"{row['paid']:.2f}", _share(row["rate"])]
                                  for row in stats.dues_monthly])),
        "rules": (["rule", "title", "source", "article", "confidence", "period", "severity", "valid_from",
                   "valid_until", "fingerprint"],
                  _listed([[r.id, r.title, r.meta.get("source", ""), r.meta.get("article") or "",
                            r.meta.get("confidence", ""), r.period, r.severity, r.valid_from or "", r.valid_until or "",
                            fingerprints[r.id]] for r in run.standards.rules])),
        "quarterly": (["quarter", "rule", "judged", "passed"], _listed(quarterly(run.results))),
    }
    if disclosure is None:
        return tables
    # The audience's tables and columns only (the decision is audience.py's).
    return {name: _columns(header, rows, disclosure) for name, (header, rows) in tables.items()
            if disclosure.allows(*TABLE_KINDS[name])}


def _listed(rows: list[list[object]]) -> Rows:
    return lambda: rows


def _columns(header: list[str], rows: Rows, disclosure: Disclosure) -> tuple[list[str], Rows]:
    keep = disclosure.kept(header, COLUMN_KINDS)
    if len(keep) == len(header):
        return header, rows
    return [header[i] for i in keep], lambda: ([row[i] for i in keep] for row in rows())


def write_open_data(folder: Path, run: CheckRun, stats: Statistics, disclosure: Disclosure | None = None
                    ) -> list[str]:
    """Write data/ into `folder` (which exists): CSV resources and datapackage.json describing them, the tables
    and columns that `disclosure` allows (all without one), each table again as .xlsx, and the blank workbook for
    secretaries. Returns the files' names in the order written.

    Rows are streamed to the files: none of the tables is held whole (compliance has a row per result)."""
    fingerprints = rule_fingerprints(run.standards.rules, run.ledger.organization.settings)
    tables = _tables(run, stats, disclosure, fingerprints)
    written, digests = [], {}
    for name, (header, rows) in tables.items():
        digests[name] = _write_csv(folder / f"{name}.csv", header, rows())
        written.append(f"{name}.csv")
    for name, (header, rows) in tables.items():  # the same table for Excel, which garbles UTF-8 CSV without a BOM
        write_table_workbook(folder / f"{name}.xlsx", name, header, rows(), _TYPES, run.as_of)
        written.append(f"{name}.xlsx")
    (folder / "template.xlsx").write_bytes(blank_template(run.standards, run.as_of))  # linked from branch pages
    written.append("template.xlsx")
    if not tables:  # this audience reads no table: no data package, only the blank workbook
        return written
    descriptor = _descriptor(run, tables, fingerprints)
    for resource in descriptor["resources"]:  # a harvester checks what it fetched (and skips what it has)
        resource["bytes"], resource["hash"] = digests[resource["name"]]
    text = json.dumps(descriptor, ensure_ascii=False, indent=2)
    (folder / "datapackage.json").write_bytes(text.encode("utf-8"))
    return [*written, "datapackage.json"]


def build_open_data(run: CheckRun, stats: Statistics, disclosure: Disclosure | None = None) -> dict[str, bytes]:
    """write_open_data's files as name → bytes (tests, the demo province's packages)."""
    with tempfile.TemporaryDirectory(prefix="zhibu-data-") as temp:
        return {name: (Path(temp) / name).read_bytes() for name in write_open_data(Path(temp), run, stats, disclosure)}


def quarterly(results: list[Result]) -> list[list]:
    """Per quarter and rule: results judged (pass or fail) and passed; a month's result counts in its quarter.

    Years and structural rules have no quarter. The same figures follow from compliance.csv, which lets a
    reader (and the provincial portal) check one table against the other.
    """
    judged: Counter[tuple[str, str]] = Counter()
    passed: Counter[tuple[str, str]] = Counter()
    for r in results:
        quarter = quarter_label(r.period)
        if quarter and r.status in ("pass", "fail"):
            judged[(quarter, r.rule)] += 1
            passed[(quarter, r.rule)] += r.status == "pass"
    return [[quarter, rule, count, passed[(quarter, rule)]] for (quarter, rule), count in sorted(judged.items())]


_TYPES = {"count": "integer", "required": "integer", "members": "integer", "full_members": "integer",
          "branches": "integer", "fails_12m": "integer", "meetings": "integer", "expected": "integer",
          "present": "integer", "owed": "number", "paid": "number", "rate": "number",
          "share": "number", "attendance": "number", "dues_rate": "number", "valid_from": "date",
          "valid_until": "date", "judged": "integer", "passed": "integer"}


def _field(table: str, name: str) -> dict:
    """A Table Schema field; compliance.csv's status is one of the contract's statuses (design.md §4)."""
    field: dict[str, object] = {"name": name, "type": _TYPES.get(name, "string")}
    if (table, name) == ("compliance", "status"):
        field["constraints"] = {"required": True, "enum": list(STATUSES)}
    return field


def _descriptor(run: CheckRun, tables: dict, fingerprints: dict[str, str]) -> dict:
    org = run.ledger.organization
    return {
        "name": f"{run.ledger.organization.code}-zhibu",
        "title": f"{run.ledger.organization.name} 党支部工作合规与统计数据",
        "description": f"数据截至 {run.as_of}，生成自提交 {run.commit or '（未提交）'}。只含汇总数据。",
        "version": run.as_of.isoformat(),
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        # what a provincial portal (zhibu federate) reads to decide whether these figures compare with others'
        "zhibu": {"college": org.code, "name": org.name, "as_of": run.as_of.isoformat(), "commit": run.commit or "",
                  "standards_version": STANDARDS_VERSION, "ruleset": ruleset_id(fingerprints),
                  "min_cell_size": org.min_cell_size},
        "resources": [
            {"name": name, "path": f"{name}.csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
             "schema": {"fields": [_field(name, h) for h in header],
                        "missingValues": [""]}}
            for name, (header, _rows) in tables.items()],
    }
