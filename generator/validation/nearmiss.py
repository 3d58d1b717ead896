"""Guess which listed value a mistyped one meant: "支委会议" → 支委会, "主题党日活动" → 主题党日."""

from __future__ import annotations

import difflib


def near_miss(value: str, allowed: list[str]) -> str | None:
    """The one allowed value the text most likely meant, or None when nothing is close enough."""
    text = "".join(value.split())
    if not text:
        return None
    inside = [a for a in allowed if a in text or text in a]
    if len(inside) == 1:
        return inside[0]
    if len(inside) > 1:  # "党小组会议" holds both 党小组会 and no other; prefer the longest listed value inside
        longest = max(inside, key=len)
        return longest if sum(len(a) == len(longest) for a in inside) == 1 else None
    close = difflib.get_close_matches(text, allowed, n=2, cutoff=0.6)
    return close[0] if len(close) == 1 else None


def question(value: str, allowed: list[str]) -> str:
    """'是不是“支委会”？' for a near miss, else nothing."""
    guess = near_miss(value, allowed)
    return f"是不是“{guess}”？" if guess else ""
