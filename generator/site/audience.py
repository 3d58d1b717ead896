"""Who may read what: the 党务公开目录 applied to one build, in one place.

Templates only say what kind of content a page or a part of a page is (`Page.kinds`, the `part` filter);
this module decides, before any site engine sees the files, which pages, parts and open-data tables and
columns the build's audience may have. What is not allowed is absent (not hidden), so the search index,
the sitemap and the data package, which are made from these files, cannot hold it either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # render imports this module: the name only for type hints
    from generator.site.render import Page

PUBLIC, PARTY = "public", "party"
AUDIENCES = (PUBLIC, PARTY)
READERS = {"public": (PUBLIC, PARTY), "party": (PARTY,), "none": ()}  # catalogue value → audiences that see it
CAUTIOUS = "party"  # a kind the catalogue (or an older settings.yaml) does not name stays inside the Party
# The kinds and their labels: standards/vocabulary.yaml disclosure_kinds (tests/test_audience.py checks they agree)
KINDS = ("checklists", "meetings", "attendance", "dues_rates", "development_counts", "statistics", "open_data",
         "standards", "changes", "calendar", "annual_ledger", "rectification", "appraisal")

_PART = re.compile(r"<!--zhibu:part ([a-z_]+)-->(.*?)<!--/zhibu:part \1-->(\n?)", re.DOTALL)


def part_marker(kind: str, content: str) -> str:
    """`content` marked as content of `kind`; `Disclosure.page_text` keeps or drops it (see the `part` filter)."""
    if kind not in KINDS:
        raise ValueError(f"unknown content kind {kind!r}")  # a template's typo: fail the build, not leak
    return f"<!--zhibu:part {kind}-->{content}<!--/zhibu:part {kind}-->"


@dataclass(frozen=True)
class Disclosure:
    """One build's audience and the organisation's catalogue (kind → public|party|none)."""

    audience: str
    catalogue: Mapping[str, str]

    def allows(self, *kinds: str) -> bool:
        """True if this audience may read content that is of every one of `kinds`."""
        return all(self.audience in READERS.get(self.catalogue.get(k, CAUTIOUS), ()) for k in kinds)

    def page_text(self, content: str) -> str:
        """A page's text with the parts this audience may not read removed (and every marker gone)."""
        def keep(m: re.Match) -> str:
            if self.allows(m.group(1)):
                return m.group(2) + m.group(3)
            whole_lines = m.start() == 0 or m.string[m.start() - 1] == "\n"
            return "" if whole_lines else m.group(3)  # a dropped line goes with its line break, a cell keeps it

        while "<!--zhibu:part " in content:
            content, found = _PART.subn(keep, content)
            if not found:
                raise ValueError("unbalanced zhibu:part marker")  # a template's mistake: never publish it
        return content

    def kept(self, header: list[str], kinds: Mapping[str, tuple[str, ...]]) -> list[int]:
        """The positions of the columns of a table this audience may read (`kinds`: column → its kinds)."""
        return [i for i, name in enumerate(header) if self.allows(*kinds.get(name, ()))]

    def published(self) -> list[str]:
        """The kinds this audience reads, in catalogue order (for the settings page and tests)."""
        return [k for k in KINDS if self.allows(k)]


def publishes(catalogue: Mapping[str, str]) -> list[str]:
    """The audiences the organisation publishes a site for: party always, public when anything is public."""
    return [a for a in AUDIENCES if a == PARTY or any(v == PUBLIC for v in catalogue.values())]


def restricted(pages: Iterable[Page], disclosure: Disclosure) -> Iterator[Page]:
    """The pages this audience may read, each without the parts it may not read, one page at a time (a build
    writes each page as it is rendered)."""
    return (replace(page, content=disclosure.page_text(page.content))
            for page in pages if disclosure.allows(*page.kinds))
