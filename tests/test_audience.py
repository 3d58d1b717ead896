"""党务公开目录: one decision (site/audience.py) over pages, parts and open data; no Party-only content in public."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from sitehelpers import copy_project

from generator.options import BuildOptions
from generator.pipeline import check, pages
from generator.site.audience import KINDS, Disclosure, part_marker, publishes
from generator.site.build import build_site
from generator.site.mkdocs_plugin import unlink_html
from generator.site.pages import read_blocks, read_manifest

VALID = Path(__file__).parent / "data/valid/records"
CATALOGUE = {"checklists": "public", "attendance": "party", "calendar": "none"}


def test_parts_are_kept_or_dropped_by_audience_and_markers_never_remain():
    row = part_marker("attendance", "| 出勤率 | 90% |\n")
    cell = part_marker("attendance", "<td>12/11</td>")
    page = f"| a | b |\n|---|---|\n{row}| 党员 | 12 |\n<tr><td>主题</td>{cell}</tr>\n"
    public = Disclosure("public", CATALOGUE).page_text(page)
    party = Disclosure("party", CATALOGUE).page_text(page)
    assert public == "| a | b |\n|---|---|\n| 党员 | 12 |\n<tr><td>主题</td></tr>\n"  # the row goes with its line break
    assert party == "| a | b |\n|---|---|\n| 出勤率 | 90% |\n| 党员 | 12 |\n<tr><td>主题</td><td>12/11</td></tr>\n"
    nested = part_marker("checklists", "清单" + part_marker("calendar", "提醒") + "完")
    assert Disclosure("party", CATALOGUE).page_text(nested) == "清单完"  # none: in no build
    assert Disclosure("public", CATALOGUE).page_text(nested) == "清单完"
    with pytest.raises(ValueError):
        Disclosure("party", CATALOGUE).page_text("<!--zhibu:part attendance-->不成对")
    with pytest.raises(ValueError):
        part_marker("attendence", "拼错的类别")


def test_unnamed_kinds_stay_inside_the_party_and_columns_follow_their_kinds():
    public, party = Disclosure("public", {}), Disclosure("party", {})
    assert [k for k in KINDS if public.allows(k)] == [] and all(party.allows(k) for k in KINDS)
    kinds = {"expected": ("attendance",)}
    assert Disclosure("public", CATALOGUE).kept(["month", "expected", "present"], kinds) == [0, 2]
    assert Disclosure("party", CATALOGUE).kept(["month", "expected", "present"], kinds) == [0, 1, 2]
    assert publishes({"attendance": "party"}) == ["party"]
    assert publishes(CATALOGUE) == ["public", "party"]


def test_without_a_catalogue_the_cautious_defaults_publish_only_the_standards(make_repo, tmp_path):
    root = make_repo()
    org = root / "records/organization.yaml"
    data = yaml.safe_load(org.read_text(encoding="utf-8"))
    del data["disclosure"]
    org.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    run = check(root, as_of=dt.date(2025, 3, 31))
    assert run.ledger.organization.disclosure == {k: "public" if k == "standards" else "party" for k in KINDS}
    public = pages(root, tmp_path / "public", BuildOptions(as_of=dt.date(2025, 3, 31)))
    party = pages(root, tmp_path / "party", BuildOptions(as_of=dt.date(2025, 3, 31), audience="party"))
    names = {str(p.relative_to(public)) for p in public.rglob("*") if p.is_file() and "assets" not in p.parts}
    assert "standards/index.md" in names and "statistics.md" not in names and "changes.md" not in names
    assert {n for n in names if n.startswith("data/")} == {"data/template.xlsx"}  # blank workbook only
    page = "branches/gongcheng-js1.md"
    branch = (public / page).read_text(encoding="utf-8") + "".join(
        read_blocks(public, page) if page in read_manifest(public).blocks else [])
    assert "检查清单" not in branch and "会议记录" not in branch and "zhibu:part" not in branch
    party_branch = (party / page).read_text(encoding="utf-8") + "".join(
        read_blocks(party, page))  # with its HTML blocks (site/pages.py)
    assert "检查清单" in party_branch and "应到/实到" in party_branch and "党内版" in party_branch
    assert (party / "statistics.md").is_file() and (party / "data/datapackage.json").is_file()


def _texts(site: Path) -> dict[str, str]:
    """Every file of a built site as text: workbooks by their XML, the search index decoded (no U+200B)."""
    out = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        name = str(path.relative_to(site))
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                out[name] = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        elif name == "search/search_index.json":
            docs = json.loads(path.read_text(encoding="utf-8"))["docs"]
            out[name] = "\n".join(d["title"] + " " + d["text"] for d in docs).replace("\u200b", "")
        else:
            out[name] = path.read_bytes().decode("utf-8", errors="replace")
    return out


def test_public_build_holds_nothing_the_catalogue_keeps_inside_the_party(demo_site, demo_party_site):
    """The demo keeps attendance and reminders inside the Party: markers of both, taken from the Party build,
    are in no file of the public build (pages, search index, data package, CSV, workbooks)."""
    catalogue = yaml.safe_load((demo_site.parent / "records/organization.yaml").read_text(encoding="utf-8"))
    assert catalogue["disclosure"]["attendance"] == "party" and catalogue["disclosure"]["calendar"] == "party"
    party, public = _texts(demo_party_site), _texts(demo_site)
    cells = sorted({c for name, text in party.items() if name.startswith("branches/")  # a meeting's topic, 应到/实到
                    for c in re.findall(r"<td>[^<]*</td><td>\d+/\d+</td></tr>", text)})
    markers = ["近 12 个月会议出勤率", "应到人次", "接下来要做的", *cells]
    for marker in ["近 12 个月会议出勤率", "应到人次", "接下来要做的"]:
        assert any(marker in t for t in party.values()), marker  # the test can fail: the Party build has it
    assert len(cells) > 20
    leaks = {(name, m) for name, text in public.items() for m in markers if m in text}
    assert not leaks, sorted(leaks)[:5]
    for name in [n for n in public if n.startswith("data/") and n.endswith(".csv")]:
        assert not {"expected", "present", "attendance"} & set(public[name].splitlines()[0].split(",")), name
    package = json.loads(public["data/datapackage.json"])
    fields = {f["name"] for r in package["resources"] for f in r["schema"]["fields"]}
    assert not {"expected", "present", "attendance"} & fields
    assert {"expected", "present", "attendance"} <= {f["name"] for r in json.loads(party["data/datapackage.json"])[
        "resources"] for f in r["schema"]["fields"]}
    assert "党内版" in party["index.html"] and "党内版" not in public["index.html"]
    feeds = {n for n in party if n.endswith(("calendar.ics", "calendar.txt"))}
    assert "branches/jidian-js1/calendar.ics" in feeds and "units/jidian/calendar.txt" in feeds
    assert not feeds & set(public)  # reminders are the Party's in the demo
    assert "branches/jidian-js1/ledger/2025/index.html" in party  # the annual ledger: Party build only
    assert not [n for n in public if "/ledger/" in n]
    # what both may read is in both: the meetings' dates and topics are public in the demo
    assert "会议记录（证据）" in public["branches/jidian-js1/index.html"]


def test_a_strict_public_build_with_the_cautious_defaults_has_no_link_to_a_withheld_page(tmp_path):
    """MkDocs --strict fails on a navigation entry or a Markdown link to a missing page: withheld pages leave the
    navigation and links to them (home page, hand-written docs) become their text."""
    project = copy_project(tmp_path / "p", VALID)
    org = project / "records/organization.yaml"
    data = yaml.safe_load(org.read_text(encoding="utf-8"))
    del data["disclosure"]
    org.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    site = build_site(project, Path("site"), dt.date(2025, 3, 31), strict=True)
    tabs = re.findall(r'<a href="([^"]*)" class="md-tabs__link', (site / "index.html").read_text(encoding="utf-8"))
    assert tabs == [".", "units/", "standards/", "contribute/", "about/"]
    assert not (site / "statistics").exists() and not (site / "changes").exists()
    about = (site / "about/index.html").read_text(encoding="utf-8")
    assert "开放数据" in about and 'href="../data/' not in about  # the link's text stays, the link goes


def test_an_html_link_loses_its_href_exactly_when_its_page_is_withheld():
    """The HTML parts follow the same rule as the Markdown links: a withheld page, and every page in the section of
    a withheld section page; nothing else (the home page withheld is that page only, not the whole site; a section
    is not a prefix of a name)."""
    withheld = ["standards/index.md", "about/data.md", "index.md"]

    def kept(href: str) -> bool:
        html = f'<a class="x" href="{href}" title="t">字</a>'
        out = unlink_html(html, "branches/b1/", withheld)
        assert out in (html, '<a class="x" title="t">字</a>'), out
        return out == html

    assert not kept("../../standards/")
    assert not kept("../../standards/rules/r1/#1")
    assert not kept("../../about/data/")
    assert kept("../../standards-old/") and kept("../../about/") and kept("../../units/")
    assert not kept("../../")
    assert kept("#top") and kept("/standards/") and kept("")


def _broken_links(site: Path) -> list[tuple[str, str]]:
    """(page, href) of every relative link in the built site whose target is not there (no file, no index.html)."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        for link in re.findall(r'href="([^"]*)"', page.read_text(encoding="utf-8")):
            href = re.split(r"[#?]", link)[0]
            if href and not href.startswith("/") and not re.match(r"[a-z]+:", href):
                target = (page.parent / href).resolve()
                if not (target.is_file() or (target / "index.html").is_file()):
                    broken.append((str(page.relative_to(site)), href))
    return broken


def test_a_public_build_without_the_standards_links_to_no_missing_page(tmp_path):
    """The standards kept inside the Party: no public page may link to them, in Markdown or in its HTML parts
    (a branch's checklist names each rule with a link to its text; there it becomes the rule's id)."""
    project = copy_project(tmp_path / "p", VALID)
    org = project / "records/organization.yaml"
    data = yaml.safe_load(org.read_text(encoding="utf-8"))
    data["disclosure"] = {**data["disclosure"], "standards": "party"}
    org.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    site = build_site(project, Path("site"), dt.date(2025, 3, 31), strict=True)
    assert not (site / "standards").exists()
    assert _broken_links(site) == []
    branch = (site / "branches/gongcheng-js1/index.html").read_text(encoding="utf-8")
    assert "MT-01" in branch and "standards/" not in branch
    party = build_site(project, Path("party"), dt.date(2025, 3, 31), audience="party")
    assert 'href="../../standards/#mt-01"' in (party / "branches/gongcheng-js1/index.html").read_text(encoding="utf-8")
    assert _broken_links(party) == []


def test_the_kinds_agree_across_schema_settings_vocabulary_and_code():
    standards = Path(__file__).parents[1] / "standards"
    schema = json.loads((standards / "schemas/organization.schema.json").read_text(encoding="utf-8"))
    vocabulary = yaml.safe_load((standards / "vocabulary.yaml").read_text(encoding="utf-8"))
    settings = yaml.safe_load((standards / "settings.yaml").read_text(encoding="utf-8"))
    assert list(schema["properties"]["disclosure"]["properties"]) == list(KINDS)
    assert [i["key"] for i in vocabulary["disclosure_kinds"]["items"]] == list(KINDS)
    assert [s["path"] for s in settings if s["path"].startswith("disclosure.")] == [f"disclosure.{k}" for k in KINDS]
    values = {i["key"] for i in vocabulary["disclosure_audiences"]["items"]}
    assert all(set(p["enum"]) <= values for p in schema["properties"]["disclosure"]["properties"].values())
