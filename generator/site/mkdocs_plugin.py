"""The MkDocs adapter: adds the folder of generated pages (site/pages.py) to docs/. The only module that imports MkDocs.

`zhibu build` writes the folder and hands it over; a plain `mkdocs build` / `mkdocs serve` (or ProperDocs,
which runs this plugin unchanged) has the folder written by the pipeline first, or reads one that
`zhibu pages` wrote (plugin option `pages`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import os
import posixpath
import re
import tempfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator.site.pages import MANIFEST, Manifest, read_blocks, read_manifest

log = logging.getLogger("mkdocs.plugins.zhibu")
SCRIPTS = ("assets/zhibu/sort.js", "assets/zhibu/reveal.js", "assets/zhibu/a11y.js")


class ZhibuConfig(Config):
    records = c.Type(str, default="records")  # for a plain `mkdocs build`: the records folder to check
    as_of = c.Type((str, dt.date), default="")  # for a plain `mkdocs build` (default: the latest commit's date)
    pages = c.Type(str, default="")  # a folder written by `zhibu pages`: only add its files


class ZhibuPlugin(BasePlugin[ZhibuConfig]):
    """Adds the generated pages, open data and assets; record errors are logged (strict fails)."""

    folder: Path | None = None  # set by `zhibu build`: the pages of a check already made
    manifest: Manifest
    _held: dict[str, bytes]  # page → its HTML, compressed, from its conversion until it is built
    _with_blocks: set[str]  # pages whose HTML blocks wait in the folder (pages.BLOCKS)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        if self.folder is None:
            self.folder = root / self.config.pages if self.config.pages else self._write_pages(root)
        if not (self.folder / MANIFEST).is_file():
            raise PluginError(f"zhibu 插件的 pages 文件夹（环境变量 ZHIBU_PAGES）{self.folder} "
                              "不是 zhibu pages 生成的："
                              f"请先运行 zhibu pages --out {self.folder}")
        self.manifest = read_manifest(self.folder)
        self._with_blocks = set(self.manifest.blocks)
        self._held = {}
        config.site_name = self.manifest.site_name  # escaped: Material prints site_name unescaped in the header
        templates = str(Path(__file__).parent / "templates")
        if templates not in config.watch:
            config.watch.append(templates)  # `mkdocs serve` reloads when a template changes
        if self.manifest.versioned:  # `zhibu releases`: Material's selector reads ../versions.json
            config.extra["version"] = {"provider": "mike"}
            if config.site_url:  # canonical links and sitemap.xml name the version's own folder
                config.site_url = config.site_url.rstrip("/") + f"/{self.manifest.versioned}/"
        for script in SCRIPTS:
            if script not in config.extra_javascript:
                config.extra_javascript.append(script)
        if self.manifest.withheld and config.nav:  # pages this audience does not get leave the navigation too
            config.nav = [item for item in config.nav
                          if not (isinstance(item, dict) and set(item.values()) <= set(self.manifest.withheld))]
        return config

    def _write_pages(self, root: Path) -> Path:
        """A plain `mkdocs build` or `mkdocs serve`: check the records and write the pages folder now."""
        from generator.options import BuildOptions
        from generator.pipeline import check, site_pages
        from generator.site.pages import write_pages

        options = BuildOptions(as_of=_date(self.config.as_of), records=self.config.records)
        run = check(root, as_of=options.as_of, records=options.records)
        for problem in run.errors:
            log.warning("%s:%s %s [%s] %s", problem.path, problem.row or "", problem.field or "", problem.code,
                        problem.message)
        self._temp = tempfile.TemporaryDirectory(prefix="zhibu-pages-")  # removed with the plugin
        write_pages(Path(self._temp.name), site_pages(run, options))
        return Path(self._temp.name)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.folder is not None
        for name in self.manifest.files:
            path = self.folder / name
            if name.endswith(".md"):
                inclusion = InclusionLevel.INCLUDED if name in self.manifest.in_nav else InclusionLevel.NOT_IN_NAV
                _add(files, File.generated(config, name, content=path.read_bytes().decode("utf-8"),
                                           inclusion=inclusion))
            else:  # copied from the folder when the site is written (data/ of 6,000 branches: 150 MB not held)
                _add(files, File.generated(config, name, abs_src_path=str(path)))
        return files

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """The page's HTML, kept compressed until the page is built: MkDocs converts every page before it writes
        any, and 6,000 branch pages would all be held as strings meanwhile."""
        from generator.site.render import restore_html

        blocks = self._blocks(page)
        html = restore_html(html, blocks, searchable=True) if blocks else html
        html = unlink_html(html, page.url, self.manifest.withheld) if self.manifest.withheld else html
        self._held[page.file.src_uri] = zlib.compress(html.encode("utf-8", "surrogatepass"), 1)
        return ""  # on_page_context puts it back, before any other plugin (the search) reads it

    @event_priority(100)  # before the search plugin indexes page.content
    def on_page_context(self, context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation
                        ) -> TemplateContext:
        held = self._held.pop(page.file.src_uri, None)
        if held is not None:  # the context's page is this page: the template reads its content from it
            page.content = zlib.decompress(held).decode("utf-8", "surrogatepass")
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        from generator.site.render import restore_html

        page.content = None  # written: nothing reads it again (the search index keeps its own text)
        blocks = self._blocks(page)  # read again: held from conversion to here, every page's would be held at once
        output = restore_html(output, blocks, searchable=False) if blocks else output
        return unlink_html(output, page.url, self.manifest.withheld) if self.manifest.withheld else output

    def _blocks(self, page: Page) -> list[str]:
        assert self.folder is not None
        return read_blocks(self.folder, page.file.src_uri) if page.file.src_uri in self._with_blocks else []

    def on_post_build(self, config: MkDocsConfig) -> None:
        from generator.site.searchfix import compact_index, mend_site

        for gap in mend_site(Path(config.site_dir)):  # Material's Chinese query segmentation, see searchfix
            log.warning("搜索修补未能应用（Material 版本已变化？）：%s", gap)
        compact_index(Path(config.site_dir))

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.manifest.withheld:  # a link to a page this audience does not get becomes its text
            markdown = unlink(markdown, page.file.src_uri, set(self.manifest.withheld))
        if page.file.generated_by:
            return markdown  # generated pages carry their own provenance line
        commit = (self.manifest.commit or "（未提交）")[:12]
        party = " · <strong>党内版，仅供党内阅读</strong>" if self.manifest.audience == "party" else ""
        return (f"{markdown}\n\n<p class=\"zhibu-provenance\" data-search-exclude>数据截至 {self.manifest.as_of} · "
                f"生成自提交 <code>{commit}</code>{party}</p>\n")


_MD_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\s#]+\.md)(#[^)\s]*)?\)")


def unlink(markdown: str, src_uri: str, withheld: set[str]) -> str:
    """Markdown links to `withheld` pages (relative to the page at `src_uri`) replaced by their text."""

    def plain(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), match.group(2)))
        return match.group(1) if _is_withheld(target, withheld) else match.group(0)

    return _MD_LINK.sub(plain, markdown)


def _is_withheld(src: str, withheld: Iterable[str]) -> bool:
    """A page withheld from this audience, or a page in the section of a withheld section page (the standards'
    record formats go with the standards page)."""
    return any(src == page or page.endswith("/index.md") and src.startswith(page.removesuffix("index.md"))
               for page in withheld)


_A_HREF = re.compile(r'(<a\b[^>]*?)\s+href="([^"#:?]*)(?:[#?][^"]*)?"([^>]*>)')


def unlink_html(html: str, page_url: str, withheld: Iterable[str]) -> str:
    """Links in a page's HTML (its raw HTML parts, which Markdown does not see) to pages this audience does not get
    lose their href, keeping their text, class and title: a public page must not point to the standards when only
    the Party site has them."""
    withheld = list(withheld)

    def plain(match: re.Match) -> str:
        href = match.group(2)
        if not href or href.startswith("/"):
            return match.group(0)  # the same page (an anchor), or a link from the site's root: not ours
        target = posixpath.normpath(posixpath.join(page_url or ".", href)).removeprefix("./")
        hidden = any(_is_withheld(src, withheld) for src in _sources(target))
        return match.group(1) + match.group(3) if hidden else match.group(0)

    return _A_HREF.sub(plain, html)


def _sources(url: str) -> tuple[str, ...]:
    """The Markdown files a directory URL (use_directory_urls) is built from: `a/b/` is `a/b.md` or `a/b/index.md`."""
    stem = url.strip("/")
    return ("index.md",) if stem in ("", ".") else (f"{stem}.md", f"{stem}/index.md")


def _date(value: object) -> dt.date | None:
    """The plugin's as_of option (YAML reads an unquoted YYYY-MM-DD as a date already)."""
    if isinstance(value, dt.date):
        return value
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise PluginError(f"zhibu 插件的 as_of（环境变量 ZHIBU_AS_OF）应为 YYYY-MM-DD 格式的日期：{value}") from None


def _add(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)


class StrictFailure(Exception):
    """`--strict`: MkDocs turned its warnings (logged above, e.g. a broken link) into a failure."""


_JIEBA_PRISTINE: tuple[dict, int, dict] | None = None


def _fresh_jieba() -> None:
    """Give every in-process build the same jieba state, so that builds are byte-identical however many ran before.

    Material's search plugin loads the user dictionary (jieba_dict_user) at every build, and jieba adds the
    frequencies to its running total each time: the third build of a process segmented some text differently
    from the first. Keep the freshly loaded main dictionary once and restore it before each build.
    """
    global _JIEBA_PRISTINE
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)  # "Building prefix dict …" on every build looked like trouble in the log
    tokenizer = jieba.dt
    if _JIEBA_PRISTINE is None:
        tokenizer.initialized = False  # reload: a dictionary used before this first build may carry user words
        tokenizer.FREQ, tokenizer.total, tokenizer.user_word_tag_tab = {}, 0, {}
        tokenizer.initialize()
        _JIEBA_PRISTINE = (dict(tokenizer.FREQ), tokenizer.total, dict(tokenizer.user_word_tag_tab))
    tokenizer.FREQ = dict(_JIEBA_PRISTINE[0])
    tokenizer.total = _JIEBA_PRISTINE[1]
    tokenizer.user_word_tag_tab = dict(_JIEBA_PRISTINE[2])


def build(root: Path, folder: Path, site_dir: Path, as_of: dt.date, strict: bool = False) -> None:
    """Run `mkdocs build` in-process: root's mkdocs.yml and docs/ plus the pages `folder`, into site_dir."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    _fresh_jieba()
    # Same commit and as-of date → same bytes: MkDocs dates the sitemap from SOURCE_DATE_EPOCH (its own
    # mechanism; restored afterwards). The search plugin's jieba dictionary path is relative to the root.
    saved, cwd = os.environ.get("SOURCE_DATE_EPOCH"), os.getcwd()
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(as_of.timetuple()))
    os.chdir(root)
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=strict)
        plugin = config.plugins.get("zhibu")
        if isinstance(plugin, ZhibuPlugin):
            plugin.folder = folder
        mkdocs_build(config)
    except Abort as exc:
        if strict:
            raise StrictFailure(str(exc)) from exc
        raise
    finally:
        os.chdir(cwd)
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def serve(config_file: Path, dev_addr: str) -> None:
    from mkdocs.commands.serve import serve as mkdocs_serve

    mkdocs_serve(str(config_file), dev_addr=dev_addr, livereload=True)
