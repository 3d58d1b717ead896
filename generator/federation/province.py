"""The province's open data package: harvest.csv and the aggregates, a valid Frictionless data package."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from generator.federation.aggregate import STATUSES, Figures
from generator.federation.harvest import Harvested
from generator.federation.registry import Registry
from generator.site.opendata import csv_bytes
from generator.standards.identity import STANDARDS_VERSION

_COUNTS = ["pass", "fail", "notice", "due", "exempt", "na"]
_INTEGER = {"branches", "units", "members", "full_members", "passed", "judged", "count", "required",
            "compared_colleges", "other_colleges", *_COUNTS}
_TYPES = {**dict.fromkeys(_INTEGER, "integer"), "share": "number", "as_of": "date", "compared": "boolean",
          "suppressed": "boolean"}


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _num(value: int | None) -> object:
    return "" if value is None else value


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def province_package(registry: Registry, harvested: list[Harvested], figures: Figures, today: dt.date
                     ) -> dict[str, bytes]:
    """File name → bytes for the portal's data/: CSV tables and datapackage.json."""
    ok = [h for h in harvested if h.ok]
    tables: dict[str, tuple[list[str], list[list]]] = {
        "harvest": (["college", "status", "reason", "as_of", "commit", "branches", "reason_code"],
                    [[h.college.code, h.status, h.reason, h.as_of, h.commit, _num(h.branches), h.code]
                     for h in harvested]),
        "colleges": (["college", "name", "as_of", "commit", "branches", "units", "members", "full_members", "share"],
                     [[h.college.code, h.college.name, h.as_of, h.commit, f.branches, f.units, f.members,
                       f.full_members, _share(f.share)] for h in ok for f in [figures.colleges[h.college.code]]]),
        "college_groups": (["college", "group", "passed", "judged"],
                           [[code, group, passed, judged] for code, f in sorted(figures.colleges.items())
                            for group, (passed, judged) in sorted(f.groups.items())]),
        "college_rules": (["college", "rule", "compared", *_COUNTS, "count", "required", "suppressed"],
                          [[code, rule, _flag(figures.rules[rule].includes(code)),
                            *[r.counts[s] for s in STATUSES], _num(r.count_sum), _num(r.required_sum),
                            _flag(r.hidden)]
                           for code, f in sorted(figures.colleges.items()) for rule, r in sorted(f.rules.items())]),
        "college_quarters": (["college", "quarter", "judged", "passed"],
                             [[code, q, judged, passed] for code, f in sorted(figures.colleges.items())
                              for q, judged, passed in f.quarters]),
        "rules": (["rule", "title", "fingerprint", "compared_colleges", "other_colleges", *_COUNTS, "count",
                   "required", "suppressed"],
                  [[c.rule, c.title, c.reference, len(c.compared), len(c.other), *[c.counts[s] for s in STATUSES],
                    _num(c.count_sum), _num(c.required_sum), _flag(c.hidden)] for c in figures.rules.values()]),
    }
    files = {f"{name}.csv": csv_bytes(header, rows) for name, (header, rows) in tables.items()}
    resources = []
    for name, (header, _rows) in tables.items():
        data = files[f"{name}.csv"]
        resources.append({"name": name.replace("_", "-"), "path": f"{name}.csv", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8", "bytes": len(data),
                          "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                          "schema": {"fields": [{"name": h, "type": _TYPES.get(h, "string")} for h in header],
                                     "missingValues": [""]}})
    descriptor = {
        "name": "zhibu-province",
        "title": f"{registry.title} 汇总数据",
        "description": f"汇总日期 {today}；{len(ok)} 所学校的公开汇总数据（各校截止日见 colleges.csv）。"
                       "只含合计；包含隐去单元格的合计一律隐去（suppressed 为 true）。",
        "version": today.isoformat(),
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "zhibu": {"standards_version": STANDARDS_VERSION, "as_of": today.isoformat(), "colleges": len(ok)},
        "resources": resources,
    }
    files["datapackage.json"] = json.dumps(descriptor, ensure_ascii=False, indent=2).encode("utf-8")
    return files
