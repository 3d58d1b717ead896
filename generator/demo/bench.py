"""`make bench`: check and build timings on the demo and on a generated 1,000-branch repository (bench_scale).

Figures are printed (seconds, per-item costs, sizes); nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import shutil
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
    from generator.demo import bench_federation, bench_nasty, bench_scale, bench_sheets

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ["ZHIBU_CACHE"] = "off"  # the demo's figures are of the work itself (bench_scale measures the cache)
    with tempfile.TemporaryDirectory(prefix="zhibu-bench-") as tmp:
        demo = _project(Path(tmp) / "demo", REPO / "records")
        cold, run = _check(demo)
        print(f"demo check: {cold:.2f} s for {len(run.ledger.branches)} branches "
              f"({cold / len(run.ledger.branches) * 1000:.0f} ms/branch), {len(run.results)} results")
        bench_nasty.report(demo)
        _report_site("demo", demo)
        _report_releases(Path(tmp))
        bench_sheets.report(demo)  # last: it enlarges one branch of the demo copy

        bench_scale.report(bench_scale.project(Path(tmp) / "big", 1000))
    bench_federation.main()  # its own temporary folder: the provincial portal over 100 and 1,500 colleges


def scale(branches: int, repo: Path | None) -> None:
    """Only the figures at size (`make bench BIG=1`): a generated college of `branches` branches."""
    from generator.demo import bench_scale

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if repo is not None:
        bench_scale.report(bench_scale.project(repo.resolve(), branches))
        return
    with tempfile.TemporaryDirectory(prefix="zhibu-bench-") as tmp:
        bench_scale.report(bench_scale.project(Path(tmp) / "big", branches))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="zhibu benchmarks (figures, no assertions)")
    parser.add_argument("--branches", type=int, help="only the figures of one generated college of this size")
    parser.add_argument("--repo", type=Path, help="where that college is generated, or reused if it is there")
    return parser.parse_args()


if __name__ == "__main__":
    arguments = _arguments()
    if arguments.branches:
        scale(arguments.branches, arguments.repo)
    else:
        main()
