"""Warn when an exemption does not cover the whole period its rule is judged by.

An exemption covers a month, quarter or year only when it lies wholly inside from … expires_on (see
compliance._covers). A summer exemption "from: 2024-07-15" therefore leaves July to the rule, silently:
the secretary meant the holiday, the check still fails July. Say so when the record is written.
"""

from __future__ import annotations

from generator.ledger.model import Ledger
from generator.problems.catalogue import Problem, make
from generator.rules.periods import PERIODIC, period_of
from generator.standards.catalogue import Standards


def partial_periods(ledger: Ledger, standards: Standards) -> list[Problem]:
    """One warning per exemption whose first or last day cuts through a period of its rule."""
    units = standards.vocab.labels("periods", "unit")  # 月, 季度, 年
    periods = {rule.id: rule.period for rule in standards.rules if rule.period in PERIODIC}
    out = []
    for branch in ledger.branches:
        for item in branch.exemptions:
            kind = periods.get(item.rule)
            if kind is None or item.expires_on < item.start:
                continue  # a structural rule is covered on the as-of date; reversed dates are an error already
            first, last, unit = period_of(kind, item.start), period_of(kind, item.expires_on), units.get(kind, kind)
            cut, labels = [], []
            if item.start != first.start:
                cut.append(f"{first.label} 从 {item.start} 才开始豁免（要豁免整个{unit}，from 请写 {first.start}）")
                labels.append(first.label)
            if item.expires_on != last.end:
                cut.append(f"{last.label} 只豁免到 {item.expires_on}（要豁免整个{unit}，expires_on 请写 {last.end}）")
                labels.append(last.label)
            if cut:
                out.append(make("exemption-partial-period", f"{branch.path}/exemptions.yaml", item.line,
                                "from" if item.start != first.start else "expires_on", branch=branch.code,
                                rule=item.rule, unit=unit, detail="；".join(cut),
                                labels="、".join(dict.fromkeys(labels))))
    return out
