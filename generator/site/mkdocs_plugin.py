"""The MkDocs adapter: runs the pipeline and adds the generated pages. The only module that imports MkDocs."""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.pipeline import CheckRun
from generator.site.render import text

log = logging.getLogger("mkdocs.plugins.zhibu")
ASSETS = Path(__file__).parent / "assets"
IN_NAV = {"index.md", "units/index.md", "statistics.md", "standards/index.md", "data/index.md", "changes.md"}


class ZhibuConfig(Config):
    records = c.Type(str, default="records")
    standards = c.Type(str, default="standards")


class ZhibuPlugin(BasePlugin[ZhibuConfig]):
    """Adds the pages rendered from records/ and standards/; record errors are logged (strict fails)."""

    preset: CheckRun | None = None  # set by `zhibu build` so the check is not run twice
    blocks: dict[str, list[str]]  # page → its HTML blocks, kept out of Markdown (render.stash_html)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        from generator.pipeline import run_check

        root = Path(config.config_file_path).parent
        as_of = os.environ.get("ZHIBU_AS_OF")
        self.run = self.preset or run_check(root, as_of=dt.date.fromisoformat(as_of) if as_of else None,
                                            records=self.config.records)
        for problem in self.run.errors:
            log.warning("%s:%s %s [%s] %s", problem.path, problem.row or "", problem.field or "", problem.code,
                        problem.message)
        # Material prints site_name unescaped in the header: pass it as inert escaped text (see render.text).
        config.site_name = text(self.run.ledger.organization.site_title)
        templates = str(Path(__file__).parent / "templates")
        if templates not in config.watch:
            config.watch.append(templates)  # `mkdocs serve` reloads when a template changes
        folder = os.environ.get("ZHIBU_VERSIONED")  # set by `zhibu releases`: this version's folder
        if folder:  # Material's selector reads ../versions.json
            config.extra["version"] = {"provider": "mike"}
            if config.site_url:  # canonical links and sitemap.xml name the version's own folder
                config.site_url = config.site_url.rstrip("/") + f"/{folder}/"
        for script in ("assets/zhibu/sort.js", "assets/zhibu/reveal.js", "assets/zhibu/a11y.js"):
            if script not in config.extra_javascript:
                config.extra_javascript.append(script)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        from generator.history.timeline import site_history
        from generator.site.opendata import build_open_data
        from generator.site.render import render_site, stash_html
        from generator.site.statistics import compute

        stats = compute(self.run.ledger, self.run.results, self.run.as_of)
        history = site_history(self.run.root, sorted(b.path for b in self.run.ledger.branches),
                               self.run.ledger.organization.min_cell_size)
        self.blocks = {}
        for page in render_site(self.run, stats, history):
            content, self.blocks[page.path] = stash_html(page.content)
            _add(files, File.generated(config, page.path, content=content,
                                       inclusion=InclusionLevel.INCLUDED if page.path in IN_NAV
                                       else InclusionLevel.NOT_IN_NAV))
        for name, data in build_open_data(self.run, stats).items():
            _add(files, File.generated(config, f"data/{name}", content=data))
        for asset in sorted(ASSETS.glob("*/*")):
            if asset.suffix in (".js", ".css") or asset.name.endswith("LICENSE.txt"):
                _add(files, File.generated(config, f"assets/zhibu/{asset.name}", abs_src_path=str(asset)))
        return files

    def on_page_content(self, html: str, page, config: MkDocsConfig, files: Files) -> str:
        from generator.site.render import restore_html

        blocks = self.blocks.get(page.file.src_uri)
        return restore_html(html, blocks, searchable=True) if blocks else html

    def on_post_page(self, output: str, page, config: MkDocsConfig) -> str:
        from generator.site.render import restore_html

        blocks = self.blocks.get(page.file.src_uri)
        return restore_html(output, blocks, searchable=False) if blocks else output

    def on_post_build(self, config: MkDocsConfig) -> None:
        from generator.site.searchfix import mend_site

        for gap in mend_site(Path(config.site_dir)):  # Material's Chinese query segmentation, see searchfix
            log.warning("搜索修补未能应用（Material 版本已变化？）：%s", gap)

    def on_page_markdown(self, markdown: str, page, config: MkDocsConfig, files: Files) -> str:
        if page.file.generated_by:
            return markdown  # generated pages carry their own provenance line
        commit = (self.run.commit or "（未提交）")[:12]
        return (f"{markdown}\n\n<p class=\"zhibu-provenance\">数据截至 {self.run.as_of} · "
                f"生成自提交 <code>{commit}</code></p>\n")


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


def build(config_file: Path, site_dir: Path, run: CheckRun | None = None, strict: bool = False) -> None:
    """Run `mkdocs build` in-process into site_dir, optionally with a check run already made."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    _fresh_jieba()
    config = load_config(str(config_file), site_dir=str(site_dir), strict=strict)
    plugin = config.plugins.get("zhibu")
    if isinstance(plugin, ZhibuPlugin):
        plugin.preset = run
    try:
        mkdocs_build(config)
    except Abort as exc:
        if strict:
            raise StrictFailure(str(exc)) from exc
        raise


def serve(config_file: Path, dev_addr: str) -> None:
    from mkdocs.commands.serve import serve as mkdocs_serve

    mkdocs_serve(str(config_file), dev_addr=dev_addr, livereload=True)
