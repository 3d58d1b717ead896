"""English wording for the second-language output: a count with the right noun form."""

from __future__ import annotations

_IRREGULAR = {"branch": "branches", "person": "people", "summary": "summaries"}


def count(n: int, noun: str, plural: str | None = None) -> str:
    """'1 branch', '0 branches', '2 errors': the noun in the singular only for exactly one."""
    if n == 1:
        return f"1 {noun}"
    return f"{n} {plural or _IRREGULAR.get(noun) or noun + 's'}"
