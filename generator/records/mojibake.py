"""Recognise Chinese text damaged by Excel: UTF-8 bytes read as GBK, then saved back as UTF-8.

A record CSV without a BOM opened by double-click in Chinese Excel is decoded as GBK (code page 936):
"主题党日" becomes "涓婚�樺厷鏃�". Saved back as "CSV UTF-8", the file is valid UTF-8 and every Chinese
cell is wrong. Two traces are left. Bytes that do not pair into a GBK character become U+FFFD (or '?')
and never belong in a record. The rest can be undone: encoded as GBK again, the characters give back
UTF-8 bytes, which decode to real Chinese; genuine Chinese text encoded as GBK almost never forms valid
UTF-8 (tests/test_mojibake.py measures both on the repository's own text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REPLACEMENT = "\ufffd"
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
SHARE = 0.3  # of a file's Chinese runs that must undo into Chinese (Excel damages every cell alike)


@dataclass(frozen=True)
class Damage:
    """Where a file's text is damaged and how much of it."""

    offset: int  # character offset of the first damaged run
    runs: int  # damaged runs of non-ASCII text


def repaired(run: str) -> str | None:
    """The Chinese a run of mojibake was meant to be, or None when the run is not undone mojibake."""
    try:
        raw = run.encode("gbk")
    except UnicodeEncodeError:
        return None
    text = raw.decode("utf-8", errors="replace")
    han = len(_HAN.findall(text))
    # Genuine Chinese turns into invalid UTF-8; a run cut at a damaged byte may lose a character at each end.
    if han >= 2 and text.count(REPLACEMENT) <= 2 and len(text) < len(run):
        return text.strip(REPLACEMENT)
    return None


def find_damage(text: str) -> Damage | None:
    """The damage in a file's text, or None when it reads as genuine text."""
    runs = [m for m in _NON_ASCII.finditer(text) if _HAN.search(m.group()) or REPLACEMENT in m.group()]
    if not runs:
        return None
    verdict: dict[str, bool] = {}  # the same few values (meeting kinds, topics) recur on many lines
    for match in runs:
        run = match.group()
        if run not in verdict:
            verdict[run] = REPLACEMENT in run or repaired(run) is not None
    bad = [m for m in runs if verdict[m.group()]]
    certain = any(REPLACEMENT in m.group() for m in bad)
    if not bad or (not certain and sum(verdict.values()) < SHARE * len(verdict)):
        return None
    return Damage(offset=bad[0].start(), runs=len(bad))
