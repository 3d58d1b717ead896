"""Hand-written pages read correctly both on the site (MkDocs) and in the repository (GitHub, Gitea).

Secretaries open docs/contribute.md, records/README.md … on the forge as often as on the site. The forge
renders CommonMark (GFM): Material-only syntax (admonitions, `{ #id }` attribute lists, tabs) shows
there as literal text, and `**` next to Chinese punctuation stays literal when CommonMark's flanking
rules do not let it open or close. The site must render fenced code inside list steps as a code block.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from sitehelpers import REPO

SKIP = {".venv", "site", "tests", "node_modules", ".git", "test-artifacts", "zhibu.egg-info"}


def forge_pages() -> list[Path]:
    """Every Markdown file a person may open in the repository (generated golden pages excluded)."""
    return sorted(p for p in REPO.rglob("*.md")
                  if not any(part in SKIP or part.startswith(".") for part in p.relative_to(REPO).parts[:-1]))


# Syntax that only Python-Markdown extensions understand; on the forge it shows as literal text.
MATERIAL_ONLY = {
    "admonition": re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s"),
    "attribute list": re.compile(r"\{\s*:?\s*[#.][\w-]+[^}]*\}\s*$"),
    "content tabs": re.compile(r'^\s*===\s+"'),
    "markdown in html": re.compile(r"<\w+[^>]*\bmarkdown(?:=|\s|>)"),
}


def test_forge_pages_are_found():
    names = {p.relative_to(REPO).as_posix() for p in forge_pages()}
    assert {"README.md", "docs/contribute.md", "records/README.md", "standards/README.md"} <= names


@pytest.mark.parametrize("page", forge_pages(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_material_only_syntax_on_the_forge(page):
    found = []
    fenced = False
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        for name, pattern in MATERIAL_ONLY.items():
            if not fenced and pattern.search(line):
                found.append(f"{page.name}:{number} {name}: {line.strip()[:60]}")
    assert not found, found


def _literal_emphasis(text: str) -> list[str]:
    """Text the CommonMark renderer left as literal `**` / `__` (emphasis that did not open or close)."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    stray = []
    for token in tokens:
        for child in token.children or ():
            if child.type == "text" and ("**" in child.content or "__" in child.content):
                stray.append(child.content[:60])
    return stray


def test_emphasis_check_catches_cjk_flanking():
    """The check itself: CommonMark does not open `**` between a Chinese letter and a quotation mark."""
    assert _literal_emphasis("选**“CSV UTF-8”**。") == ["选**“CSV UTF-8”**。"]
    assert _literal_emphasis("选“**CSV UTF-8**”。") == []


@pytest.mark.parametrize("page", forge_pages(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_bold_renders_on_the_forge(page):
    assert not _literal_emphasis(page.read_text(encoding="utf-8"))


def _empty_header_cells(text: str) -> list[int]:
    """Source lines of table header cells with no text: a screen reader announces such a column unnamed."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    empty, header = [], False
    for index, token in enumerate(tokens):
        header = {"thead_open": True, "thead_close": False}.get(token.type, header)
        cell = tokens[index + 1] if header and token.type == "th_open" else None
        if cell is not None and not cell.content.strip():
            empty.append(cell.map[0] + 1 if cell.map else 0)
    return empty


def test_empty_header_check_finds_an_unnamed_column():
    assert _empty_header_cells("| | 是什么 |\n|---|---|\n| 错误 | 写错 |\n") == [1]
    assert _empty_header_cells("| 类别 | 是什么 |\n|---|---|\n| 错误 | 写错 |\n") == []


@pytest.mark.parametrize("page", forge_pages(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_table_column_has_a_header(page):
    """axe-core's empty-table-header: every column of a hand-written table is named, on the site and the forge."""
    assert not _empty_header_cells(page.read_text(encoding="utf-8"))


CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"


@pytest.mark.parametrize("page", forge_pages(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_line_break_between_chinese_characters(page):
    """A source line break inside a paragraph is a space on the forge (and on the site): 记录 录 reads wrong."""
    tokens = MarkdownIt("commonmark").enable("table").parse(page.read_text(encoding="utf-8"))
    found = []
    for token in tokens:
        children = token.children or []
        for index, child in enumerate(children):
            if child.type == "softbreak" and 0 < index < len(children) - 1:
                before, after = children[index - 1].content[-1:], children[index + 1].content[:1]
                if re.match(f"[{CJK}]", before) and re.match(f"[{CJK}]", after):
                    found.append(f"line {token.map[0] + 1 if token.map else '?'}: …{before}|{after}…")
    assert not found, found


@pytest.mark.parametrize("page", forge_pages(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_space_between_chinese_characters(page):
    """What the forge shows has no space between two Chinese characters (after bold, between lines …)."""
    tokens = MarkdownIt("commonmark").enable("table").parse(page.read_text(encoding="utf-8"))
    found = []
    for token in (t for t in tokens if t.type == "inline"):
        shown = "".join(c.content if c.type == "text" else " " if c.type == "softbreak"
                        else "\0" if c.type == "code_inline" else "" for c in token.children or ())
        found += [m.group() for m in re.finditer(f".{{0,6}}[{CJK}] +[{CJK}].{{0,6}}", shown)]
    assert not found, found


class _InlineCode(HTMLParser):
    """Collects the text of <code> elements that are not inside <pre> (inline code)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.spans: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "code" and "pre" not in self.stack:
            self._open = []
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "code" and self._open is not None and "pre" not in self.stack[:-1]:
            self.spans.append("".join(self._open))
            self._open = None
        if tag in self.stack:
            del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag):]

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)


def test_no_inline_code_holds_a_line_break(demo_site):
    """Every built page, hand-written or generated: a code span never swallows a code block."""
    broken = {}
    for page in sorted(demo_site.rglob("*.html")):
        parser = _InlineCode()
        parser.feed(page.read_text(encoding="utf-8"))
        spans = [span[:80] for span in parser.spans if "\n" in span]
        if spans:
            broken[str(page.relative_to(demo_site))] = spans
    assert len(list(demo_site.rglob("*.html"))) > 20
    assert not broken, broken


def test_contribute_examples_are_code_blocks(demo_site):
    """The meeting row and the exemptions.yaml example inside numbered steps are blocks a person can copy."""
    html = (demo_site / "contribute" / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r"<pre[^>]*>(.*?)</pre>", html, flags=re.S)
    text = [re.sub(r"<[^>]+>", "", b) for b in blocks]
    assert any("id,date,kind,topic,expected,present,group\n2025-03-12-ztdr,2025-03-12,主题党日" in t for t in text)
    assert any("exemptions:\n  - rule: MT-07" in t for t in text)


def test_heading_anchors_match_the_forge(demo_site):
    """Links inside the guide use the anchors GitHub and Gitea give a Chinese heading (its text, lower-cased)."""
    html = (demo_site / "contribute" / "index.html").read_text(encoding="utf-8")
    targets = set(re.findall(r'href="#([^"]+)"', html))
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    import urllib.parse

    targets = {urllib.parse.unquote(t) for t in targets}
    assert targets, "the guide links to its own sections"
    assert targets <= ids, targets - ids
    assert "个人信息规则" in ids


def test_record_formats_page_shows_no_regular_expression(demo_site):
    """The guide sends secretaries to 记录格式: formats in words and Chinese type names, never a regex."""
    html = (demo_site / "standards" / "formats" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"\^p\[|\[a-z0-9|\]\{\d|\\d\{", html)
    assert "格式见“含义”一栏" in html and "<td>日期</td>" in html
    assert "数据 → 自文本/CSV" in html
