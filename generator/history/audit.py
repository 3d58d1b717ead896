"""Audit the whole Git history of records/ for personal data: where it is, never what it is.

A value deleted today is still in every clone, so the check on the working tree is not enough. One
`git log --raw` lists every blob version that ever appeared under records/ (with the commits that
introduced it); each distinct blob is then read once through a single `git cat-file --batch` pipe.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.history.git import UNKNOWN_REF, GitError, Repository
from generator.records import personal

_EMPTY = "0" * 40
# Every ID number, mobile number or e-mail address (after NFKC) holds one of these: most files are ruled out
# by this one cheap search instead of three.
_CANDIDATE = re.compile(r"[0-9]{4}[- ]?[0-9]{4}|@")
_COMMIT = "\x01"  # marks a commit header in our --format, never found in a raw diff line


@dataclass(frozen=True)
class Finding:
    commit: str
    date: str  # committer date, ISO 8601
    path: str
    line: int
    kind: str  # id-number | mobile | email (personal.KINDS)


@dataclass
class Audit:
    findings: list[Finding] = field(default_factory=list)
    commits: int = 0  # commits that added or changed a file under the scanned path
    blobs: int = 0  # distinct file versions read
    bytes: int = 0
    binary: int = 0  # versions skipped as binary (cannot hold readable text)
    shallow: bool = False  # the clone lacks older history: the audit is incomplete

    @property
    def commits_with_findings(self) -> list[str]:
        return sorted({f.commit for f in self.findings})


def audit_history(root: Path, rev: str | None = None, path: str = "records") -> Audit:
    """Scan every version of every file under `path` reachable from `rev` (default: all refs)."""
    repo = Repository.open(root)
    audit = Audit(shallow=repo.run("rev-parse", "--is-shallow-repository").strip() == "true")
    introduced: dict[str, list[tuple[str, str, str]]] = {}  # blob -> [(commit, date, path)]
    for commit, date, blob, file in _introductions(repo, rev, path):
        introduced.setdefault(blob, []).append((commit, date, file))
    audit.commits = len({c for places in introduced.values() for c, _, _ in places})
    for blob, data in repo.blobs(list(introduced)):
        audit.blobs += 1
        audit.bytes += len(data)
        text = _decode(data)
        if "\0" in text[:8000]:
            audit.binary += 1
            continue
        if not text.isascii():
            text = unicodedata.normalize("NFKC", text)  # as personal.locate does; it then finds text normalised
        if not _CANDIDATE.search(text):
            continue
        hits = sorted(set(personal.locate(text)))
        for commit, date, file in introduced[blob]:
            audit.findings.extend(Finding(commit, date, file, line, kind) for line, kind in hits)
    audit.findings.sort(key=lambda f: (f.date, f.commit, f.path, f.line, f.kind))
    return audit


def _introductions(repo: Repository, rev: str | None, path: str) -> Iterator[tuple[str, str, str, str]]:
    """(commit, date, blob, path) for every file version a commit added or changed under `path`.

    `--cc` also lists what a merge introduced itself (a conflict resolution), without repeating what
    the merged branches already brought; renames are not detected, so a moved file counts as added.
    """
    if rev and rev.startswith("-"):
        raise GitError(f"--rev 应为提交范围（如 main 或 2025.12..HEAD），不能以“-”开头：{rev}。请去掉开头的“-”")
    revs = [rev] if rev else ["--all"]
    out = repo.run("log", "--raw", "-z", "--no-abbrev", "--no-renames", "--cc", "--no-textconv",
                   f"--format={_COMMIT}%H %cI", *revs, "--", path, hint=UNKNOWN_REF)
    commit = date = ""
    tokens = out.split("\0")
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        i += 1
        if token.startswith(_COMMIT):
            commit, date = token[1:].split()[:2]
        elif token.startswith(":"):
            meta = token.split()
            parents = len(meta[0]) - len(meta[0].lstrip(":"))
            name = tokens[i]
            i += 1
            mode, blob = meta[parents], meta[-2]
            if blob != _EMPTY and mode != "160000":  # files and symlink targets; a submodule is no blob
                yield commit, date, blob, name


def _decode(data: bytes) -> str:
    """Text of a record file as a reader would see it: UTF-16 by its BOM, else UTF-8, else GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")
