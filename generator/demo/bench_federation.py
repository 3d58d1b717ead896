"""`make bench`, federation: a portal over 100 colleges from a loopback server, and over 1,500 colleges.

One demo college of 60 branches is built for real; every other college's package is a variant of it
(demo/province.py: other codes and results, still valid and consistent), which costs milliseconds. Each
measured step runs in a fresh Python process, so its peak memory (max RSS) is its own.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from generator.demo.province import Variants

AS_OF = dt.date(2026, 11, 20)
PORTAL_DAY = "2026-12-01"
BRANCHES = 60  # about 6,000 branches for 100 colleges, 90,000 for 1,500


def _fresh(code: str) -> tuple[float, float, str]:
    """Seconds and peak memory (MB) of `code` run in a new Python process (after its imports), and its output."""
    script = ("import time, resource; from pathlib import Path; " + code.split("\n")[0] + "\n"
              "start = time.perf_counter()\n" + "\n".join(code.split("\n")[1:]) + "\n"
              "print('SECONDS', time.perf_counter() - start)\n"
              "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
              "children = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
              "print('PEAK', usage.ru_maxrss / 1024)\n"
              "print('CPU', usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"bench step failed:\n{done.stderr[-3000:]}")
    lines = done.stdout.splitlines()
    seconds = float(next(line.split()[1] for line in lines if line.startswith("SECONDS")))
    peak = float(next(line.split()[1] for line in lines if line.startswith("PEAK")))
    cpu = float(next(line.split()[1] for line in lines if line.startswith("CPU")))
    # the shared machine is often busy: CPU seconds (with the verifying processes') say what the work costs
    return seconds, peak, f"CPU {cpu:.1f} s; " + "\n".join(
        line for line in lines if not line.startswith(("SECONDS", "PEAK", "CPU")))


class _Quiet(SimpleHTTPRequestHandler):
    """http.server's static files: Last-Modified on every answer, 304 to If-Modified-Since."""

    def log_message(self, *args: object) -> None:
        pass


def _registry(path: Path, colleges: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"title": "基准测试省 · 高职院校党支部工作汇总", "colleges": colleges},
                                   allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def main(parts: tuple[str, ...] = ("100", "1500")) -> None:
    """Build the base college once, then the 100-college harvest and the 1,500-college portal."""
    from generator.demo.province import Variants, college_package

    with tempfile.TemporaryDirectory(prefix="zhibu-bench-federation-") as temp:
        tmp = Path(temp)
        start = time.perf_counter()
        base = college_package(tmp / "build", "bench-base", "基准职业技术学院党委", seed=7, branches=BRANCHES,
                               as_of=AS_OF)
        print(f"federation: one demo college of {BRANCHES} branches built and published: "
              f"{time.perf_counter() - start:.1f} s, compliance.csv {len(base['compliance.csv']) / 1e6:.2f} MB")
        variants = Variants(base)
        if "100" in parts:
            report_harvest(tmp, variants)
        if "1500" in parts:
            report_portal(tmp, variants)


def _last_line(output: str) -> str:
    """The CPU time and the CLI's line about requests."""
    requests = next((line for line in output.replace("; ", "\n").splitlines() if line.startswith("请求")), "")
    return output.split(";")[0] + "; " + requests


def report_harvest(tmp: Path, variants: Variants) -> None:
    """100 colleges served over loopback HTTP: first harvest and portal, again with nothing changed."""
    from generator.demo.province import write_package

    served = tmp / "served"
    for i in range(100):
        write_package(served / f"c{i:03d}" / "data", variants.make(f"c{i:03d}", f"第{i + 1}职业技术学院", i))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(served)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        registry = _registry(tmp / "registry-100.yaml", [
            {"code": f"c{i:03d}", "name": f"第{i + 1}职业技术学院",
             "package": f"{url}/c{i:03d}/data/datapackage.json"} for i in range(100)])
        run = (f"from generator.cli import main\n"
               f"assert main(['federate', {str(registry)!r}, '--out', {str(tmp / 'portal-100')!r}, "
               f"'--as-of', {PORTAL_DAY!r}]) == 0")
        seconds, peak, output = _fresh(run)
        print(f"federate 100 colleges ({100 * BRANCHES:,} branches) over loopback HTTP, first harvest "
              f"(download, Frictionless, consistency) and portal: {seconds:.1f} s, peak {peak:.0f} MB "
              f"[{_last_line(output)}]")
        seconds, peak, output = _fresh(run)
        print(f"federate 100 colleges again, nothing changed (304s, no verification) and portal: {seconds:.1f} s,"
              f" peak {peak:.0f} MB [{_last_line(output)}]")
        harvest_only = (f"import datetime as dt; from generator.federation.registry import load_registry; "
                        f"from generator.federation.harvest import harvest\n"
                        f"registry, _ = load_registry(Path({str(registry)!r}))\n"
                        f"done, tally = harvest(registry, Path({str(tmp / '.zhibu-harvest')!r}), "
                        f"Path({str(tmp / 'rework')!r}), dt.date(2026, 12, 1))\n"
                        f"assert all(h.ok for h in done) and tally.not_modified == 100, tally")
        seconds, peak, _ = _fresh(harvest_only)
        print(f"re-harvest of 100 unchanged colleges alone (100 conditional requests, all 304): {seconds:.2f} s, "
              f"peak {peak:.0f} MB (goal < 5 s)")
    finally:
        server.shutdown()


def report_portal(tmp: Path, variants: Variants, count: int = 1500) -> None:
    """1,500 colleges (packages on disk, already harvested and verified): DuckDB aggregation and the portal."""
    from generator.demo.province import write_package

    local = tmp / "local"
    start = time.perf_counter()
    colleges = []
    for i in range(count):
        files = variants.make(f"p{i:04d}", f"第{i + 1}职业技术学院", i, as_of=AS_OF - dt.timedelta(days=(i * 37) % 200))
        write_package(local / f"p{i:04d}", files)
        colleges.append({"code": f"p{i:04d}", "name": f"第{i + 1}职业技术学院",
                         "package": str(local / f"p{i:04d}" / "datapackage.json")})
    registry = _registry(tmp / f"registry-{count}.yaml", colleges)
    size = sum(p.stat().st_size for p in local.rglob("*.csv")) / 1e9
    print(f"{count:,} college packages synthesized ({count * BRANCHES:,} branches, {size:.2f} GB of CSV): "
          f"{time.perf_counter() - start:.1f} s")
    portal = (f"import datetime as dt; from generator.demo.bench_federation import verified_as_harvested\n"
              f"print(verified_as_harvested(Path({str(registry)!r}), Path({str(tmp / 'portal')!r})))")
    seconds, peak, output = _fresh(portal)
    print(f"aggregate {count:,} colleges with DuckDB and build the portal ({output}): {seconds:.1f} s, "
          f"peak {peak:.0f} MB (goal < 60 s)")
    pages = len(list((tmp / "portal").rglob("*.html")))
    size = sum(p.stat().st_size for p in (tmp / "portal").rglob("*") if p.is_file()) / 1e6
    print(f"portal of {count:,} colleges: {pages} pages, {size:.0f} MB")


class _Clock:
    """Wall and CPU seconds (this process, every thread: DuckDB's too) since the last lap."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> str:
        wall, cpu = time.perf_counter(), time.process_time()
        text = f"{wall - self.wall:.1f} s (CPU {cpu - self.cpu:.1f} s)"
        self.wall, self.cpu = wall, cpu
        return text


def verified_as_harvested(registry_path: Path, out: Path) -> str:
    """aggregate → pages → site for colleges already harvested and verified (their files read where they lie).

    What a portal run costs once the harvest found nothing changed: the harvest itself is measured over HTTP
    above; verifying 1,500 packages (Frictionless reads every row) is paid once per changed package.
    """
    from generator.federation.aggregate import aggregate
    from generator.federation.consistency import rule_fingerprints
    from generator.federation.harvest import Harvested
    from generator.federation.pages import render_portal
    from generator.federation.portal import build_site, write_portal_pages
    from generator.federation.province import province_package
    from generator.federation.registry import load_registry

    registry, problems = load_registry(registry_path)
    assert registry is not None, problems
    today = dt.date.fromisoformat(PORTAL_DAY)
    harvested = []
    for college in registry.colleges:
        folder = Path(college.package).parent
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        harvested.append(Harvested(college, "ok", as_of=descriptor["zhibu"]["as_of"],
                                   commit=descriptor["zhibu"]["commit"], branches=BRANCHES, folder=folder,
                                   descriptor=descriptor, fingerprints=rule_fingerprints(folder / "rules.csv")))
    steps: list[str] = []
    clock = _Clock()
    figures = aggregate(harvested)
    steps.append(f"DuckDB {clock.lap()}")
    pages = render_portal(registry, harvested, figures, today)
    data = province_package(registry, harvested, figures, today)
    steps.append(f"{len(pages)} pages rendered {clock.lap()}")
    with tempfile.TemporaryDirectory(prefix="zhibu-portal-") as temp:
        write_portal_pages(Path(temp) / "pages", pages, data, registry.title, today)
        build_site(Path(temp) / "pages", out, today, Path(temp) / "engine")
    steps.append(f"MkDocs {clock.lap()}")
    return ", ".join(steps)


if __name__ == "__main__":
    main(tuple(sys.argv[1:]) or ("100", "1500"))
