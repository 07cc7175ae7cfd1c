"""Counts in words: "1 story", "2 stories", "1 boilerplate line" (every message says it so)."""

from __future__ import annotations

_IRREGULAR = {"story": "stories", "entry": "entries", "is": "are", "was": "were"}


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`count` and `noun` (its last word made plural unless the count is one)."""
    if count == 1:
        return f"{count} {noun}"
    if many is None:
        head, _, last = noun.rpartition(" ")
        last = _IRREGULAR.get(
            last,
            last[:-1] + "ies" if last.endswith("y") and last[-2:-1] not in "aeiou" else last + "s",
        )
        many = f"{head} {last}" if head else last
    return f"{count} {many}"
