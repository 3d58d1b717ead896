"""The speed machinery of a check: tables validated in other processes while the rest is worked out.

Large records are checked by Frictionless in forked processes (records.validate.start_validation).
Meanwhile the ledger and the rules are worked out as if those processes will find nothing, which is the
usual answer for records that already passed the pull-request check: a site build renders its pages
from that guess while the check goes on. If the tables had problems everything is worked out again
without their bad rows, so the final run is always the one a step-by-step check gives. The figures
that justify this are in the README's performance section.

The pipeline makes one call, `validate`, and then takes the final answer (`Speculation.final`) or lets
work be done on the guess and redone if the guess was wrong (`Speculation.use`).
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterator
from typing import Generic, Protocol, TypeVar

from generator.records.load import RawRecords
from generator.standards.catalogue import Standards
from generator.validation.cache import ValidationCache
from generator.validation.validate import PendingValidation, Validated, start_validation


class _Run(Protocol):
    @property
    def errors(self) -> list: ...


R = TypeVar("R", bound=_Run)
T = TypeVar("T")


def validate(raw: RawRecords, standards: Standards, then: Callable[[Validated], R]) -> Speculation[R]:
    """Validate the tables (forked, for large records) and work out `then` meanwhile on a guess.

    Tables whose answer the validation cache holds are not checked again (validation/cache.py).
    Call inside `records_in_bulk`: the processes fork with the collector paused, and so they stay."""
    return Speculation(start_validation(raw, standards, cache=ValidationCache.configured(standards)), then)


@contextlib.contextmanager
def records_in_bulk() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the records, ledger and results are made.

    They are millions of small objects without cycles, and the collector walks all of them each time the
    heap has grown by a quarter. Afterwards they are kept out of its sight (gc.freeze) until
    `release_records`; refcounting still frees them as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def release_records() -> None:
    """Let the collector see the records again (at the end of a check or build; a long process goes on)."""
    gc.unfreeze()


class Outdated(Exception):
    """Work was done on a guess that the tables' check contradicted; `run` is the final answer."""

    def __init__(self, run: object) -> None:
        super().__init__("the check found problems while work was done on its guess")
        self.run = run


class Speculation(Generic[R]):
    """A check whose tables may still be under way in other processes."""

    def __init__(self, pending: PendingValidation, finish: Callable[[Validated], R]) -> None:
        self._pending, self._finish = pending, finish
        self._confirmed: R | None = None
        self.run: R | None = None
        if not pending.background or pending.known.problems:
            # Nothing runs beside us, or bad files are known already: no guess, the real answer now.
            self._confirmed = self.run = finish(pending.result())
            return
        try:
            self.run = finish(Validated())
        except Exception:  # records the tables' check will reject can break the guess; confirm() redoes it
            self.run = None

    def confirm(self) -> R:
        """The final run: `.run` itself when the tables had no problems, else a new run without bad rows."""
        if self._confirmed is None:
            checked = self._pending.result()
            if self.run is not None and not (checked.problems or checked.bad_rows or checked.bad_files):
                self._confirmed = self.run
            else:
                with records_in_bulk():
                    self._confirmed = self._finish(checked)
        return self._confirmed

    def cancel(self) -> None:
        """Stop the processes still checking (the caller gave up)."""
        self._pending.cancel()

    def final(self) -> R:
        """Wait for the final run and let the collector see the records again."""
        try:
            return self.confirm()
        finally:
            self.cancel()
            release_records()

    def use(self, work: Callable[[R, Callable[[], None]], T]) -> T:
        """`work(run, confirm)` on the guess, redone on the final run if `confirm()` finds the guess wrong.

        `work` calls `confirm()` before it publishes anything; it raises Outdated when the tables'
        check contradicts the guess. A guess with errors is confirmed before `work` sees it.
        """
        try:
            run = self.run
            while True:
                if run is None or run.errors:
                    run = self.confirm()
                try:
                    return work(run, functools.partial(self._same, run))
                except Outdated as outdated:
                    run = outdated.run  # type: ignore[assignment]
        finally:
            self.cancel()
            release_records()

    def _same(self, run: R) -> None:
        final = self.confirm()
        if final is not run:
            raise Outdated(final)
