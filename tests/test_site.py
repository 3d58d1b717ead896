"""The built site: pages, provenance, privacy, open data, determinism, atomic replacement."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from frictionless import Package
from sitehelpers import REPO, copy_project, digest

from generator.pipeline import run_check
from generator.records import personal
from generator.site.build import BuildRefused, build_site
from generator.site.render import render_site
from generator.site.statistics import compute

AS_OF = dt.date(2026, 11, 20)
FIXTURE = REPO / "tests/data/valid/records"
GOLDEN = REPO / "tests/golden"
# The console script, not `python -m mkdocs`: the copied project has a generator/ folder (search dictionary)
# that would shadow the installed package if the project folder were first on sys.path.
MKDOCS = str(Path(sys.executable).parent / "mkdocs")


def test_golden_markdown(tmp_path):
    """Rendered Markdown of the fixture repository equals the reviewed golden files."""
    project = copy_project(tmp_path / "p", FIXTURE)
    run = run_check(project, as_of=dt.date(2025, 3, 31))
    pages = {p.path: p.content.replace(run.commit or "（未提交）", "COMMIT")
             for p in render_site(run, compute(run.ledger, run.results, run.as_of))}
    if os.environ.get("UPDATE_GOLDEN"):
        for path, content in pages.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(content.encode("utf-8"))  # bytes: calendar.ics keeps its CRLF
    golden = {str(p.relative_to(GOLDEN)): p.read_bytes().decode("utf-8") for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(pages) == sorted(golden)
    for path, content in pages.items():
        assert content == golden[path], f"{path} differs from tests/golden/{path} (UPDATE_GOLDEN=1 to accept)"


def test_pages_are_rendered_as_they_are_written(tmp_path, monkeypatch):
    """A build writes each page before the next is rendered (the pages of 6,000 branches are never all held):
    render_pages hands them out one at a time, a branch's checklist made only when its page is asked for."""
    from generator.site import render

    project = copy_project(tmp_path / "p", FIXTURE)
    run = run_check(project, as_of=dt.date(2025, 3, 31))
    made: list[str] = []
    matrix = render.matrix

    def counted(results, *rest):
        made.append(results[0].branch)
        return matrix(results, *rest)

    monkeypatch.setattr(render, "matrix", counted)
    pages = render.render_pages(run, compute(run.ledger, run.results, run.as_of))
    assert next(pages).path == "index.md" and made == []
    rest = [page.path for page in pages]
    assert made == sorted(b.code for b in run.ledger.branches) and f"branches/{made[0]}.md" in rest


def test_all_pages_present(demo_site):
    for page in ("index.html", "units/index.html", "statistics/index.html", "standards/index.html",
                 "standards/formats/index.html", "data/index.html", "contribute/index.html", "about/index.html",
                 "data/datapackage.json", "data/compliance.csv", "assets/zhibu/echarts.min.js"):
        assert (demo_site / page).is_file(), page
    branches = [p for p in (REPO / "records").glob("*/*") if p.is_dir()]
    for folder in branches:
        assert (demo_site / "branches" / folder.name / "index.html").is_file()
    units = [p for p in (REPO / "records").glob("*/unit.yaml")]
    for unit in units:
        assert (demo_site / "units" / unit.parent.name / "index.html").is_file()


def _page_text(demo_site: Path, code: str) -> str:
    html = (demo_site / "branches" / code / "index.html").read_text(encoding="utf-8")
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_branch_pages_show_what_the_records_say_about_offices_and_dues(demo_site):
    """The demo's 兼任 committee member, six-person committee, secretary's election and quarterly dues on the built
    pages: 支部条例 第二十条 "党支部委员会由3至5人组成，一般不超过7人" (6 persons is a 提醒, never ✗), 选举工作条例
    第二条 "含不设委员会的党支部", 党费规定 "经党支部同意，可以每季度交纳一次"."""
    assert "支部委员会 3 人：书记、组织委员、纪检委员、宣传委员" in _page_text(demo_site, "jidian-js1")
    six = (demo_site / "branches/jianzhu-js1/index.html").read_text(encoding="utf-8")
    assert "支部委员会 6 人" in _page_text(demo_site, "jianzhu-js1")
    row = re.search(r'<tr><th scope="row"><a [^>]*>BR-05</a>.*?</tr>', six, re.S).group(0)
    assert 'title="当前 提醒' in row and "✗" not in row
    assert re.search(r"书记选举 \d{4}-\d{2}-\d{2}，任期 3 年", _page_text(demo_site, "jianzhu-lh1"))
    assert "经党支部同意，按季度交纳" in _page_text(demo_site, "lituixiu-lt1")
    assert "按季度交纳" not in _page_text(demo_site, "lituixiu-lt2")


def test_every_page_states_as_of_and_commit(demo_site):
    for page in demo_site.rglob("*.html"):
        if page.name == "404.html":
            continue
        html = page.read_text(encoding="utf-8")
        assert f"数据截至 {AS_OF}" in html, page
        assert "生成自提交" in html, page


def test_markdown_is_rendered_everywhere(demo_site):
    """No page shows Markdown source: data tables inside <details> and everywhere else become HTML tables."""
    for page in demo_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "|---|" not in html, page
    statistics = (demo_site / "statistics/index.html").read_text(encoding="utf-8")
    blocks = statistics.split("<details")[1:]
    assert len(blocks) >= 4  # the fifth, monthly attendance, is in the Party build only (demo's 党务公开目录)
    for block in blocks:
        assert "<table>" in block[: block.index("</details>")]


def test_navigation_does_not_list_branches(demo_site):
    html = (demo_site / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('md-nav--primary'):]
    nav = nav[: nav.index("</nav>")]
    assert "branches/" not in nav


def test_no_personal_data_or_member_ids(demo_site):
    ids = set()
    for members in (REPO / "records").glob("*/*/members.csv"):
        ids |= {line.split(",")[0] for line in members.read_text(encoding="utf-8").splitlines()[1:]}
    assert len(ids) > 100
    pattern = re.compile(r"\bp[a-z0-9]{7}\b")
    workbooks = 0
    for file in demo_site.rglob("*"):
        if not file.is_file() or file.suffix not in (".html", ".csv", ".json", ".xml", ".txt", ".xlsx"):
            continue
        if file.suffix == ".xlsx":  # a zip of XML parts: every text a spreadsheet program would show is in them
            with zipfile.ZipFile(file) as archive:
                text = "\n".join(archive.read(n).decode("utf-8", errors="replace") for n in archive.namelist())
            workbooks += 1
        else:
            text = file.read_text(encoding="utf-8", errors="replace")
        leaked = {m for m in pattern.findall(text) if m in ids}
        assert not leaked, f"{file}: member ids {sorted(leaked)[:3]}"
        assert not list(personal.find(text)) or file.name == "echarts.min.js", file
    assert workbooks >= 7  # the open data's tables and the blank workbook were read too
    compliance = (demo_site / "data/compliance.csv").read_text(encoding="utf-8").splitlines()[0]
    assert compliance == "branch,unit,rule,period,status,count,required"
    for name in ("members.csv", "dues.csv", "study.csv", "development.csv"):
        assert not list(demo_site.rglob(name))


def test_open_data_package_validates(demo_site):
    report = Package(str(demo_site / "data/datapackage.json")).validate()
    assert report.valid, report.flatten(["type", "note"])[:5]
    rows = (demo_site / "data/compliance.csv").read_text(encoding="utf-8").splitlines()
    statuses = {line.split(",")[4] for line in rows[1:]}
    assert statuses <= {"pass", "fail", "due", "exempt", "n/a", "notice"}
    assert {"pass", "fail", "notice"} <= statuses


def test_strict_mkdocs_build_of_demo(tmp_path):
    project = copy_project(tmp_path / "p")
    env = {**os.environ, "ZHIBU_AS_OF": AS_OF.isoformat(), "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([MKDOCS, "build", "--strict", "-d", str(tmp_path / "out")],
                          cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "out/index.html").is_file()


def test_strict_build_fails_on_record_errors(tmp_path):
    project = copy_project(tmp_path / "p", FIXTURE)
    meetings = project / "records/gongcheng/gongcheng-js1/meetings.csv"
    meetings.write_text(meetings.read_text(encoding="utf-8") + "bad,2025-02-30,党课,x,1,1,\n", encoding="utf-8")
    env = {**os.environ, "ZHIBU_AS_OF": "2025-03-31", "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([MKDOCS, "build", "--strict", "-d", str(tmp_path / "out")],
                          cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode != 0
    assert "type-error" in done.stderr


def test_build_is_deterministic(tmp_path):
    project = copy_project(tmp_path / "p", FIXTURE)
    build_site(project, Path("a"), dt.date(2025, 3, 31))
    build_site(project, Path("b"), dt.date(2025, 3, 31))
    first, second = digest(project / "a"), digest(project / "b")
    assert first == second


def test_failed_build_leaves_previous_site(tmp_path):
    project = copy_project(tmp_path / "p", FIXTURE)
    build_site(project, Path("site"), dt.date(2025, 3, 31))
    before = digest(project / "site")
    (project / "records/gongcheng/gongcheng-js1/members.csv").write_bytes("id,类别\n".encode("gbk"))
    with pytest.raises(BuildRefused):
        build_site(project, Path("site"), dt.date(2025, 3, 31))
    assert digest(project / "site") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site-new-")]


def _table_rows(html: str) -> list[list[str]]:
    """The cell texts of every table row that starts with a data cell (no header rows), in order."""
    from html.parser import HTMLParser

    class Rows(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[list[str]] = []
            self.cell: list[str] | None = None

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = []
                if tag == "th" and self.rows and not self.rows[-1]:
                    self.rows[-1].append("")  # a header row: left out below

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None and self.rows:
                self.rows[-1].append("".join(self.cell).strip())
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    parser = Rows()
    parser.feed(html)
    return [row for row in parser.rows if row and all(row)]


@pytest.mark.parametrize("page", ["units/jidian/", "units/xinxi/"])
def test_search_snippets_keep_table_cells_apart(demo_site, page):
    """A search result quoting a table reads 机电…党支部 教工党支部 28 100% 0, not 教工党支部28100%0."""
    index = json.loads((demo_site / "search/search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["text"] for d in index["docs"] if d["location"].split("#")[0] == page)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\u200b", "").split())
    rows = _table_rows((demo_site / page / "index.html").read_text(encoding="utf-8"))
    indexed = [row for row in rows if row[0] and row[0] in text]
    assert len(indexed) >= 3, page
    for row in indexed[:20]:
        cells = " ".join(" ".join(cell.split()) for cell in row[1:])
        assert cells in text, (row, text[:300])


def test_search_finds_each_branch_by_name_and_code_and_each_rule_by_id_but_not_their_tables(demo_site):
    """A branch page is indexed by its head (name, unit, code, the rules it fell behind on); its tables of facts
    and counts and the paragraphs every branch page repeats stay out (at 6,000 branches they were most of the index)."""
    import yaml

    index = json.loads((demo_site / "search/search_index.json").read_text(encoding="utf-8"))

    def plain(value: str) -> str:
        return html.unescape(re.sub(r"<[^>]+>", "", value)).replace("\u200b", "")

    entries: dict[str, list[dict]] = {}
    for doc in index["docs"]:
        entries.setdefault(doc["location"].split("#")[0], []).append(doc)
    files = sorted((REPO / "records").glob("*/*/branch.yaml"))
    branches = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in files]
    assert len(branches) > 20
    for branch in branches:
        docs = entries[f"branches/{branch['code']}/"]
        head = plain(docs[0]["title"] + " " + docs[0]["text"])
        assert branch["name"] in head and branch["code"] in head, branch["code"]
        assert len(docs) == 1, [plain(d["title"]) for d in docs]
    standards = " ".join(plain(d["title"] + " " + d["text"]) for d in entries["standards/"])
    rules = [rule["id"] for rule in yaml.safe_load((REPO / "standards/rules.yaml").read_text(encoding="utf-8"))]
    assert rules and all(rule in standards for rule in rules)
    assert not [d["location"] for d in index["docs"] if "生成自提交" in plain(d["text"])]  # the line on every page
