"""All Git access: GitPython, plus one `git cat-file --batch` pipe for the history audit.

Every failure is a GitError: a Chinese sentence that says what could not be read and what to do, with Git's
own words. Nothing outside this module imports GitPython or runs `git`; callers get hashes, dates, names and
bytes, never GitPython objects.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

# Without a git executable GitPython refuses to import at all: `zhibu check` of a folder that is no repository
# needs no Git, and a command that does need it gets a GitError saying so. Set before the import; a user's
# own setting wins.
os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")
import git  # noqa: E402


class GitError(Exception):
    """Git could not answer; carries Git's own message."""


# What to do, said once per kind of failure.
NOT_A_REPOSITORY = "请在记录仓库（git clone 得到的文件夹）里运行，或用 --root 指向它"
UNKNOWN_REF = ("请检查提交、分支或标签名（git log --oneline、git tag 可列出）；在 CI 中检出时请设 fetch-depth: 0，"
               "取得完整历史和标签")
BROKEN = "请确认已安装 git，并在仓库里运行 git status 检查仓库是否完好"
NO_GIT = "请安装 Git（https://git-scm.com/），并确认在命令行中输入 git --version 能看到版本号"
_STDERR = re.compile(r"stderr: '(.*)'\s*$", re.DOTALL)


def git_words(exc: BaseException) -> str:
    """Git's own message from a GitPython exception (its stderr without GitPython's wrapping)."""
    text = str(getattr(exc, "stderr", "") or exc).strip()
    found = _STDERR.search(text)
    return (found.group(1) if found else text).strip() or type(exc).__name__


def _failed(what: str, exc: BaseException, hint: str = BROKEN) -> GitError:
    if isinstance(exc, git.GitCommandNotFound):
        return GitError(f"{what}：找不到 git 程序。{NO_GIT}")
    return GitError(f"{what}（Git：{git_words(exc)}）。{hint}")


# What GitPython raises when Git cannot answer (git missing, a command failing, an unreadable object).
_FAILURES = (git.GitError, git.BadName)


@contextlib.contextmanager
def _answering(what: str, hint: str = BROKEN) -> Iterator[None]:
    try:
        yield
    except _FAILURES as exc:
        raise _failed(what, exc, hint) from exc


@dataclass(frozen=True)
class Tag:
    name: str
    commit: str | None  # full hash of the tagged commit; None when the tag points at something else
    message: str | None  # an annotated tag's message; None for a lightweight tag
    tagged: dt.date | None  # an annotated tag's date in the tagger's time zone
    committed: dt.date | None  # the tagged commit's date


class Repository:
    """One Git repository: hashes, dates and file contents out, GitError for every failure."""

    def __init__(self, repo: git.Repo) -> None:
        self._repo = repo
        self.root = Path(repo.working_tree_dir or ".")
        self._trees: dict[str, git.Tree] = {}

    @classmethod
    def find(cls, root: Path) -> Repository | None:
        """The repository whose top folder is `root`, or None (a folder inside a repository is not one)."""
        try:
            return cls(git.Repo(root, search_parent_directories=False))
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            return None

    @classmethod
    def open(cls, root: Path, purpose: str = "") -> Repository:
        found = cls.find(root)
        if found is None:
            raise GitError(f"{root} 不是 Git 仓库{purpose}：{NOT_A_REPOSITORY}")
        return found

    @classmethod
    def init(cls, root: Path, user: str, email: str) -> Repository:
        """A new repository on branch main that never signs, never collects garbage, commits as `user`."""
        repo = git.Repo.init(root, initial_branch="main")
        with repo.config_writer() as config:
            for section, option, value in (("gc", "auto", "0"), ("commit", "gpgsign", "false"),
                                           ("tag", "gpgsign", "false"), ("user", "name", user),
                                           ("user", "email", email)):
                config.set_value(section, option, value)
        return cls(repo)

    def run(self, *args: str, env: dict[str, str] | None = None, hint: str = BROKEN) -> str:
        """`git ARGS` in this repository; its output (stripped of the last newline). `hint`: what to do when it
        fails (a bad revision in ARGS: UNKNOWN_REF)."""
        with _answering(f"git {args[0]} 失败", hint), self._repo.git.custom_environment(**(env or {})):
            return self._repo.git.execute(["git", *args])

    def resolve(self, ref: str) -> str:
        """The full hash of the commit a ref (branch, tag, hash, HEAD~1 …) names."""
        try:
            return self._repo.commit(ref).hexsha
        except (*_FAILURES, ValueError) as exc:
            raise _failed(f"无法读取 Git 引用 {ref!r}", exc, UNKNOWN_REF) from exc

    def head(self) -> str | None:
        """HEAD's full hash; None before the first commit."""
        try:
            with _answering("无法读取 HEAD"):
                return self._repo.head.commit.hexsha
        except ValueError:
            return None

    def latest(self, paths: tuple[str, ...]) -> tuple[str, dt.date] | None:
        """HEAD's hash and the committer date of the newest commit touching `paths` (HEAD's if none does)."""
        try:
            with _answering("无法读取提交历史"):
                head = self._repo.head.commit
                latest = next(self._repo.iter_commits(paths=list(paths), max_count=1), head)
        except ValueError:
            return None
        return head.hexsha, latest.committed_datetime.date()

    def is_dirty(self, *paths: str) -> bool:
        """Uncommitted changes to tracked files under any of `paths`."""
        with _answering("无法读取工作区状态"):
            return any(self._repo.is_dirty(path=path) for path in paths)

    def untracked(self) -> list[str]:
        with _answering("无法读取工作区状态"):
            return list(self._repo.untracked_files)

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        try:
            return self._repo.is_ancestor(ancestor, descendant)  # type: ignore[arg-type]  # any revision works
        except _FAILURES:
            return False

    def shallow(self) -> set[str]:
        """The boundary commits of a shallow clone (empty for a full one)."""
        shallow_file = Path(self._repo.common_dir) / "shallow"  # common_dir: the same file for every worktree
        return set(shallow_file.read_text().split()) if shallow_file.is_file() else set()

    @contextlib.contextmanager
    def lines(self, *args: str) -> Iterator[Iterator[str]]:
        """`git ARGS` read line by line as it runs; leaving early ends the process."""
        with _answering(f"git {args[0]} 失败"):
            process = self._repo.git.execute(["git", *args], as_process=True)
        try:
            yield (raw.decode("utf-8", "replace").rstrip("\n") for raw in process.stdout)
        finally:
            if process.proc is not None and process.proc.poll() is None:
                process.proc.kill()
                process.proc.wait()

    def _tree(self, commit: str) -> git.Tree:
        tree = self._trees.get(commit)
        if tree is None:
            try:
                tree = self._trees[commit] = self._repo.commit(commit).tree
            except (*_FAILURES, ValueError) as exc:
                raise _failed(f"无法读取 Git 引用 {commit!r}", exc, UNKNOWN_REF) from exc
        return tree

    def read(self, commit: str, path: str) -> bytes | None:
        """A file's bytes at a commit (repository-relative path, forward slashes); None when it is no file there."""
        try:
            item = self._tree(commit) / path
        except KeyError:
            return None
        return item.data_stream.read() if item.type == "blob" else None

    def kind(self, commit: str, path: str) -> str | None:
        """"blob", "tree" (a folder) or "commit" (a submodule) at a commit; None when nothing is there."""
        try:
            return (self._tree(commit) / path).type
        except KeyError:
            return None

    def listing(self, commit: str, path: str) -> dict[str, str]:
        """What a folder holds at a commit: name -> "blob", "tree" …; empty when it is no folder there."""
        try:
            folder = self._tree(commit) / path if path else self._tree(commit)
        except KeyError:
            return {}
        return {item.name: item.type for item in folder} if folder.type == "tree" else {}

    def tags(self) -> list[Tag]:
        with _answering("无法读取标签"):
            return [self._tag(ref) for ref in self._repo.tags]

    @staticmethod
    def _tag(ref: git.TagReference) -> Tag:
        try:
            commit = ref.commit
        except (ValueError, git.BadName):
            return Tag(ref.name, None, None, None, None)  # a tag of something that is not a commit
        tag = ref.tag  # None for a lightweight tag
        tagged = None
        if tag is not None:
            offset = dt.timezone(dt.timedelta(seconds=-tag.tagger_tz_offset))
            tagged = dt.datetime.fromtimestamp(tag.tagged_date, offset).date()
        return Tag(ref.name, commit.hexsha, tag.message if tag is not None else None, tagged,
                   commit.committed_datetime.date())

    @contextlib.contextmanager
    def worktree(self, commit: str) -> Iterator[Path]:
        """A temporary detached checkout of `commit` that shares the repository (tags and history included)."""
        base = Path(tempfile.mkdtemp(prefix="zhibu-release-"))
        tree = base / "tree"
        try:
            try:
                self._repo.git.worktree("add", "--detach", "--quiet", str(tree), commit)
            except _FAILURES as exc:
                raise _failed(f"无法检出 {commit[:12]}", exc) from exc
            yield tree
        finally:
            with contextlib.suppress(*_FAILURES):
                self._repo.git.worktree("remove", "--force", str(tree))
            with contextlib.suppress(*_FAILURES):
                self._repo.git.worktree("prune")
            shutil.rmtree(base, ignore_errors=True)

    def blobs(self, hashes: list[str]) -> Iterator[tuple[str, bytes]]:
        """Each blob's content through one `git cat-file --batch` process (a thread feeds the names).

        GitPython reads objects one request at a time; a pipe fed by a thread streams the whole history."""
        if not hashes:
            return
        try:
            process = subprocess.Popen(["git", "cat-file", "--batch"], cwd=self.root, stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError as exc:
            raise GitError(f"无法运行 git（{exc.strerror or exc}）。{NO_GIT}") from exc
        assert process.stdin is not None and process.stdout is not None
        stdin, stdout = process.stdin, process.stdout

        def feed() -> None:
            try:
                stdin.write("".join(f"{b}\n" for b in hashes).encode())
                stdin.close()
            except BrokenPipeError:
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        try:
            for _ in hashes:
                header = stdout.readline().split()
                if len(header) != 3:
                    raise GitError(f"git cat-file 输出异常：{b' '.join(header).decode(errors='replace')}。{BROKEN}")
                data = stdout.read(int(header[2]))
                stdout.read(1)  # the newline after each object
                yield header[0].decode(), data
        finally:  # when the caller stops early, git may be blocked on a full pipe: end it before joining the writer
            stdout.close()
            if process.poll() is None:
                process.kill()
            writer.join()
            process.wait()


@dataclass
class Provenance:
    commit: str  # full hash, or "" outside a repository
    commit_date: dt.date | None  # date of the latest commit touching records/ or standards/


@dataclass
class Changes:
    everything: bool = False  # standards/, generator/ or organization.yaml changed: every branch is touched
    prefixes: list[str] = field(default_factory=list)  # records/<unit>/ or records/<unit>/<branch>/
    deleted: list[str] = field(default_factory=list)  # branch folders that no longer exist
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (old folder, new folder) of moved branches
    files: list[str] = field(default_factory=list)  # every path added, changed or deleted (repository-relative)


# A change under these touches every branch: the rules (standards/) or their implementation (generator/).
EVERYTHING = ("standards", "generator")


def provenance(root: Path, paths: tuple[str, ...] = ("records", "standards")) -> Provenance:
    """Commit and as-of date of the working tree; empty when not a Git repository or no commit yet."""
    repo = Repository.find(root)
    latest = repo.latest(paths) if repo is not None else None
    if latest is None:
        return Provenance(commit="", commit_date=None)
    return Provenance(commit=latest[0], commit_date=latest[1])


def changes_since(root: Path, ref: str, records: str = "records") -> Changes:
    """Branch folders touched between `ref` and the working tree (committed, staged or untracked).

    A unit.yaml change touches the unit's branches (the prefix records/<unit>/ selects them all); a branch
    folder that is gone is reported as renamed when its roster moved to another folder, else as deleted.
    """
    repo = Repository.open(root, "，无法使用 --since")
    repo.resolve(ref)
    entries = _diff_entries(repo.run("diff", "--raw", "-z", "-M", "--no-abbrev", ref, "--"))
    untracked = repo.untracked()
    names = {path for entry in entries for path in entry[2:] if path} | set(untracked)
    out = Changes(files=sorted(names))
    for name in out.files:
        parts = name.split("/")
        if parts[0] in EVERYTHING or name == f"{records}/organization.yaml":
            out.everything = True
        elif parts[0] == records and len(parts) == 3:
            out.prefixes.append(f"{records}/{parts[1]}/")  # unit.yaml or a file directly in the unit
        elif parts[0] == records and len(parts) >= 4:
            out.prefixes.append(f"{records}/{parts[1]}/{parts[2]}/")
    out.prefixes = sorted(set(out.prefixes))
    out.renamed, out.deleted = _gone_folders(repo, records, entries, untracked, lambda f: (root / f).is_dir())
    return out


def branch_moves(root: Path, old_ref: str, new_ref: str | None = None,
                 records: str = "records") -> tuple[list[tuple[str, str]], list[str]]:
    """Branch folders gone between two refs (new_ref None: the working tree): (renamed old → new, deleted)."""
    repo = Repository.open(root)
    refs = [repo.resolve(old_ref)] if new_ref is None else [repo.resolve(old_ref), repo.resolve(new_ref)]
    entries = _diff_entries(repo.run("diff", "--raw", "-z", "-M", "--no-abbrev", *refs, "--"))
    untracked = repo.untracked() if new_ref is None else []

    def exists(folder: str) -> bool:
        if new_ref is None:
            return (root / folder).is_dir()
        return repo.kind(refs[1], folder) == "tree"

    return _gone_folders(repo, records, entries, untracked, exists)


def _diff_entries(text: str) -> list[tuple[str, str, str, str | None]]:
    """Parse `git diff --raw -z`: (status letter, old blob, old path, new path or None)."""
    tokens = text.split("\0")
    out: list[tuple[str, str, str, str | None]] = []
    i = 0
    while i < len(tokens) and tokens[i].startswith(":"):
        meta = tokens[i].split()
        status, old_blob = meta[-1][0], meta[2]
        if status in "RC":
            out.append((status, old_blob, tokens[i + 1], tokens[i + 2]))
            i += 3
        else:
            out.append((status, old_blob, tokens[i + 1], None))
            i += 2
    return out


def _branch_folder(path: str | None, records: str) -> str | None:
    parts = (path or "").split("/")
    return "/".join(parts[:3]) if parts[0] == records and len(parts) >= 4 else None


def _gone_folders(repo: Repository, records: str, entries: list, untracked: list[str],
                  exists: Callable[[str], bool]) -> tuple[list[tuple[str, str]], list[str]]:
    """Sort branch folders that no longer exist into renamed (the roster went elsewhere) and deleted."""
    gone: dict[str, dict[str, str]] = {}  # folder -> file name -> old blob
    for status, blob, old, _new in entries:
        folder = _branch_folder(old, records)
        if status in "DR" and folder and not exists(folder):
            gone.setdefault(folder, {})[old.rsplit("/", 1)[1]] = blob
    renamed: list[tuple[str, str]] = []
    deleted: list[str] = []
    if not gone:
        return renamed, deleted
    # The roster identifies a branch (pseudonymous ids are never shared); branch.yaml when there is none.
    moved = {old: new for status, _blob, old, new in entries if status == "R"}
    untracked_blobs = _blobs(repo, [p for p in untracked if _branch_folder(p, records)
                                    and p.rsplit("/", 1)[1] in ("members.csv", "branch.yaml")])
    for folder, files in sorted(gone.items()):
        key = "members.csv" if "members.csv" in files else "branch.yaml"
        new = moved.get(f"{folder}/{key}") or untracked_blobs.get((key, files.get(key, "")))
        target = _branch_folder(new, records)
        if target and target != folder and exists(target):
            renamed.append((folder, target))
        else:
            deleted.append(folder)
    return renamed, deleted


def _blobs(repo: Repository, paths: list[str]) -> dict[tuple[str, str], str]:
    """(file name, blob hash) -> path for untracked files (nothing is written to the repository)."""
    found = {}
    for start in range(0, len(paths), 200):  # bounded command lines
        chunk = paths[start:start + 200]
        hashes = repo.run("hash-object", "--", *chunk).split()
        found.update({(path.rsplit("/", 1)[1], blob): path for path, blob in zip(chunk, hashes, strict=True)})
    return found
