"""The Content-Security-Policy a built site actually satisfies, computed from its pages.

MkDocs Material writes small inline scripts into every page (the `__md_scope` bootstrap, the tabbed-content
anchor fix). Allowing them with 'unsafe-inline' would allow any injected script too; instead each distinct
inline script is allowed by its SHA-256 hash (CSP Level 2), computed here from every HTML file of the
builds being served. They differ only by the page's depth (`new URL("../..", location)`), so a site has a
handful of them whatever its size. Material's instant navigation re-inserts the same script text, which
the same hashes allow.

Styles keep 'unsafe-inline': Material and the charts set `style` attributes, and a style cannot run
script; everything else is 'self' only (the site loads nothing from elsewhere: no CDN, no web fonts).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
_EXECUTED = {"", "text/javascript", "application/javascript", "module"}  # a JSON data block never runs


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script of a page that a browser would run."""
    found = []
    for match in _SCRIPT.finditer(html):
        attributes, body = match.groups()
        if re.search(r"\bsrc\s*=", attributes, re.I):
            continue
        kind = _TYPE.search(attributes)
        if (kind.group(1).lower() if kind else "") in _EXECUTED:
            found.append(body)
    return found


def script_hash(body: str) -> str:
    """A CSP source for one script: 'sha256-…' of its exact text as UTF-8."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"


def site_hashes(folders: Iterable[Path]) -> list[str]:
    """Every distinct inline-script hash of every HTML page under the folders, sorted (stable output)."""
    hashes: set[str] = set()
    for folder in folders:
        for page in sorted(folder.rglob("*.html")):
            hashes.update(script_hash(body) for body in inline_scripts(page.read_text(encoding="utf-8",
                                                                                     errors="replace")))
    return sorted(hashes)


def policy(hashes: list[str]) -> str:
    """The header value: only this origin, the listed inline scripts, no framing by any other page."""
    return "; ".join((
        "default-src 'self'",
        "script-src 'self' " + " ".join(hashes) if hashes else "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))
