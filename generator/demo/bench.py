"""`make bench`: check and build timings on the demo and on a generated 1,000-branch repository.

Figures are printed (seconds, per-item costs, sizes); nothing here asserts a time.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from generator.history.git import Repository

if TYPE_CHECKING:
    from generator.pipeline import CheckRun

T = TypeVar("T")
REPO = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 20)


def _timed(function: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[float, T]:
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return time.perf_counter() - start, value


def _project(target: Path, records: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copytree(records, target / "records")
    for name in ("standards", "docs"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "mkdocs.yml", target)
    (target / "generator/site/assets/search").mkdir(parents=True)
    shutil.copy(REPO / "generator/site/assets/search/jieba-userdict.txt", target / "generator/site/assets/search/")
    repo = Repository.init(target, "bench", "bench@invalid")
    repo.run("add", "-A")
    repo.run("commit", "-qm", "bench")
    return target


def _plain_frictionless(root: Path) -> float:
    """Baseline: validate every CSV one by one with plain Frictionless calls and its own schema."""
    from frictionless import Resource, Schema

    schemas = {p.name.split(".")[0]: Schema(str(p)) for p in (root / "standards/schemas").glob("*.schema.json")
               if p.name.split(".")[0] in ("members", "meetings", "dues", "development", "study")}
    start = time.perf_counter()
    for csv in sorted((root / "records").glob("*/*/*.csv")):
        schema = schemas[csv.stem].to_copy()
        schema.foreign_keys = []
        Resource(str(csv.relative_to(root)), basepath=str(root), schema=schema, encoding="utf-8").validate()
    return time.perf_counter() - start


def _fresh(call: str, **env: str) -> float:
    """Seconds a new Python process takes for `call` (a call on this module), after its imports.

    The large measurements run this way, as `zhibu` would run them: an earlier step's heap would slow the
    garbage collector of the next and blur the comparison.
    """
    code = (f"import time, datetime as dt; from pathlib import Path; from generator.demo import bench; "
            f"start = time.perf_counter(); {call}; print(time.perf_counter() - start)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, **env})
    return float(done.stdout.strip().splitlines()[-1])


def _check(root: Path, **kwargs: Any) -> tuple[float, CheckRun]:
    from generator.pipeline import run_check

    return _timed(run_check, root, as_of=AS_OF, **kwargs)


def _site_figures(site: Path) -> tuple[float, float, float, int, str]:
    """Size of the site (MB), of its search index as stored and as sent gzip-compressed (MB), largest page."""
    files = [p for p in site.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files) / 1e6
    index = (site / "search/search_index.json").read_bytes()
    largest = max((p for p in files if p.suffix == ".html"), key=lambda p: p.stat().st_size)
    return (total, len(index) / 1e6, len(gzip.compress(index, mtime=0)) / 1e6, largest.stat().st_size,
            str(largest.relative_to(site)))


def _report_site(label: str, root: Path) -> None:
    from generator.site.build import build_site

    seconds, _ = _timed(build_site, root, Path("site"), AS_OF)
    _print_site(label, root, seconds)


def _print_site(label: str, root: Path, seconds: float) -> None:
    pages = len(list((root / "site").rglob("*.html")))
    total, index, zipped, largest, name = _site_figures(root / "site")
    print(f"{label} site build: {seconds:.1f} s, {pages} pages, {seconds / pages * 1000:.1f} ms/page, "
          f"site {total:.1f} MB, search index {index:.2f} MB ({zipped:.2f} MB gzip-compressed, what a phone "
          f"downloads), largest page {largest / 1000:.0f} kB ({name})")


def _report_releases(tmp: Path) -> None:
    """The releases demo: three tagged releases of the demo records, every version rebuilt from its tag."""
    from generator.demo.releases import make_demo_repository
    from generator.history.changes import describe_changes
    from generator.history.timeline import last_changes
    from generator.site.releases import build_releases

    seconds, _ = _timed(make_demo_repository, REPO, tmp / "releases-repo")
    print(f"releases demo repository (3 tags, {len(list((tmp / 'releases-repo').glob('records/*/*/')))} branches): "
          f"{seconds:.1f} s")
    seconds, site = _timed(build_releases, tmp / "releases-repo", tmp / "releases-site")
    count = len(site.releases)
    print(f"rebuild {count} released versions: {seconds:.1f} s ({seconds / count:.1f} s/version), "
          f"tree {sum(p.stat().st_size for p in site.out.rglob('*') if p.is_file()) / 1e6:.1f} MB")
    seconds, changes = _timed(describe_changes, tmp / "releases-repo", "2026.08", "2026.11", dt.date(2026, 8, 31))
    print(f"changes between two demo releases: {seconds:.2f} s, {len(changes)} statements")
    folders = [str(p.relative_to(tmp / "releases-repo")) for p in (tmp / "releases-repo").glob("records/*/*/")]
    seconds, _ = _timed(last_changes, tmp / "releases-repo", folders)
    print(f"last change of {len(folders)} branch folders (one git log pass): {seconds * 1000:.0f} ms")


def main() -> None:
    from generator.demo import bench_nasty, bench_sheets
    from generator.demo.college import generate

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    with tempfile.TemporaryDirectory(prefix="zhibu-bench-") as tmp:
        demo = _project(Path(tmp) / "demo", REPO / "records")
        cold, run = _check(demo)
        print(f"demo check: {cold:.2f} s for {len(run.ledger.branches)} branches "
              f"({cold / len(run.ledger.branches) * 1000:.0f} ms/branch), {len(run.results)} results")
        bench_nasty.report(demo)
        _report_site("demo", demo)
        _report_releases(Path(tmp))
        bench_sheets.report(demo)  # last: it enlarges one branch of the demo copy

        big_records = Path(tmp) / "big-records"
        seconds, _ = _timed(generate, big_records, seed=7, branches=1000, as_of=AS_OF)
        print(f"generate 1,000 branches: {seconds:.1f} s")
        big = _project(Path(tmp) / "big", big_records)
        branches = len(list((big / "records").glob("*/*/branch.yaml")))
        files = len(list((big / "records").glob("*/*/*.csv")))
        cold = _fresh(f"bench._check(Path({str(big)!r}))")
        print(f"1,000-branch full check: {cold:.1f} s ({cold / branches * 1000:.1f} ms/branch, {files} CSV files)")
        single = _fresh(f"bench._check(Path({str(big)!r}))", ZHIBU_JOBS="1")
        print(f"1,000-branch full check in one process (ZHIBU_JOBS=1): {single:.1f} s")
        baseline = _fresh(f"bench._plain_frictionless(Path({str(big)!r}))")
        print(f"plain Frictionless, file by file: {baseline:.1f} s; full check / baseline = {cold / baseline:.2f} "
              f"({os.cpu_count()} cores), in one process {single / baseline:.2f}")
        branch = sorted((big / "records").glob("*/*/meetings.csv"))[0]
        with branch.open("a", encoding="utf-8") as handle:
            handle.write(f"bench-extra,{AS_OF},党课,基准测试补记党课,5,5,\n")
        since, run = _check(big, since="HEAD")
        print(f"1,000-branch --since HEAD, one branch changed: {since:.2f} s "
              f"({len(run.ledger.branches)} branch evaluated); ratio to full check {since / cold:.3f}")
        Repository.open(big).run("checkout", "-q", "--", ".")
        seconds = _fresh(f"bench._build(Path({str(big)!r}), 'site')")
        _print_site("1,000-branch", big, seconds)
        seconds = _fresh(f"bench._build(Path({str(big)!r}), 'site2')")
        same = subprocess.run(["diff", "-rq", str(big / "site"), str(big / "site2")], capture_output=True)
        print(f"second 1,000-branch build: {seconds:.1f} s; "
              f"two builds of the same commit and as-of date identical: {same.returncode == 0}")


def _build(root: Path, out: str) -> None:
    from generator.site.build import build_site

    build_site(root, Path(out), AS_OF)


if __name__ == "__main__":
    main()
