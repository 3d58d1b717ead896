"""Joint-branch rule: how many units one joint branch covers."""

from __future__ import annotations

from generator.ledger.model import Branch
from generator.rules import Context, Result, once, rule_type
from generator.standards.catalogue import Rule


@rule_type("covered_units_max")
def covered_units_max(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """A joint branch covers at most `max` units (联合党支部覆盖单位一般不超过5个), as listed in covered_units."""
    limit = int(rule.params.get("max", 5))
    count = len(branch.covered_units)
    return once(branch, rule, count <= limit, f"覆盖 {count} 个单位，超过一般上限 {limit} 个", count, limit,
                evidence=[(f"{branch.path}/branch.yaml", 1)])
