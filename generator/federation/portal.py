"""`zhibu federate`: registry → harvest → verify → aggregate → portal pages → the same site engine as a college's.

Read `federate()` first: one call per stage. The portal's pages go through the pages folder and the MkDocs
adapter the college sites use (site/pages.py manifest, site/mkdocs_plugin.py), with the same theme, offline.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.federation.aggregate import Figures, aggregate
from generator.federation.fetch import Limits, Tally
from generator.federation.harvest import Harvested, harvest
from generator.federation.pages import render_portal
from generator.federation.province import province_package
from generator.federation.registry import Registry
from generator.site.pages import ASSETS, MANIFEST, Manifest, write_assets, write_file, write_generated
from generator.site.render import Page, text
from generator.site.write import BuildFailed, replacing

CONFIG = Path(__file__).parent / "mkdocs.yml"
IN_NAV = ["index.md", "rules/index.md", "harvest.md", "data/index.md"]


class NoCollegeUsable(Exception):
    """Every college failed: the portal was not (re)built; `harvested` says why for each."""

    def __init__(self, harvested: list[Harvested]) -> None:
        super().__init__("no college usable")
        self.harvested = harvested


@dataclass
class Portal:
    out: Path
    harvested: list[Harvested]
    tally: Tally
    figures: Figures | None  # None: nothing changed since the portal in `out` was built, which stays as it is


def federate(registry: Registry, out: Path, cache: Path, today: dt.date, limits: Limits | None = None,
             jobs: int = 8, on_wait: Callable[[], None] | None = None) -> Portal:
    """harvest → verify → aggregate → pages → site: the portal replaces `out` in one step (never half-built)."""
    _check_out(registry, out)
    with tempfile.TemporaryDirectory(prefix="zhibu-federate-") as temp:
        work = Path(temp)
        harvested, tally = harvest(registry, cache, work / "colleges", today, limits, jobs)  # fetch + verify each
        if not any(h.ok for h in harvested):
            raise NoCollegeUsable(harvested)  # an existing portal stays as it was
        key = inputs_key(registry, harvested, today)
        if (out / "index.html").is_file() and _built_key(cache, out) == key:
            return Portal(out, harvested, tally, None)  # same inputs, same code: the same portal, byte for byte
        figures = aggregate(harvested)  # DuckDB over the published CSVs
        pages = render_portal(registry, harvested, figures, today)
        data = province_package(registry, harvested, figures, today)
        folder = work / "pages"
        write_portal_pages(folder, pages, data, registry.title, today)
        build_site(folder, out, today, work / "engine", on_wait)
        _remember_key(cache, out, key)
    return Portal(out, harvested, tally, figures)


def inputs_key(registry: Registry, harvested: list[Harvested], today: dt.date) -> str:
    """Everything a portal is made from: the registry, each college's outcome and files, the date, this code."""
    digest = hashlib.sha256(registry.path.read_bytes())
    digest.update(today.isoformat().encode())
    for h in harvested:
        digest.update(json.dumps([h.college.code, h.status, h.code, h.reason, h.as_of, h.commit],
                                 ensure_ascii=False).encode())
        if h.ok and h.folder is not None:
            for path in sorted(h.folder.iterdir()):
                digest.update(path.name.encode() + hashlib.sha256(path.read_bytes()).digest())
    for path in sorted(_CODE.rglob("*")):  # templates, assets, the adapter: a new zhibu rebuilds the portal
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(_CODE)).encode() + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


_CODE = Path(__file__).resolve().parents[1]  # the generator package


def _key_file(cache: Path, out: Path) -> Path:
    return cache / f"portal-{hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:16]}.key"


def _built_key(cache: Path, out: Path) -> str | None:
    try:
        return _key_file(cache, out).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _remember_key(cache: Path, out: Path, key: str) -> None:
    _key_file(cache, out).write_text(key, encoding="ascii")


def write_portal_pages(folder: Path, pages: list[Page], data: dict[str, bytes], title: str, today: dt.date) -> None:
    """The pages folder the MkDocs adapter reads (the same layout and manifest as a college site's)."""
    written, blocks = write_generated(folder, pages)
    made = set(written)
    written += [write_file(folder, f"data/{name}", body) for name, body in data.items()]
    written += write_assets(folder)
    manifest = Manifest(site_name=text(title), as_of=today.isoformat(), commit="", versioned=None, files=written,
                        in_nav=[p for p in IN_NAV if p in made], blocks=blocks)
    (folder / MANIFEST).write_text(json.dumps(manifest.__dict__, ensure_ascii=False, indent=1), encoding="utf-8")


def build_site(folder: Path, out: Path, today: dt.date, engine_root: Path,
               on_wait: Callable[[], None] | None = None) -> None:
    """MkDocs (through the zhibu adapter) in a root of its own: the portal's configuration, no hand-written pages."""
    from generator.site import mkdocs_plugin as engine

    (engine_root / "docs").mkdir(parents=True)
    shutil.copy(CONFIG, engine_root / "mkdocs.yml")
    userdict = Path("generator/site/assets/search/jieba-userdict.txt")
    (engine_root / userdict.parent).mkdir(parents=True)
    shutil.copy(ASSETS / "search" / userdict.name, engine_root / userdict)
    with replacing(out, on_wait) as temp:
        engine.build(engine_root, folder, temp, today)


def _check_out(registry: Registry, out: Path) -> None:
    """Replace only an empty folder or an earlier site: never the registry's own folder or anything else."""
    if registry.path.resolve().is_relative_to(out.resolve()):
        raise BuildFailed(f"输出目录 {out} 包含学校登记表本身，生成平台会覆盖它。请换一个子目录，如 --out portal。")
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise BuildFailed(f"输出路径 {out} 已存在，但不是文件夹。请删除它或换一个 --out 目录。")
    if out.is_dir() and any(out.iterdir()) and not (out / "index.html").is_file():
        raise BuildFailed(f"输出目录 {out} 不是空目录，也不像是本工具生成的站点；为防止误删，没有覆盖它。"
                          "请换一个空目录，或先自行清空该目录。")


