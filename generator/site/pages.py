"""The site's pages as files in a folder, before any site engine: Markdown, open data, our assets.

Like mkdocs-gen-files, the folder is what the engine adds to the hand-written pages of docs/. The large
HTML blocks of a page (render.stash_html) stay out of its Markdown: the page holds one comment per block
and the blocks wait in a file of their own (BLOCKS), from which the MkDocs adapter puts them back into the
converted page; they are never all held at once (at 6,000 branches they are hundreds of megabytes). The
manifest also carries what the adapter needs from the check: the site's title, the as-of date and commit
(provenance of the hand-written pages) and the versions-tree folder.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.site.render import Page, stash_html, text

if TYPE_CHECKING:
    from generator.pipeline import CheckRun

MANIFEST = ".zhibu-pages.json"  # a dot file: never published, never taken for a page
BLOCKS = ".zhibu-blocks"  # a page's HTML blocks, one JSON file per page (a dot folder: never published)
ASSETS = Path(__file__).parent / "assets"
IN_NAV = ["index.md", "units/index.md", "statistics.md", "standards/index.md", "data/index.md", "changes.md"]


@dataclass
class SitePages:
    """One build's generated files, as the pipeline made them."""

    run: CheckRun
    pages: Iterable[Page]  # rendered one at a time as they are written (render.render_pages): read once
    data: Callable[[Path], list[str]]  # writes data/ into the folder it is given, returns the names (opendata.py)
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
    blocks: list[str]  # the pages whose HTML blocks wait in BLOCKS (read_blocks)
    audience: str = "public"  # public | party: the readers this build is for
    withheld: list[str] = field(default_factory=list)  # navigation pages this audience does not get (links unlinked)


def write_pages(folder: Path, site: SitePages) -> None:
    """Write every generated file of the site into `folder` (which exists), and the manifest."""
    written, blocks = write_generated(folder, site.pages)
    made = set(written)
    (folder / "data").mkdir(exist_ok=True)
    written += [f"data/{name}" for name in site.data(folder / "data")]  # streamed: compliance has a row per result
    written += write_assets(folder)
    run = site.run
    manifest = Manifest(site_name=text(run.ledger.organization.site_title), as_of=run.as_of.isoformat(),
                        commit=run.commit, versioned=site.versioned, files=written,
                        in_nav=[p for p in IN_NAV if p in made], blocks=blocks,
                        audience=site.audience, withheld=[p for p in IN_NAV if p not in made])
    (folder / MANIFEST).write_text(json.dumps(manifest.__dict__, ensure_ascii=False, indent=1), encoding="utf-8")


def write_generated(folder: Path, pages: Iterable[Page]) -> tuple[list[str], list[str]]:
    """Write each page as it comes (its HTML blocks to BLOCKS); the pages written, and those that have blocks."""
    written, with_blocks = [], []
    for page in pages:
        content, blocks = stash_html(page.content)
        written.append(write_file(folder, page.path, content.encode("utf-8")))
        if blocks:
            write_file(folder, f"{BLOCKS}/{page.path}.json", json.dumps(blocks, ensure_ascii=False).encode("utf-8"))
            with_blocks.append(page.path)
    return written, with_blocks


def write_assets(folder: Path) -> list[str]:
    """Our own JS and CSS (and their licences) under assets/zhibu/; the names written."""
    return [write_file(folder, f"assets/zhibu/{asset.name}", asset.read_bytes()) for asset in sorted(ASSETS.glob("*/*"))
            if asset.suffix in (".js", ".css") or asset.name.endswith("LICENSE.txt")]


def read_blocks(folder: Path, page: str) -> list[str]:
    """The HTML blocks of a page `write_generated` wrote, in the order of its placeholders."""
    return list(json.loads((folder / BLOCKS / f"{page}.json").read_text(encoding="utf-8")))


def read_manifest(folder: Path) -> Manifest:
    """The manifest of a folder written by `write_pages`."""
    return Manifest(**json.loads((folder / MANIFEST).read_text(encoding="utf-8")))


def write_file(folder: Path, name: str, content: bytes) -> str:
    """Write one file of the folder (its parent folders made); its name."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return name
