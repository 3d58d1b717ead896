"""The tables' check in forked processes when the records are large, collected in a stable order."""

from __future__ import annotations

import multiprocessing
import os
import signal

from generator.problems.catalogue import Problem
from generator.records.load import BranchFiles
from generator.standards.catalogue import Standards
from generator.validation.cache import ValidationCache
from generator.validation.tables import Batch
from generator.validation.validated import Validated


class PendingValidation:
    """The tables' check of some parts of the branches, running in forked processes when there are several parts.

    `known` holds what was found before the tables were checked (files that could not be read, YAML
    problems): the ledger can already be built on it if it is empty.
    """

    def __init__(self, known: Validated, parts: list[list[BranchFiles]], standards: Standards,
                 cached: list[Validated] | None = None, cache: ValidationCache | None = None) -> None:
        self.known = known
        self._cached = cached or []  # answers of branches the cache knew (not in `parts`)
        self.fresh = sum(len(part) for part in parts)  # branches whose tables are checked (the rest were cached)
        self._answer: Validated | None = None
        self._pool = None
        self._cache = cache
        if len(parts) == 1:
            self._parts, self._standards = parts, standards
            return
        _PARTS[:] = [(part, standards, cache) for part in parts]
        # Ctrl-C reaches the whole process group. The processes are born deaf to it (the signal is blocked
        # while they are forked): the parent stops, and its exit ends them, without a traceback from each.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:  # fork now: the processes inherit the rows, nothing is sent to them
            self._pool = multiprocessing.get_context("fork").Pool(len(parts), initializer=_start_worker)
            self._async = self._pool.map_async(_validate_part, range(len(parts)))
        finally:
            _PARTS.clear()
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a Ctrl-C pressed meanwhile arrives now

    @property
    def background(self) -> bool:
        """True when the tables are being checked in other processes (the caller can do other work)."""
        return self._pool is not None

    def result(self) -> Validated:
        """Wait for the tables' check; everything found, in a stable order whatever the number of processes."""
        if self._answer is None:
            if self._pool is None:
                answers = [check_part(part, self._standards, self._cache) for part in self._parts]
            else:
                try:
                    answers = self._async.get()
                finally:
                    self.cancel()
            out = Validated(problems=list(self.known.problems), bad_files=set(self.known.bad_files),
                            bad_rows={path: set(rows) for path, rows in self.known.bad_rows.items()})
            out.caps.merge(self.known.caps)
            for part in [*self._cached, *answers]:
                out.problems += part.problems
                out.caps.merge(part.caps)
                out.bad_files |= part.bad_files
                for path, rows in part.bad_rows.items():
                    out.bad_rows.setdefault(path, set()).update(rows)
            out.problems.sort(key=Problem.sort_key)
            self._answer = out
            if self._cache is not None:
                self._cache.prune()  # entries no recent run used (cache.py)
        return self._answer

    def cancel(self) -> None:
        """Stop the processes (after `result()`, or when the caller gives up)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


PARALLEL_ROWS = 100_000  # below this, starting processes costs more than it saves


def jobs_for(rows: int) -> int:
    return max(1, min(os.cpu_count() or 1, rows // (PARALLEL_ROWS // 2))) if rows >= PARALLEL_ROWS else 1


def jobs_from_environment() -> int:
    """ZHIBU_JOBS=N sets the number of processes."""
    value = os.environ.get("ZHIBU_JOBS", "")
    return int(value) if value.isdigit() else 0


_PARTS: list[tuple[list[BranchFiles], Standards, ValidationCache | None]] = []


WORKER_NICENESS = 5  # below this process: see _start_worker


def _start_worker() -> None:
    """A checking process ignores Ctrl-C (see PendingValidation) and yields the CPU to this one.

    This process works out the ledger and the rules meanwhile, and its work is the longer part of a check: when
    there are as many checking processes as cores it got two thirds of a core, and at 6,000 branches the check
    waited 19 s for it after the tables were done. Lower priority (nice) lets it run on, the checking processes
    take the rest of the cores and all of them once it waits."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    os.nice(WORKER_NICENESS)


def _validate_part(index: int) -> Validated:
    """In a forked process: check one part of the branches (inherited from the parent)."""
    return check_part(*_PARTS[index])


BATCH_BRANCHES = 500  # branches per Frictionless batch: their rows are held together while it runs


def check_part(branches: list[BranchFiles], standards: Standards, cache: ValidationCache | None = None) -> Validated:
    """Check the tables of `branches`, a batch of BATCH_BRANCHES at a time (branches are independent: the
    problems are the same in any grouping, and sorted afterwards); each batch's rows are let go after it."""
    out = Validated()
    for start in range(0, len(branches), BATCH_BRANCHES):
        batch, chunk = Batch(standards), branches[start:start + BATCH_BRANCHES]
        for branch in chunk:
            batch.add(branch.tables, out, branch.code)
        batch.validate(out)
        del batch
        for branch in chunk:  # read again by the ledger, one branch at a time (CsvTable.release)
            for table in branch.tables.values():
                table.release()
    if cache is not None:
        cache.store(branches, out)  # in the process that checked them: the writing is shared out too
    return out
