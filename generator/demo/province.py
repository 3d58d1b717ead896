"""Demo colleges for the provincial portal (tests and `make bench`): real packages, and cheap variants of one.

`college_package` builds a demo college's records, commits them and publishes its open data exactly as
`zhibu build` does (the data files only). `Variants` makes other colleges' packages from one of them without
building anything: other codes, a share of results turned over, quarterly.csv and hashes recomputed — valid
and consistent like the original, so a portal of 1,500 colleges costs seconds to prepare.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil
from collections import Counter
from pathlib import Path

import yaml

from generator.history.git import Repository

REPO = Path(__file__).resolve().parents[2]


def college_package(work: Path, code: str, name: str, seed: int, branches: int, as_of: dt.date,
                    settings: dict | None = None) -> dict[str, bytes]:
    """datapackage.json and the CSV files of one demo college's open data."""
    from generator.demo.college import generate
    from generator.pipeline import run_check
    from generator.site.opendata import build_open_data
    from generator.site.statistics import compute

    root = work / code
    generate(root / "records", seed=seed, branches=branches, as_of=as_of)
    shutil.copytree(REPO / "standards", root / "standards")
    org_file = root / "records/organization.yaml"
    org = yaml.safe_load(org_file.read_text(encoding="utf-8"))
    org.update(code=code, name=name)
    org["settings"] = {**(org.get("settings") or {}), **(settings or {})}
    org_file.write_text(yaml.safe_dump(org, allow_unicode=True, sort_keys=False), encoding="utf-8")
    repo = Repository.init(root, "demo", "demo@example.invalid")
    repo.run("add", "-A")
    repo.run("commit", "-qm", f"{code} records")
    run = run_check(root, as_of=as_of)
    files = build_open_data(run, compute(run.ledger, run.results, run.as_of))
    return {n: data for n, data in files.items() if n == "datapackage.json" or n.endswith(".csv")}


class Variants:
    """Many variants of one package: compliance.csv is read once, each variant only flips rows and counts."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        text = files["compliance.csv"].decode("utf-8")
        self.lines = text.splitlines(keepends=True)  # the demo's names hold no line breaks: one row a line
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) == len(self.lines), "a cell with a line break: use the csv module throughout"
        self.passes = [i for i, row in enumerate(rows) if i and row[4] == "pass"]
        self.quarter = {i: _quarter(rows[i][3]) for i in self.passes}
        self.rule = {i: rows[i][2] for i in self.passes}
        self.counts = {(q, rule): (judged, passed) for q, rule, judged, passed in _quarterly(rows[1:])}
        self.descriptor = json.loads(files["datapackage.json"])

    def make(self, code: str, name: str, index: int, as_of: dt.date | None = None) -> dict[str, bytes]:
        step = 7 + index % 23
        flipped = self.passes[step - 1::step]
        lines = list(self.lines)
        counts = dict(self.counts)
        for i in flipped:
            lines[i] = lines[i].replace(",pass,", ",fail,", 1)
            quarter = self.quarter[i]
            if quarter:
                judged, passed = counts[(quarter, self.rule[i])]
                counts[(quarter, self.rule[i])] = (judged, passed - 1)
        out = dict(self.files)
        out["compliance.csv"] = "".join(lines).encode("utf-8")
        out["quarterly.csv"] = _csv([["quarter", "rule", "judged", "passed"],
                                     *[[q, rule, judged, passed] for (q, rule), (judged, passed) in counts.items()]])
        descriptor = json.loads(json.dumps(self.descriptor))
        descriptor["name"] = f"{code}-zhibu"
        zhibu = descriptor["zhibu"]
        zhibu.update(college=code, name=name, commit=hashlib.sha1(f"{code}-{index}".encode()).hexdigest())
        if as_of:
            zhibu["as_of"] = as_of.isoformat()
        for resource in descriptor["resources"]:
            data = out[resource["path"]]
            resource["bytes"], resource["hash"] = len(data), "sha256:" + hashlib.sha256(data).hexdigest()
        out["datapackage.json"] = json.dumps(descriptor, ensure_ascii=False, indent=2).encode("utf-8")
        return out


def _quarter(period: str) -> str | None:
    if len(period) < 7 or period[4] != "-":
        return None
    return period if period[5] == "Q" else f"{period[:4]}-Q{(int(period[5:7]) + 2) // 3}"


def _quarterly(rows: list[list[str]]) -> list[list]:
    judged: Counter[tuple[str, str]] = Counter()
    passed: Counter[tuple[str, str]] = Counter()
    for _branch, _unit, rule, period, status, *_ in rows:
        quarter = _quarter(period)
        if status not in ("pass", "fail") or quarter is None:
            continue
        judged[(quarter, rule)] += 1
        passed[(quarter, rule)] += status == "pass"
    return [[q, rule, n, passed[(q, rule)]] for (q, rule), n in sorted(judged.items())]


def _csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_package(folder: Path, files: dict[str, bytes]) -> Path:
    """The package's files in `folder`; the path of its datapackage.json."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder / "datapackage.json"
