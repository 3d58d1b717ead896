"""`zhibu build` and `zhibu serve` as the CLI and tests call them; the stages are in pipeline.site."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

from generator.options import BuildOptions
from generator.pipeline import site
from generator.site.write import BuildRefused as BuildRefused  # re-exported: callers catch it from here


def build_site(root: Path, out: Path, as_of: dt.date | None = None, release: str | None = None,
               versioned: str | None = None, on_wait: Callable[[], None] | None = None, strict: bool = False,
               audience: str = "public") -> Path:
    """Check the records and build the site into `out`, replaced in one step (see pipeline.site, BuildOptions)."""
    options = BuildOptions(as_of=as_of, release=release, versioned=versioned, strict=strict, audience=audience)
    return site(root, out, options, on_wait)


def serve(root: Path, dev_addr: str) -> None:
    from generator.site import mkdocs_plugin

    os.chdir(root)
    mkdocs_plugin.serve(root / "mkdocs.yml", dev_addr)
