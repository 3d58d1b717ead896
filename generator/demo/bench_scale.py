"""`make bench` at size: one college of N branches (1,000 by default; `make bench BIG=1` is 6,000).

Every figure is taken in a new process, as `zhibu` runs: wall and CPU seconds (on a shared machine the
wall clock stretches, the CPU time is the work itself) and peak resident memory of the main process and
of its largest worker. Nothing here asserts a time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from multiprocessing import get_context
from pathlib import Path

from generator.history.git import Repository

AS_OF = dt.date(2026, 11, 20)


def measure(call: str, **env: str) -> dict[str, float]:
    """Run `call` (Python, after `from generator.demo import bench, bench_scale`) in a new process.

    Returns wall and CPU seconds of the call (the program's imports excluded, about a second), peak RSS in MB
    of the process (`rss`) and of the largest process it started and waited for (`worker`: a checker, or git)."""
    code = ("import time, resource, json, datetime as dt; from pathlib import Path; "
            "from generator.demo import bench, bench_scale; import generator.site.build; "
            "start, cpu = time.perf_counter(), time.process_time(); "
            f"{call}; "
            "wall, cpu = time.perf_counter() - start, time.process_time() - cpu; "
            "kids = resource.getrusage(resource.RUSAGE_CHILDREN); "
            "print(json.dumps({'wall': wall, 'cpu': cpu + kids.ru_utime + kids.ru_stime, "
            "'rss': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'worker': kids.ru_maxrss / 1024}))")
    done = subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, **env})
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _shown(figures: dict[str, float]) -> str:
    worker = f", largest child process {figures['worker']:.0f} MB" if figures["worker"] else ""
    return (f"{figures['wall']:.1f} s (CPU {figures['cpu']:.1f} s), peak memory {figures['rss']:.0f} MB"
            f"{worker}")


def check(root: Path, since: str | None = None) -> None:
    """What `zhibu check` does (in a process of its own: see `measure`)."""
    from generator.pipeline import run_check

    run_check(root, as_of=AS_OF, since=since)


def build(root: Path, out: str) -> None:
    from generator.site.build import build_site

    build_site(root, Path(out), AS_OF)


def plain_frictionless(root: Path, jobs: int = 1) -> None:
    """Baseline: every CSV validated one by one by plain Frictionless with its schema, in `jobs` processes.

    As a user of Frictionless would: `Resource(file, schema=standards/schemas/<table>.schema.json).validate()`,
    the files dealt out to `jobs` processes. The foreign keys are left out (they name other files, which one
    resource cannot look up; zhibu checks them itself), everything else of the schema is checked."""
    files = sorted(str(p.relative_to(root)) for p in (root / "records").glob("*/*/*.csv"))
    if jobs == 1:
        _plain(root, files)
        return
    with get_context("fork").Pool(jobs) as pool:
        pool.starmap(_plain, [(root, files[i::jobs]) for i in range(jobs)])


def _plain(root: Path, files: list[str]) -> None:
    from frictionless import Resource, Schema

    from generator.records.load import TABLES

    schemas = {name: Schema(str(root / f"standards/schemas/{name}.schema.json")) for name in TABLES}
    for name in files:
        schema = schemas[Path(name).stem].to_copy()
        schema.foreign_keys = []
        Resource(name, basepath=str(root), schema=schema, encoding="utf-8").validate()


def project(root: Path, branches: int) -> Path:
    """The generated college of `branches` branches as a Git repository at `root` (made once, then reused)."""
    from generator.demo import bench
    from generator.demo.college import generate

    if (root / "records/organization.yaml").exists():
        print(f"reusing {root}{refresh(root)}")
        return root
    records = root.parent / f"{root.name}-records"
    start = time.perf_counter()
    generate(records, seed=7, branches=branches, as_of=AS_OF)
    bench._project(root, records)
    shutil.rmtree(records)
    Repository.open(root).run("config", "gc.auto", "0")  # a background gc would disturb the timings
    print(f"generate {branches:,} branches: {time.perf_counter() - start:.1f} s")
    return root


def refresh(root: Path) -> str:
    """Give a reused college this checkout's standards (and docs, site configuration), committed.

    A bench after a change of the rules or schemas then measures the current rules; the records stay. Files
    the checkout no longer has are removed. Committed so that `--since HEAD` (and the reset after it) sees
    only the branch it changes. Returns what was done, for the log line."""
    from generator.demo import bench

    for name in ("standards", "docs"):
        shutil.rmtree(root / name, ignore_errors=True)
        shutil.copytree(bench.REPO / name, root / name)
    shutil.copy(bench.REPO / "mkdocs.yml", root)
    (root / "generator/site/assets/search").mkdir(parents=True, exist_ok=True)
    shutil.copy(bench.REPO / "generator/site/assets/search/jieba-userdict.txt", root / "generator/site/assets/search/")
    repo = Repository.open(root)
    repo.run("add", "-A", "--", "standards", "docs", "mkdocs.yml", "generator")
    if not repo.run("status", "--porcelain", "--", "standards", "docs", "mkdocs.yml", "generator"):
        return " (its standards are this checkout's)"
    source = Repository.open(bench.REPO).head() or "?"
    repo.run("commit", "-qm", f"standards of {source[:7]}", "--", "standards", "docs", "mkdocs.yml", "generator")
    return f" (standards, docs and site configuration of {source[:7]} committed)"


def report(root: Path) -> None:
    """Check, narrowed check, build and baseline figures of the repository at `root`."""
    branches = len(list((root / "records").glob("*/*/branch.yaml")))
    files = list((root / "records").glob("*/*/*"))
    print(f"{branches:,} branches: {len(files):,} record files, {sum(p.stat().st_size for p in files) / 1e6:.0f} MB")
    cache = root.parent / f"{root.name}-cache"  # the validation cache of these runs, empty at first
    shutil.rmtree(cache, ignore_errors=True)
    os.environ["ZHIBU_CACHE"] = str(cache)
    label, here = f"{branches:,}-branch", f"Path({str(root)!r})"
    cold = measure(f"bench_scale.check({here})")
    print(f"{label} full check: {_shown(cold)}")
    warm = measure(f"bench_scale.check({here})")
    print(f"{label} second full check (validation cached by file content): {_shown(warm)}")
    single = measure(f"bench_scale.check({here})", ZHIBU_JOBS="1", ZHIBU_CACHE="off")
    print(f"{label} full check in one process (ZHIBU_JOBS=1, no cache): {_shown(single)}")
    plain = measure(f"bench_scale.plain_frictionless({here})")
    print(f"plain Frictionless, file by file, one process: {_shown(plain)}")
    cores = os.cpu_count() or 1
    every = measure(f"bench_scale.plain_frictionless({here}, {cores})")
    print(f"plain Frictionless, file by file, {cores} processes: {_shown(every)}")
    print(f"full check / plain Frictionless (goal: at most 0.5): wall {cold['wall'] / plain['wall']:.2f} "
          f"(one process), {cold['wall'] / every['wall']:.2f} (every core); CPU {cold['cpu'] / plain['cpu']:.2f}, "
          f"{cold['cpu'] / every['cpu']:.2f}; full check in one process / plain one process: wall "
          f"{single['wall'] / plain['wall']:.2f}, CPU {single['cpu'] / plain['cpu']:.2f}")
    _since(root, label)
    built = measure(f"bench_scale.build({here}, 'site')")
    print(f"{label} build after the check (validation cached): {_shown(built)}")
    print(_site_figures(root / "site"))
    again = measure(f"bench_scale.build({here}, 'site2')", ZHIBU_CACHE="off")
    same = subprocess.run(["diff", "-rq", str(root / "site"), str(root / "site2")], capture_output=True)
    print(f"{label} build without the cache: {_shown(again)}; two builds identical: {same.returncode == 0}")
    shutil.rmtree(root / "site2")
    shutil.rmtree(cache, ignore_errors=True)


def _since(root: Path, label: str) -> None:
    meetings = sorted((root / "records").glob("*/*/meetings.csv"))[0]
    with meetings.open("a", encoding="utf-8") as handle:
        handle.write(f"bench-extra,{AS_OF},党课,基准测试补记党课,5,5,\n")
    try:
        since = measure(f"bench_scale.check(Path({str(root)!r}), since='HEAD')")
        print(f"{label} --since HEAD, one branch changed: {_shown(since)}")
    finally:
        Repository.open(root).run("checkout", "-q", "--", ".")


def _site_figures(site: Path) -> str:
    from generator.demo import bench

    pages = len(list(site.rglob("*.html")))
    total, index, zipped, largest, name = bench._site_figures(site)
    statistics = (site / "statistics/index.html").stat().st_size / 1000
    return (f"site: {pages:,} pages, {total:.0f} MB, search index {index:.1f} MB ({zipped:.2f} MB gzip-compressed), "
            f"statistics page {statistics:.0f} kB, largest page {largest / 1000:.0f} kB ({name})")
