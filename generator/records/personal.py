"""Detect personal data (resident ID numbers, mobile numbers, e-mail addresses) in any record value."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator

# Separators people type inside a number: up to three spaces, or one dash (any width), dot, middle dot, slash or
# underscore with a space either side (138.0013.8000 and 138/0013/8000 are as readable as 138-0013-8000).
_SEP = r"(?:[ \t]{1,3}|[ \t]?[-\u2010-\u2015.\u00b7/_][ \t]?)"
# 6-8-4 digits (area, birth date, sequence and check character), optionally set apart.
_ID = re.compile(rf"(?<![0-9])[1-9][0-9]{{5}}{_SEP}?[0-9]{{8}}{_SEP}?[0-9]{{3}}[0-9Xx](?![0-9])")
# 3-4-4 digits, optionally set apart, after an optional country code: 86, +86, 0086, (+86), (0086).
_MOBILE = re.compile(rf"(?<![0-9])(?:\(?(?:\+|00)?86\)?{_SEP}?)?1[3-9][0-9](?:{_SEP}?[0-9]{{4}}){{2}}(?![0-9])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_DIGIT_OR_AT = re.compile(r"[0-9@]")
_LONG_OR_AT = re.compile(r"[^\x00]{11}|@")  # the shortest find: a mobile number, 11 digits
_EIGHT_DIGITS_OR_AT = re.compile(rf"[0-9]{{4}}{_SEP}?[0-9]{{4}}|@")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

KINDS = {"id-number": ("身份证号", "resident ID number"), "mobile": ("手机号", "mobile number"),
         "email": ("电子邮箱", "e-mail address")}


def id_check_digit_ok(value: str) -> bool:
    """True when an 18-character resident ID number has a valid ISO 7064 check character."""
    total = sum(int(d) * w for d, w in zip(value[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == value[17].upper()


def _matches(value: str) -> Iterator[tuple[str, re.Match]]:
    """(kind, match in the NFKC-normalised text) for each piece of personal data; NFKC keeps line breaks."""
    if not value or len(value) < 6:
        return
    text = unicodedata.normalize("NFKC", value)
    if _DIGIT_OR_AT.search(text) is None:  # every pattern needs an ASCII digit or an @ (after NFKC)
        return
    hashes = [m.span() for m in _COMMIT.finditer(text) if not m.group().isdigit()] if len(text) >= 40 else []
    for match in _ID.finditer(text):
        if id_check_digit_ok(_digits(match.group())) and not _inside(match, hashes):
            yield "id-number", match
    for match in _MOBILE.finditer(text):
        if not _inside(match, hashes):
            yield "mobile", match
    if "@" in text:
        for match in _EMAIL.finditer(text):
            yield "email", match


# A full Git commit id (40 or 64 hex digits): eleven decimal digits inside one are not a mobile number
# (fa373992961c6ea415e14474751874cd7e68f54a holds 14474751874), and the job summary quotes such ids.
_COMMIT = re.compile(r"(?<![0-9A-Za-z])(?:[0-9a-f]{64}|[0-9a-f]{40})(?![0-9A-Za-z])")


def _inside(match: re.Match, spans: list[tuple[int, int]]) -> bool:
    return any(start <= match.start() and match.end() <= end for start, end in spans)


def contains(text: str) -> bool:
    """True when a text holds any personal data (a fast test before locating it cell by cell)."""
    return next(_matches(text), None) is not None


def in_cells(blob: str) -> bool:
    """True when a cell of NUL-separated cells holds personal data (one test for a whole table).

    No pattern crosses a NUL, every find is at least 11 characters long or has an @, and every ID or mobile
    number has eight digits with at most one separator among them: two quick scans clear most tables.
    """
    text = blob if blob.isascii() else unicodedata.normalize("NFKC", blob)
    return (_LONG_OR_AT.search(text) is not None and _EIGHT_DIGITS_OR_AT.search(text) is not None
            and contains(text))


def find(value: str) -> Iterator[tuple[str, str]]:
    """Yield (kind, masked value) for each piece of personal data found in a text."""
    for kind, match in _matches(value):
        yield kind, _masked(kind, match.group())


def _digits(text: str) -> str:
    return re.sub(r"[^0-9Xx]", "", text)


def _masked(kind: str, found: str) -> str:
    if kind == "email":
        local, _, domain = found.partition("@")
        return f"{local[:1]}***@{domain}"
    return mask(_digits(found)[-18 if kind == "id-number" else -11:])


def screen(text: str) -> str:
    """The text with each piece of personal data replaced by its masked form (138******78); else unchanged.

    Every message that quotes a record value, a key, a header or a file name goes through this (problems.make
    and the report's output do it for all of them), so a value caught by another check is never shown in full.
    """
    if not text or len(text) < 6:
        return text
    finds = sorted(((m.start(), m.end(), kind) for kind, m in _matches(text)), key=lambda f: (f[0], -f[1]))
    if not finds:
        return text
    normal = unicodedata.normalize("NFKC", text)
    out, position = [], 0
    for start, end, kind in finds:  # overlapping finds (a mobile number inside an e-mail address) become one mask
        if start >= position:
            out += [normal[position:start], _masked(kind, normal[start:end])]
            position = end
        else:
            position = max(position, end)
    return "".join(out) + normal[position:]


def quote(value: object, limit: int = 40) -> str:
    """A record value as a message may quote it: personal data masked first, then cut to `limit` characters."""
    text = screen(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def locate(text: str) -> Iterator[tuple[int, str]]:
    """Yield (line number, kind) for each piece of personal data in a whole file, never the value itself."""
    starts: list[int] | None = None
    for kind, match in _matches(text):
        if starts is None:
            starts = [0] + [newline.end() for newline in re.finditer("\n", match.string)]
        yield bisect.bisect_right(starts, match.start()), kind


def in_lines(text: str) -> Iterator[tuple[int, str, str]]:
    """Yield (line number, kind, masked value) for each piece of personal data in a whole file (comments too)."""
    starts: list[int] | None = None
    for kind, match in _matches(text):
        if starts is None:
            starts = [0] + [newline.end() for newline in re.finditer("\n", match.string)]
        yield bisect.bisect_right(starts, match.start()), kind, _masked(kind, match.group())


def redact(value: str, mark: str = "（已隐去）") -> str:
    """The text with each piece of personal data replaced by `mark`; unchanged (not normalised) when there is none."""
    spans = sorted((match.start(), match.end()) for _, match in _matches(value))
    if not spans:
        return value
    text = unicodedata.normalize("NFKC", value)
    out, position = [], 0
    for start, end in spans:  # overlapping finds (a mobile number inside an e-mail address) become one mark
        if start >= position:
            out += [text[position:start], mark]
        position = max(position, end)
    return "".join(out) + text[position:]


def mask(value: str) -> str:
    """Keep the first three and last two characters, hide the rest."""
    if len(value) <= 5:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 5) + value[-2:]
