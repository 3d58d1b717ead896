"""The options of one site build, passed down as a value (no process environment variables in between)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.history.releasetags import SCHEME


@dataclass(frozen=True)
class BuildOptions:
    """What `zhibu build`, `zhibu pages` and `zhibu releases` decide about one build of the site."""

    as_of: dt.date | None = None  # None: the date of the latest commit touching records/ or standards/
    release: str | None = None  # the release tag being built; "" = not a release even if HEAD is tagged;
    #                             None = a release tag at a clean HEAD counts as the one being built
    versioned: str | None = None  # this site's folder in a versions tree: switches on the version selector
    release_pattern: str = SCHEME  # which tag names count as releases (the changes page compares with them)
    strict: bool = False  # MkDocs' warnings (a broken link …) fail the build
    records: str = "records"  # the records folder, relative to the repository root
    audience: str = "public"  # public | party: which readers of the 党务公开目录 this build is for (site/audience.py)
