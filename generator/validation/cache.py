"""The tables' check of a branch kept by content, so that a second check of unchanged files costs no Frictionless.

`zhibu build` after `zhibu check` (or `make site`) reads each branch's answer here instead of validating
again. An entry is found by a key made of everything that answer depends on: the bytes of every table
file of the branch (after decoding) with its path, the branch's code, the table schemas as the standards
loaded them, and the code of zhibu itself with the Frictionless and Python versions. A changed byte in any
of them is another key, so a stale answer is never found; an entry that does not read back whole (cut
short, edited, another format) is a miss, never trusted. No as-of date enters: the tables' check does not
depend on it (date bounds are judged after the cache, in datebounds.py).

Where: `$XDG_CACHE_HOME/zhibu/validation` (by default `~/.cache/zhibu/validation`), or the folder named by
`ZHIBU_CACHE`; `ZHIBU_CACHE=off` turns it off. Not inside the repository: a cache there could be committed
with a pull request and answer for files it never saw. Entries are small JSON files (a branch without
problems is a few hundred bytes); deleting the folder at any time is safe.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from generator.problems.caps import Hidden
from generator.problems.catalogue import Problem
from generator.records.load import TABLES, BranchFiles
from generator.standards.catalogue import Standards
from generator.validation.validated import Validated

FORMAT = 1  # of an entry; part of every key
KEEP_RUNS = 10  # an entry one of the last KEEP_RUNS runs used is kept ...
KEEP_DAYS = 14  # ... and so is one used in the last KEEP_DAYS days
MAX_BYTES = 512 * 1024 * 1024  # beyond this, the least recently used entries go whatever their age
SCAN_EVERY = 3600  # seconds: the folder is scanned at most this often (a --since check must stay quick)
RUNS = "runs.txt"  # the start times of the last KEEP_RUNS runs, one a line
SCANNED = "scanned"  # its modification time: the last scan
_ENTRY = re.compile(r"[0-9a-f]{40}\.json|.+\.tmp")  # what prune may delete, in a folder named by two hex digits
_FOLDER = re.compile(r"[0-9a-f]{2}")


class ValidationCache:
    """Entries in one folder, keyed for one standards version and one zhibu code."""

    def __init__(self, folder: Path, standards: Standards) -> None:
        self.folder = folder
        self.started = time.time()
        schemas = json.dumps(standards.table_schemas, sort_keys=True, ensure_ascii=False)
        self._base = _digest(FORMAT, code_version(), schemas)

    @classmethod
    def configured(cls, standards: Standards) -> ValidationCache | None:
        """The cache where ZHIBU_CACHE (or the XDG cache folder) says; None when it is turned off."""
        folder = location()
        return None if folder is None else cls(folder, standards)

    def key(self, branch: BranchFiles) -> str | None:
        """The entry's name for this branch's tables; None when a table's content is not known."""
        parts: list[str] = [self._base, branch.code, branch.path]
        for name in TABLES:
            table = branch.tables.get(name)
            if table is not None:
                if not table.digest:
                    return None
                parts += [name, table.path, table.digest]
        return _digest(*parts)

    def lookup(self, branches: list[BranchFiles]) -> tuple[list[Validated], list[BranchFiles]]:
        """The answers found, and the branches still to be checked (in their order)."""
        found, todo = [], []
        for branch in branches:
            key = self.key(branch)
            answer = self._read(key) if key else None
            if answer is None:
                todo.append(branch)
            else:
                found.append(answer)
        return found, todo

    def store(self, branches: list[BranchFiles], checked: Validated) -> None:
        """Keep each branch's share of `checked`, the answer for exactly these branches."""
        shares = split(checked, branches)
        if shares is None:
            return
        for branch in branches:
            key = self.key(branch)
            if key:
                self._write(key, shares[branch.code])

    def _file(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def _read(self, key: str) -> Validated | None:
        try:
            entry = json.loads(self._file(key).read_text(encoding="utf-8"))
            body = entry["body"]
            if entry["key"] != key or entry["check"] != _digest(json.dumps(body, sort_keys=True, ensure_ascii=False)):
                return None
            answer = _loaded(body)
            os.utime(self._file(key))  # used by this run: prune keeps it
            return answer
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # absent, unreadable or not an entry: checked afresh (and written again)

    def _write(self, key: str, answer: Validated) -> None:
        body = _dumped(answer)
        text = json.dumps({"key": key, "check": _digest(json.dumps(body, sort_keys=True, ensure_ascii=False)),
                           "body": body}, ensure_ascii=False)
        target = self._file(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent, suffix=".tmp",
                                             delete=False) as handle:
                handle.write(text)
            os.replace(handle.name, target)  # a reader sees the old entry or the new one, never half of one
        except OSError:
            return  # a full or read-only disk costs speed, not the check


    def prune(self) -> int:
        """Remove the entries the last runs did not use (see the module's text); this run counts as one.

        Returns the number of files removed. Only entry files are ever removed (a 40-hex-digit name, or a
        temporary file left by a writer that stopped), in the two-hex-digit folders. Another run going on
        meanwhile loses nothing it needs: its entries are newer than any cut-off, and an entry removed
        under a reader is a miss, checked afresh."""
        runs = self._runs()
        scanned = self.folder / SCANNED
        try:
            if time.time() - scanned.stat().st_mtime < SCAN_EVERY:
                return 0
        except OSError:
            pass  # never scanned
        try:
            scanned.touch()
        except OSError:
            return 0
        cutoff = min(runs[0] if len(runs) >= KEEP_RUNS else 0.0, time.time() - KEEP_DAYS * 86400)
        cutoff = min(cutoff, self.started - 2)  # never this run's own entries (coarse file system clocks)
        entries: list[tuple[float, int, Path]] = []
        removed = 0
        try:
            folders = [f for f in os.scandir(self.folder) if _FOLDER.fullmatch(f.name) and f.is_dir()]
        except OSError:
            return 0
        for folder in folders:
            try:
                files = [f for f in os.scandir(folder.path) if _ENTRY.fullmatch(f.name) and f.is_file()]
            except OSError:
                continue
            for file in files:
                try:
                    stat = file.stat()
                except OSError:
                    continue
                if stat.st_mtime < cutoff:
                    removed += _remove(Path(file.path))
                else:
                    entries.append((stat.st_mtime, stat.st_size, Path(file.path)))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries, key=lambda entry: entry[0]):  # least recently used first
            if total <= MAX_BYTES:
                break
            removed += _remove(path)
            total -= size
        return removed

    def _runs(self) -> list[float]:
        """The start times of the last KEEP_RUNS runs, this one included (kept in RUNS), oldest first."""
        file = self.folder / RUNS
        try:
            runs = [float(line) for line in file.read_text(encoding="ascii").split()]
        except (OSError, ValueError, UnicodeDecodeError):
            runs = []
        runs = sorted([*runs, self.started])[-KEEP_RUNS:]
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="ascii", dir=self.folder, suffix=".runs",
                                             delete=False) as handle:
                handle.write("".join(f"{run:.3f}\n" for run in runs))
            os.replace(handle.name, file)
        except OSError:
            pass
        return runs


def _remove(path: Path) -> int:
    try:
        path.unlink()
    except OSError:
        return 0
    return 1


def location() -> Path | None:
    value = os.environ.get("ZHIBU_CACHE", "").strip()
    if value.lower() == "off":
        return None
    if value:
        return Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "zhibu" / "validation"


@functools.cache
def code_version() -> str:
    """A digest of zhibu's own source and the versions of what validates: new code, new keys."""
    import frictionless

    package = Path(__file__).resolve().parents[1]
    source = hashlib.blake2b(digest_size=20)
    for file in sorted(package.rglob("*.py")):
        source.update(file.relative_to(package).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return _digest(source.hexdigest(), frictionless.__version__, sys.version)


def split(checked: Validated, branches: list[BranchFiles]) -> dict[str, Validated] | None:
    """`checked` shared out by branch (every path it names lies in one branch's folder); None if one does not."""
    shares = {branch.code: Validated() for branch in branches}
    owner = {f"{branch.path}/": branch.code for branch in branches}

    def share(path: str) -> Validated | None:
        folder = path.rsplit("/", 1)[0] + "/"
        code = owner.get(folder)
        return shares[code] if code else None

    for problem in checked.problems:
        if (held := share(problem.path)) is None:
            return None
        held.problems.append(problem)
    for path, rows in checked.bad_rows.items():
        if (held := share(path)) is None:
            return None
        held.bad_rows[path] = set(rows)
    for path in checked.bad_files:
        if (held := share(path)) is None:
            return None
        held.bad_files.add(path)
    for (path, code), count in checked.caps.listed.items():
        if (held := share(path)) is None:
            return None
        held.caps.listed[path, code] = count
    for path, count in checked.caps.per_file.items():
        if (held := share(path)) is None:
            return None
        held.caps.per_file[path] = count
    for (path, code), hidden in checked.caps.hidden.items():
        if (held := share(path)) is None:
            return None
        held.caps.hidden[path, code] = hidden
    if checked.caps.entries or checked.caps.hidden_in_folder:
        return None  # folder-level caps are the loader's, never the tables' check: unexpected, keep nothing
    return shares


def _dumped(answer: Validated) -> dict[str, Any]:
    return {"problems": [[p.code, p.severity, p.path, p.row, p.field, p.message, p.message_en, p.branch, p.column,
                          list(p.rows)] for p in answer.problems],
            "bad_rows": {path: sorted(rows) for path, rows in answer.bad_rows.items()},
            "bad_files": sorted(answer.bad_files),
            "listed": [[path, code, count] for (path, code), count in answer.caps.listed.items()],
            "per_file": [[path, count] for path, count in answer.caps.per_file.items()],
            "hidden": [[path, code, h.count, h.row, h.severity, h.branch]
                       for (path, code), h in answer.caps.hidden.items()]}


def _loaded(body: dict[str, Any]) -> Validated:
    answer = Validated()
    for code, severity, path, row, name, message, message_en, branch, column, rows in body["problems"]:
        answer.problems.append(Problem(code, severity, path, row, name, message, message_en, branch, column,
                                       tuple(rows)))
    answer.bad_rows = {path: set(rows) for path, rows in body["bad_rows"].items()}
    answer.bad_files = set(body["bad_files"])
    for path, code, count in body["listed"]:
        answer.caps.listed[path, code] = count
    for path, count in body["per_file"]:
        answer.caps.per_file[path] = count
    for path, code, count, row, severity, branch in body["hidden"]:
        answer.caps.hidden[path, code] = Hidden(count, row, severity, branch)
    return answer


def _digest(*parts: object) -> str:
    return hashlib.blake2b("\0".join(map(str, parts)).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
