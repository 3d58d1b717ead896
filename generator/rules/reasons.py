"""Why a branch is behind, said once per problem: results of one rule with the same explanation are merged."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from generator.rules import Result

ONCE = "once"


@dataclass
class Issue:
    """One explanation paragraph: the first result and every period that has exactly this explanation."""

    result: Result
    hide: bool  # fewer people than min_cell_size: no count, no note, no rows
    periods: list[str] = field(default_factory=list)


def merge_issues(results: list[Result], few: Callable[[Result], bool]) -> list[Issue]:
    """Results of one rule and status whose published explanation is identical become one Issue.

    One member who did not pay for eight months gave eight identical paragraphs; now one, with its months.
    """
    issues: dict[tuple, Issue] = {}
    for r in results:
        hide = few(r)
        key = (r.rule, r.status, hide, r.exemption, r.excused,
               (None, None, None) if hide else (r.note, r.count, r.required),
               tuple(sorted({path for path, _ in r.evidence})) if hide else tuple(r.evidence))
        issues.setdefault(key, Issue(r, hide)).periods.append(r.period)
    return list(issues.values())


def span(periods: list[str], now: str) -> str:
    """Periods in plain words: `now` (当前, for once), one label, a few labels, or 8 个月（2026-03 至 2026-10）."""
    labels = [now if p == ONCE else p for p in sorted(periods)]
    if len(labels) <= 3:
        return "、".join(labels)
    first = labels[0]
    unit = "个季度" if "-Q" in first else "个月" if "-" in first else "年"
    return f"{len(labels)} {unit}（{labels[0]} 至 {labels[-1]}）"
