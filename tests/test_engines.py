"""Pages before the engine: `zhibu pages` writes the site's files without MkDocs; MkDocs and ProperDocs build
the same site from that folder as `zhibu build` does."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from sitehelpers import REPO, copy_project

from generator.cli import main
from generator.site.build import build_site

AS_OF = dt.date(2026, 11, 20)
BIN = Path(sys.executable).parent  # console scripts: the project copy would shadow the package (see test_site)
GENERATOR_META = b'<meta name="generator" content='


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _engine_build(engine: str, project: Path, pages: Path, out: Path) -> None:
    env = {**os.environ, "ZHIBU_PAGES": str(pages), "NO_MKDOCS_2_WARNING": "1",
           "SOURCE_DATE_EPOCH": str(calendar.timegm(AS_OF.timetuple()))}
    done = subprocess.run([str(BIN / engine), "build", "-d", str(out)], cwd=project, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def _without_generator_line(content: bytes) -> bytes:
    return b"\n".join(line for line in content.split(b"\n") if GENERATOR_META not in line)


def test_mkdocs_and_properdocs_build_the_demo_from_the_pages_folder(tmp_path):
    project = copy_project(tmp_path / "p")
    build_site(project, Path("site"), AS_OF)
    pages = tmp_path / "pages"
    assert main(["--root", str(project), "pages", "--out", str(pages), "--as-of", AS_OF.isoformat()]) == 0
    assert (pages / "branches").is_dir() and (pages / "data/compliance.csv").is_file()
    assert not list(pages.glob("**/*.html"))  # Markdown and data only: no engine ran
    for engine in ("mkdocs", "properdocs"):
        _engine_build(engine, project, pages, tmp_path / engine)

    built = _files(project / "site")
    assert len([name for name in built if name.endswith(".html")]) > 40
    assert _files(tmp_path / "mkdocs") == built  # the folder is the whole of what the plugin adds
    proper = _files(tmp_path / "properdocs")
    assert proper.keys() == built.keys()
    assert b'content="mkdocs-ProperDocs' in proper["index.html"]  # ProperDocs really built it
    for name, content in built.items():
        assert _without_generator_line(proper[name]) == _without_generator_line(content), name
    branch = proper["branches/jidian-js1/index.html"].decode("utf-8")
    assert "zhibu-block" not in branch and "<table" in branch  # the stashed HTML blocks are back in the page


def test_pages_without_mkdocs_and_refused_on_record_errors(tmp_path):
    project = copy_project(tmp_path / "p", REPO / "tests/data/valid/records")
    code = ("import sys; from generator.cli import main; code = main(sys.argv[1:]); "
            "assert not [m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'properdocs')], 'engine imported'; "
            "sys.exit(code)")
    pages = tmp_path / "pages"
    done = subprocess.run([sys.executable, "-c", code, "--root", str(project), "pages", "--out", str(pages),
                           "--as-of", "2025-03-31"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    before = _files(pages)
    meetings = next((project / "records").glob("*/*/meetings.csv"))
    meetings.write_text(meetings.read_text(encoding="utf-8") + "bad,2025-02-30,党课,x,1,1,\n", encoding="utf-8")
    assert main(["--root", str(project), "pages", "--out", str(pages), "--as-of", "2025-03-31"]) == 1
    assert _files(pages) == before  # refused: the previous folder is untouched
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".pages-")]


def test_build_options_travel_as_a_value_not_through_the_environment(tmp_path):
    """A versioned build switches the version selector on for its own site only and leaves os.environ as it was."""
    project = copy_project(tmp_path / "p", REPO / "tests/data/valid/records")
    before = _ours(os.environ)
    build_site(project, Path("v1"), dt.date(2025, 3, 31), release="", versioned="v1")
    assert _ours(os.environ) == before  # (Material sets NO_MKDOCS_2_WARNING for itself: not ours to judge)
    build_site(project, Path("plain"), dt.date(2025, 3, 31))
    versioned = (project / "v1/index.html").read_text(encoding="utf-8")
    plain = (project / "plain/index.html").read_text(encoding="utf-8")
    assert '"version": {"provider": "mike"}' in versioned and '"version": null' in plain
    assert "https://example.org/zhibu/v1/" in (project / "v1/sitemap.xml").read_text(encoding="utf-8")
    assert "/v1/" not in (project / "plain/sitemap.xml").read_text(encoding="utf-8")


def _ours(environ) -> dict[str, str]:
    return {k: v for k, v in environ.items() if k.startswith("ZHIBU_") or k == "SOURCE_DATE_EPOCH"}
