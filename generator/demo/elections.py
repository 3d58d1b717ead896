"""The demo's elections.csv: the election that produced a branch's committee or secretary, counts only.

An election is recorded when its assembly is in the records (on or after the records start): the voters
expected and present are that meeting's voting_expected and voting_present, each winner's yes-votes are
spread between a bare majority of the voters expected and the voters present, without any random draw (the
branch's other records stay as they were). Deliberate shortfalls: EL-01 (branch.yaml names the day after the
assembly), EL-02 (four fifths present, not more: see activity.election_vote), EL-03 (one winner with half the
votes), EL-04 (as many candidates as seats where the school requires 差额).
"""

from __future__ import annotations

from datetime import date, timedelta

from generator.demo.activity import SLUG
from generator.demo.faults import Shortfall


def election_rows(code: str, faults: frozenset[str], committee: dict | None, secretary: list[dict] | None,
                  meetings: list[list], margin: int) -> tuple[list[list], list[Shortfall]]:
    """The rows of elections.csv and the shortfalls they show; `margin` is the school's 差额 percent (0: none)."""
    day, seats = _election(committee, secretary)
    meeting = next((row for row in meetings if row[0] == f"{day}-{SLUG['党员大会']}"), None) if day else None
    if meeting is None or meeting[7] in ("", None):
        return [], []
    eligible, present = int(meeting[7]), int(meeting[8])
    extra = -(-seats * margin // 100) if committee and margin else 0
    candidates = seats if "EL-04" in faults and committee and margin else seats + extra
    low, high = eligible // 2 + 1, present
    votes = [high - (i % max(1, high - low + 1)) for i in range(seats)]
    notes = []
    if "EL-02" in faults and present * 5 <= eligible * 4:
        notes.append(Shortfall(code, "EL-02", f"{day}的选举到会有选举权党员{present}人，"
                                              f"未超过应到会{eligible}人的五分之四"))
    if "EL-03" in faults:
        votes[-1] = eligible // 2
        notes.append(Shortfall(code, "EL-03", f"{day}的选举有1名当选人得{votes[-1]}票，未超过应到会有选举权党员"
                                              f"{eligible}人的一半"))
    if candidates < seats + extra:
        notes.append(Shortfall(code, "EL-04", f"{day}换届选举应选{seats}人、候选人{candidates}人，"
                                              f"未达到本校要求的差额{margin}%"))
    row = [f"{day}-hj", meeting[0], "换届选举", seats, candidates, eligible, present,
           "、".join(str(v) for v in votes)]
    return [row], notes


def _election(committee: dict | None, secretary: list[dict] | None) -> tuple[date | None, int]:
    """The day of the election and how many were elected that day (a deputy elected later is not counted)."""
    if committee:
        return committee["elected_on"], len({o["member"] for o in committee["members"]})
    if not secretary:
        return None, 0
    day = secretary[0].get("elected_on")
    return day, sum(1 for o in secretary if o.get("elected_on") == day)


def misdate(code: str, committee: dict | None, secretary: list[dict] | None) -> list[Shortfall]:
    """EL-01: branch.yaml names the day after the election assembly (the meeting itself stays as held)."""
    holder = committee if committee else (secretary[0] if secretary else None)
    if holder is None or not holder.get("elected_on"):
        return []
    held = holder["elected_on"]
    holder["elected_on"] = held + timedelta(days=1)
    who = "支部委员会" if committee else "支部书记"
    return [Shortfall(code, "EL-01", f"branch.yaml 记{who}于{holder['elected_on']}选举产生，这一天没有党员大会"
                                     f"（选举大会在{held}召开）")]
