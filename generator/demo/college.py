"""Deterministic demo records for the fictional 示例职业技术学院 (`zhibu demo`).

`generate(out, seed, branches, as_of)` writes a complete records/ tree: organization, units, branches
with members, meetings, dues, development and study from 2023-01-01 to the as-of date. The same
arguments always give byte-identical files. Most branches comply; a listed few break one rule each so
that every rule has a failing example (see demo_faults.py and the generated README.md).
"""

from __future__ import annotations

import csv
import functools
import json
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from generator.demo import duties, names
from generator.demo.branch import BranchData, BranchSpec, build, group_entries
from generator.demo.dates import START
from generator.demo.faults import EXEMPTIONS, FAULTS, QUARTERLY_DUES, SIZES, Shortfall
from generator.demo.roster import Ids
from generator.validation.optional import optional_columns

HEADERS = {
    "members": ["id", "category", "group", "admitted_on", "full_on", "joined_on", "left_on", "left_reason",
                "probation_extended_months", "away_since", "away_until", "retained_since", "lost_contact_since",
                "lost_contact_until"],
    "meetings": ["id", "date", "kind", "topic", "expected", "present", "group", "voting_expected", "voting_present"],
    "dues": ["month", "member", "due", "paid", "paid_on"],
    "development": ["id", "applied_on", "talked_on", "activist_on", "target_on", "trained_hours",
                    "admitted_on", "full_on", "probation_extended_months", "mentor1", "mentor2", "sponsor1", "sponsor2",
                    "reviewed_on", "publicity_from", "publicity_to", "prereviewed_on", "leaving_on", "approved_on",
                    "oath_on"],
    "study": ["member", "date", "hours", "kind"],
    "elections": ["id", "meeting", "kind", "seats", "candidates", "eligible", "present", "votes"],
    "absences": ["meeting", "member"],
    "rectification": duties.RECTIFICATION_HEADER,
    "appraisal": duties.APPRAISAL_HEADER,
}
SCHEMAS = Path(__file__).resolve().parents[2] / "standards" / "schemas"  # the demo fits this repository's standards
MARGIN = 20  # the demo college requires 差额 of at least 20% in committee elections (EL-04, a local rule)
YAML_HEAD = "# 示例职业技术学院：虚构的演示数据（zhibu demo 生成），不对应任何真实组织或人员。\n"


@dataclass
class DemoSummary:
    """What `generate` wrote, and the deliberate shortfalls a checker should find."""

    out: Path
    seed: int
    as_of: date
    units: int
    branches: int
    members: int
    files: int
    bytes: int
    shortfalls: list[Shortfall] = field(default_factory=list)
    exemptions: list[tuple[str, str, str]] = field(default_factory=list)  # (branch, rule, period)

    def __str__(self) -> str:
        lines = [f"{self.out}: {self.units} units, {self.branches} branches, {self.members} members, "
                 f"{self.files} files, {self.bytes / 1e6:.1f} MB (seed {self.seed}, as of {self.as_of})"]
        lines += [f"  {s.branch:<16} {s.rule:<7} {s.description}" for s in self.shortfalls]
        return "\n".join(lines)


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    branches: list[BranchSpec]


def generate(out: Path, seed: int = 2025, branches: int = 24, as_of: date = date(2026, 11, 20)) -> DemoSummary:
    """Write the demo records tree under `out` (the records/ directory itself) and summarise it."""
    if as_of < START:
        raise ValueError(f"as_of {as_of} is before the records start {START}")
    if branches < 1:
        raise ValueError("branches must be at least 1")
    prepare(Path(out))
    ids = Ids()
    summary = DemoSummary(Path(out), seed, as_of, 0, 0, 0, 0, 0)
    write_yaml(out / "organization.yaml", organization())
    for unit in layout(branches):
        summary.units += 1
        write_yaml(out / unit.code / "unit.yaml", {"code": unit.code, "name": unit.name, "kind": unit.kind,
                                                  "maintainers": [f"{unit.code}-zuzhi"]})
        for spec in unit.branches:
            data = build(spec, seed, ids, as_of, EXEMPTIONS.get(spec.code, []), MARGIN)
            write_branch(out / unit.code / spec.code, data)
            summary.branches += 1
            summary.members += len(data.people)
            summary.shortfalls += data.shortfalls
            summary.exemptions += [(spec.code, e["rule"], f"{e['from']}—{e['expires_on']}") for e in data.exemptions]
    (out / "README.md").write_text(readme(summary, EXEMPTIONS), encoding="utf-8", newline="\n")
    files = [f for f in Path(out).rglob("*") if f.is_file()]
    summary.files, summary.bytes = len(files), sum(f.stat().st_size for f in files)
    return summary


def prepare(out: Path) -> None:
    """Start from an empty folder; only an earlier demo tree (demo: true) is ever removed."""
    if out.exists() and any(out.iterdir()):
        org = out / "organization.yaml"
        if not (org.is_file() and (yaml.safe_load(org.read_text(encoding="utf-8")) or {}).get("demo") is True):
            raise FileExistsError(f"{out} is not empty and is not a demo records folder; refusing to overwrite")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def organization() -> dict:
    return {
        "code": "demo-college",
        "name": f"{names.COLLEGE}党委",
        "site_title": f"{names.COLLEGE} · 党支部工作公开",
        "demo": True,
        "records_start": f"{START.year}-{START.month:02d}",
        "show_officer_names": False,
        "min_cell_size": 5,
        "maintainers": ["dangwei-zuzhibu"],
        "settings": {"party_lecture_per_quarter": 1, "dues_alert_months": 3, "publicity_workdays": 5,
                     "dues_rounding": "0.01", "leader_study_hours": 56,
                     "study_kinds_counted": ["集中学习培训", "党课", "主题党日", "网络学习", "专题讲座"],
                     "student_branch_max_members": 30, "election_margin_percent": MARGIN},
        # 党务公开目录: what the demo committee publishes, and what stays inside the Party (attendance reveals
        # who was absent in a small branch; reminders and the annual ledger are working papers).
        "disclosure": {"checklists": "public", "meetings": "public", "attendance": "party", "dues_rates": "public",
                       "development_counts": "public", "statistics": "public", "open_data": "public",
                       "standards": "public", "changes": "public", "calendar": "party", "annual_ledger": "party",
                       "rectification": "public", "appraisal": "party"},
    }


def layout(count: int) -> list[UnitSpec]:
    """The 24-branch demo college first, then extra schools of about eight branches each."""
    units: list[UnitSpec] = []
    left = count
    for code, name, kind, items in names.LAYOUT:
        specs = [spec(code, name, f"{code}-{suffix}", bname, btype) for suffix, btype, bname in items[:left]]
        if specs:
            units.append(UnitSpec(code, name, kind, specs))
        left -= len(specs)
    index = 0
    while left > 0:
        unit = extra_unit(index)
        unit.branches[:] = unit.branches[:left]
        left -= len(unit.branches)
        units.append(unit)
        index += 1
    return units


def spec(unit: str, unit_name: str, code: str, name: str, kind: str) -> BranchSpec:
    return BranchSpec(unit, unit_name, code, name, kind, frozenset(FAULTS.get(code, ())), SIZES.get(code))


def extra_unit(index: int) -> UnitSpec:
    """Generated schools (3 of 4: a college of 8 branches) and service units (admin and retired)."""
    service = index % 4 == 3
    pool = names.EXTRA_SERVICES if service else names.EXTRA_COLLEGES
    number = index // 4 if service else index - index // 4
    base, label = pool[number % len(pool)]
    round_ = number // len(pool)
    code = base if round_ == 0 else f"{base}{round_ + 1}"
    label = label if round_ == 0 else f"{label}第{names.numeral(round_ + 1)}分部"
    if service:
        unit_name = f"{label}党总支"
        kinds = [("db", "admin", "机关")] * 5 + [("lt", "retired", "离退休")] * 3
    else:
        unit_name = f"{label}党委"
        kinds = [("js", "faculty", "教工")] * 2 + [("xs", "student", "学生")] * 5 + [("lh", "joint", "师生联合")]
    specs: list[BranchSpec] = []
    seen: dict[str, int] = {}
    for suffix, btype, word in kinds:
        seen[suffix] = seen.get(suffix, 0) + 1
        n = seen[suffix]
        bname = f"{label}{word}党支部" if btype == "joint" else f"{label}{word}第{names.numeral(n)}党支部"
        specs.append(spec(code, unit_name, f"{code}-{suffix}{n}", bname, btype))
    return UnitSpec(code, unit_name, "general_branch" if service else "dept_committee", specs)


# --- writing --------------------------------------------------------------------------------------

class _Plain(yaml.SafeDumper):
    """Writes every value out: records refuse YAML aliases, which PyYAML makes for a date used twice."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def write_yaml(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = YAML_HEAD + yaml.dump(data, Dumper=_Plain, allow_unicode=True, sort_keys=False, width=200)
    path.write_text(text, encoding="utf-8", newline="\n")


@functools.cache
def optional() -> frozenset[str]:
    """The columns the table schemas mark optionalColumn: written only into files that use them."""
    return frozenset().union(*(optional_columns(json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8")))
                               for name in HEADERS))


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    unused = {i for i, name in enumerate(header)
              if name in optional() and not any(i < len(row) and row[i] not in ("", None) for row in rows)}
    if unused:
        header = [name for i, name in enumerate(header) if i not in unused]
        rows = [[value for i, value in enumerate(row) if i not in unused] for row in rows]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([["" if v is None else v for v in row] for row in rows])


def write_branch(folder: Path, data: BranchData) -> None:
    spec = data.spec
    doc: dict = {"code": spec.code, "name": spec.name, "type": spec.type, "founded_on": data.founded_on,
                 "covered_units": covered_units(spec), "groups": group_entries(data.groups)}
    if data.committee:
        doc["committee"] = data.committee
    else:
        doc["secretary"] = data.secretary
    if spec.code in QUARTERLY_DUES:
        doc["dues_payment"] = "quarterly"  # 经党支部同意，可以每季度交纳一次
    doc["maintainers"] = [f"{spec.code}-shuji"]
    write_yaml(folder / "branch.yaml", doc)
    write_csv(folder / "members.csv", HEADERS["members"],
              [[p.id, p.category, p.group, p.admitted_on, p.full_on, p.joined_on, p.left_on, p.left_reason,
                p.extended, p.away_since, None, p.retained_since, p.lost_contact_since, None] for p in data.people])
    also = ["also_kind"] if any(len(row) > len(HEADERS["meetings"]) for row in data.meetings) else []
    write_csv(folder / "meetings.csv", HEADERS["meetings"] + also, data.meetings)
    if spec.type != "temporary":  # 临时党支部“不收缴党费”: the members pay at their home branches
        write_csv(folder / "dues.csv", HEADERS["dues"], data.dues)
    write_csv(folder / "study.csv", HEADERS["study"], data.study)
    if data.candidates:
        write_csv(folder / "development.csv", HEADERS["development"],
                  [[c.id, c.applied_on, c.talked_on, c.activist_on, c.target_on, c.trained_hours, c.admitted_on,
                    c.full_on, c.extended, *(c.mentors + [None, None])[:2], *(c.sponsors + [None, None])[:2],
                    c.reviewed_on, c.publicity_from, c.publicity_to, c.prereviewed_on, c.leaving_on, c.approved_on,
                    c.oath_on] for c in data.candidates])
    if data.elections:
        write_csv(folder / "elections.csv", HEADERS["elections"], data.elections)
    if data.absences:
        write_csv(folder / "absences.csv", HEADERS["absences"], data.absences)
    if data.rectification:
        write_csv(folder / "rectification.csv", HEADERS["rectification"], data.rectification)
    if data.appraisal:
        write_csv(folder / "appraisal.csv", HEADERS["appraisal"], data.appraisal)
    if data.exemptions:
        write_yaml(folder / "exemptions.yaml", {"exemptions": data.exemptions})


def covered_units(spec: BranchSpec) -> list[str]:
    if spec.type != "joint":
        return []
    college = spec.unit_name.removesuffix("党委").removesuffix("党总支")
    return names.COVERED_UNITS.get(spec.code, [f"{college}专业教研室", f"{college}学生班级"])


def readme(summary: DemoSummary, exemptions: dict[str, list[dict]]) -> str:
    text = names.README_HEAD.format(seed=summary.seed, branches=summary.branches, as_of=summary.as_of)
    text += "".join(f"| {s.branch} | {s.rule} | {s.description} |\n" for s in summary.shortfalls)
    if summary.exemptions:
        text += names.README_EXEMPT
        for code, rule, period in summary.exemptions:
            item = next(e for e in exemptions[code] if e["rule"] == rule)
            scope = f"（只豁免 {item['members']} 名党员，其余党员照常检查）" if item.get("members") else ""
            text += f"| {code} | {rule} | {period} | {item['reason']}{scope} |\n"
    return text
