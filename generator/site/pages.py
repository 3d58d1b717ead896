"""The site's pages as files in a folder, before any site engine: Markdown, open data, our assets.

Like mkdocs-gen-files, the folder is what the engine adds to the hand-written pages of docs/. The large
HTML blocks of a page (render.stash_html) stay out of its Markdown: the page holds one comment per block
and the blocks wait in the folder's manifest (MANIFEST), from which the MkDocs adapter puts them back
into the converted page. The manifest also carries what the adapter needs from the check: the site's
title, the as-of date and commit (provenance of the hand-written pages) and the versions-tree folder.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.site.render import Page, stash_html, text

if TYPE_CHECKING:
    from generator.pipeline import CheckRun

MANIFEST = ".zhibu-pages.json"  # a dot file: never published, never taken for a page
ASSETS = Path(__file__).parent / "assets"
IN_NAV = ["index.md", "units/index.md", "statistics.md", "standards/index.md", "data/index.md", "changes.md"]


@dataclass
class SitePages:
    """One build's generated files, as the pipeline made them."""

    run: CheckRun
    pages: Iterable[Page]  # rendered one at a time as they are written (render.render_pages): read once
    data: dict[str, bytes]  # file name → bytes, for data/
    versioned: str | None = None  # the site's folder in a versions tree
    audience: str = "public"  # public | party (site/audience.py)


@dataclass
class Manifest:
    """What a site engine's adapter reads beside the files."""

    site_name: str  # already escaped for Material's header (see render.text)
    as_of: str
    commit: str
    versioned: str | None
    files: list[str]  # every file of the folder, in the order the engine adds them (it orders the search index)
    in_nav: list[str]
    blocks: dict[str, list[str]]  # page → its HTML blocks, in the order of the page's placeholders
    audience: str = "public"  # public | party: the readers this build is for
    withheld: list[str] = field(default_factory=list)  # navigation pages this audience does not get (links unlinked)


def write_pages(folder: Path, site: SitePages) -> None:
    """Write every generated file of the site into `folder` (which exists), and the manifest."""
    blocks: dict[str, list[str]] = {}
    written: list[str] = []
    for page in site.pages:
        content, blocks[page.path] = stash_html(page.content)
        written.append(_write(folder, page.path, content.encode("utf-8")))
    for name, data in site.data.items():
        written.append(_write(folder, f"data/{name}", data))
    for asset in sorted(ASSETS.glob("*/*")):
        if asset.suffix in (".js", ".css") or asset.name.endswith("LICENSE.txt"):
            written.append(_write(folder, f"assets/zhibu/{asset.name}", asset.read_bytes()))
    run = site.run
    manifest = Manifest(site_name=text(run.ledger.organization.site_title), as_of=run.as_of.isoformat(),
                        commit=run.commit, versioned=site.versioned, files=written,
                        in_nav=[p for p in IN_NAV if p in blocks], blocks={k: v for k, v in blocks.items() if v},
                        audience=site.audience, withheld=[p for p in IN_NAV if p not in blocks])
    (folder / MANIFEST).write_text(json.dumps(manifest.__dict__, ensure_ascii=False, indent=1), encoding="utf-8")


def read_manifest(folder: Path) -> Manifest:
    """The manifest of a folder written by `write_pages`."""
    return Manifest(**json.loads((folder / MANIFEST).read_text(encoding="utf-8")))


def _write(folder: Path, name: str, content: bytes) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return name
