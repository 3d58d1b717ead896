"""Compare the old and new branch.yaml and exemptions.yaml of one branch into plain findings."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from generator.history.changes_words import Finding, Tally, day, earliest
from generator.records.yamlfile import load_yaml
from generator.standards.vocabulary import Vocabulary

UNREADABLE = object()  # a file that could not be decoded or parsed


def read_yaml(data: bytes | None) -> Any:
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return UNREADABLE
    doc, _, problems = load_yaml(text, "")
    return UNREADABLE if problems else doc


def compare_branch(old: Any, new: Any, until: dt.date | None, vocab: Vocabulary) -> list[Finding]:
    """branch.yaml: committee elections and changes, then the other fields by their Chinese labels (the fields
    vocabulary.yaml branch_fields lists, in its order)."""
    old, new = (d if isinstance(d, dict) else {} for d in (old, new))
    out: list[Finding] = []
    before, after = old.get("committee"), new.get("committee")
    before, after = (c if isinstance(c, dict) else None for c in (before, after))
    tally = Tally(until)
    if after and (not before or day(after.get("elected_on")) != day(before.get("elected_on"))):
        elected, previous = day(after.get("elected_on")), day(before.get("elected_on")) if before else None
        if before and elected and previous and elected < previous:
            tally.add(earliest(before.get("elected_on"), after.get("elected_on")))
            out += tally.findings("committee-changed")
        else:
            verb = "支部委员会换届" if before else "成立支部委员会"
            tally.add(elected)
            out += tally.findings("committee-elected", f"{verb}（{elected or '日期不详'} 选举）",
                                  f"补记{verb}（{elected or '日期不详'} 选举，在已发布时段内）")
    elif before and not after:
        out.append(Finding("committee-changed", 1, "不再设支部委员会"))
    elif before and after and _canon(before) != _canon(after):
        if before.get("extended_until") != after.get("extended_until") and after.get("extended_until"):
            out.append(Finding("committee-changed", 1, f"支部委员会经批准延期换届至 {after.get('extended_until')}"))
        else:
            out.append(Finding("committee-changed", 1, "支部委员会成员或分工调整"))
    fields = [label for key, label in vocab.labels("branch_fields").items()
              if _canon(old.get(key)) != _canon(new.get(key))]
    if fields:
        out.append(Finding("branch-changed", len(fields), f"支部基本信息更新（{'、'.join(fields)}）"))
    return out


def compare_exemptions(old: Any, new: Any, until: dt.date | None) -> list[Finding]:
    """exemptions.yaml: exemptions granted, changed or withdrawn, keyed by rule and start."""
    def items(doc: Any) -> dict[tuple, str]:
        rows = doc.get("exemptions") if isinstance(doc, dict) else None
        return {(str(e.get("rule")), str(e.get("from"))): _canon(e) for e in rows or [] if isinstance(e, dict)}

    before, after = items(old), items(new)
    add, fix, drop = Tally(until), Tally(until), Tally(until)
    for key in sorted(after.keys() - before.keys()):
        add.add(day(key[1]), key[0])
    for key in sorted(before.keys() - after.keys()):
        drop.add(day(key[1]), key[0])
    for key in sorted(before.keys() & after.keys()):
        if before[key] != after[key]:
            fix.add(day(key[1]), key[0])
    return (add.findings("exemptions-added")
            + fix.findings("exemptions-changed")
            + drop.findings("exemptions-removed"))


def _canon(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
