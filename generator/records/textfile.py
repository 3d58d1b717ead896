"""Read record files strictly: UTF-8 (a BOM is tolerated), bounded size, CSV with line numbers."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sys
import zlib
from pathlib import Path

from generator.problems.catalogue import Problem, make
from generator.records import personal

MAX_BYTES = 8 * 1024 * 1024  # a branch's file is kilobytes; anything near this is a mistake
MAX_CELL = 100_000  # characters in one cell: a topic is 200 at most; a 1 MB cell is a pasted document
MAX_LINES = 200_000  # ten years of monthly dues for 1,000 members is 120,000 lines; 8 MB of blank lines is 8 million
_NUMBERS: list[int] = []  # line numbers as shared ints: a million rows on lines 2…800 need 800 ints, not a million


def _line_numbers(start: int, stop: int) -> list[int]:
    """[start, stop) as shared int objects (the rows' lines end up in the ledger's records: 32 bytes a row)."""
    if len(_NUMBERS) < stop:
        _NUMBERS.extend(range(len(_NUMBERS), stop))
    return _NUMBERS[start:stop]


class CsvTable:
    """A CSV file as strings: header, rows and the line on which each row starts.

    A table read for a check keeps its text packed (compressed, a sixth of its size) and its rows only while
    they are used: `release` lets them go, and reading `rows` or `lines` again parses the packed text anew,
    with the same parser, so the rows are always those of the file. A check at 6,000 branches holds two
    million rows, which as lists of strings cost more than the ledger made from them; so each branch's rows
    live from its tables' check, or its ledger, to the end of it (a check's memory at size).
    """

    __slots__ = ("path", "header", "digest", "packed", "_rows", "_lines", "_count")

    def __init__(self, path: str, header: list[str], rows: list[list[str]] | None = None,
                 lines: list[int] | None = None, digest: str = "") -> None:
        self.path, self.header = path, header
        self._rows: list[list[str]] | None = rows if rows is not None else []
        self._lines: list[int] = lines if lines is not None else []
        self.digest = digest  # of the text it was parsed from (content_digest); empty when not read from a file
        self.packed = b""  # the text, compressed (pack), while the rows may be let go (release)
        self._count = 0

    def __repr__(self) -> str:
        return f"CsvTable(path={self.path!r}, header={self.header!r}, rows={self.count})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CsvTable) and (self.path, self.header, self.rows, self.lines) == (
            other.path, other.header, other.rows, other.lines)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    @property
    def rows(self) -> list[list[str]]:
        if self._rows is None:
            self._restore()
        assert self._rows is not None
        return self._rows

    @rows.setter
    def rows(self, rows: list[list[str]]) -> None:
        self._rows = rows

    @property
    def lines(self) -> list[int]:
        if self._rows is None:
            self._restore()
        return self._lines

    @lines.setter
    def lines(self, lines: list[int]) -> None:
        self._lines = lines

    @property
    def count(self) -> int:
        """How many rows (without reading them again)."""
        return self._count if self._rows is None else len(self._rows)

    def pack(self, text: str) -> None:
        """Keep `text` (what the rows were parsed from) compressed, so that `release` can let the rows go."""
        self.packed = zlib.compress(text.encode("utf-8", "surrogatepass"), 1)

    def release(self) -> None:
        """Let the rows go until they are read again (a table that was not packed keeps them)."""
        if self.packed and self._rows is not None:
            self._count = len(self._rows)
            self._rows, self._lines = None, []

    def _restore(self) -> None:
        table, _ = _parse_csv(zlib.decompress(self.packed).decode("utf-8", "surrogatepass"), self.path)
        assert table is not None  # it was parsed before: the same text parses again
        self._rows, self._lines = table.rows, table.lines


def content_digest(text: str) -> str:
    """A digest of a file's decoded text: the validation cache finds a table's answer by it."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def read_text(file: Path, rel: str) -> tuple[str | None, list[Problem]]:
    """Return the decoded text, or None and a problem saying how to fix the file."""
    size = file.stat().st_size
    if size > MAX_BYTES:
        return None, [make("file-too-large", rel, size=_human(size), limit=_human(MAX_BYTES))]
    raw = file.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        detail = "很可能是 Excel 默认保存的 GBK/GB18030 编码" if _looks_gbk(raw) else f"第 {exc.start} 字节无法解码"
        return None, [make("encoding-error", rel, row=line, detail=detail)]
    if "\x00" in text:
        return None, [make("encoding-error", rel, detail="含有 NUL 字符，可能是 UTF-16 或二进制文件")]
    lines = text.count("\n")
    if lines > MAX_LINES:  # every line becomes a row, and every row costs memory: refused before it is parsed
        return None, [make("file-too-large", rel, size=f"{lines:,} 行", limit=f"{MAX_LINES:,} 行")]
    if not text.strip():
        return None, [make("empty-file", rel, detail="CSV 文件第一行为列名" if rel.endswith(".csv") else "YAML")]
    return text, []


def parse_csv(text: str, rel: str) -> tuple[CsvTable | None, list[Problem]]:
    """Split CSV text into rows, remembering the starting line of each (quoted cells may span lines).

    A cell longer than MAX_CELL makes the file unreadable (cell-too-large, on its line), whatever limit the
    csv module was given by whoever imported it last.
    """
    table, problems = _parse_csv(text, rel)
    if table is not None and len(text) > MAX_CELL:
        for line, row in zip([1, *table.lines], [table.header, *table.rows], strict=True):
            if row and max(map(len, row)) > MAX_CELL:
                return None, [make("cell-too-large", rel, row=line, limit=f"{MAX_CELL:,}")]
    return table, problems


def _parse_csv(text: str, rel: str) -> tuple[CsvTable | None, list[Problem]]:
    if '"' not in text:  # no quoted cell: each record is one line, and the csv module can read them all at once
        try:
            records = [list(map(sys.intern, record)) for record in csv.reader(io.StringIO(text, newline=""))]
        except csv.Error:
            pass  # the reader below finds the line to name
        else:
            if not records:
                return CsvTable(path=rel, header=[]), []
            return CsvTable(path=rel, header=records[0], rows=records[1:], lines=_line_numbers(2, len(records) + 1)), []
    return parse_csv_by_line(text, rel)


def parse_csv_by_line(text: str, rel: str) -> tuple[CsvTable | None, list[Problem]]:
    """parse_csv one record at a time, following the reader's line count (quoted cells may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    _line_numbers(0, min(text.count("\n") + 2, MAX_LINES + 2))  # shared line numbers for every row (see above)
    table: CsvTable | None = None
    start = 1
    try:
        for record in reader:
            if table is None:
                table = CsvTable(path=rel, header=record)
            else:
                table.rows.append(list(map(sys.intern, record)))
                table.lines.append(_NUMBERS[start] if start < len(_NUMBERS) else start)
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # the csv module's own limit (Frictionless raises it)
            return None, [make("cell-too-large", rel, row=start, limit=f"{MAX_CELL:,}")]
        return None, [make("encoding-error", rel, row=start, detail=f"CSV 无法解析（{personal.quote(exc, 80)}）")]
    if table is not None and table.rows and _unclosed(text, table.lines[-1]):
        # The csv module reads an unclosed quote to the end of the file as one cell: one problem where it
        # opened, instead of stray spaces and missing cells (the file is not read, like any it cannot parse).
        return None, [make("csv-unclosed-quote", rel, row=table.lines[-1])]
    return table or CsvTable(path=rel, header=[]), []


def _unclosed(text: str, line: int) -> bool:
    """True when the last record, from `line` on, opens a quoted cell and has an odd number of quotes."""
    starts = [0] + [end.end() for end in re.finditer(r"\r\n|\r|\n", text)]  # as the csv module counts lines
    rest = text[starts[line - 1]:] if line - 1 < len(starts) else ""
    return rest.count('"') % 2 == 1 and re.search(r'(?:^|,)[ \t]*"', rest) is not None


def _looks_gbk(raw: bytes) -> bool:
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


def _human(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
