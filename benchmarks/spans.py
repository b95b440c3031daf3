"""Token offsets shared by the benchmark and SkillNER's runner (standard library only)."""

from __future__ import annotations


def token_starts(tokens: list[str]) -> list[int]:
    """Where each token starts when the tokens are joined by single spaces."""
    starts, position = [], 0
    for token in tokens:
        starts.append(position)
        position += len(token) + 1
    return starts


def token_span(starts: list[int], start: int, end: int) -> tuple[int, int]:
    """The tokens (end exclusive) that a character span [start, end) touches."""
    first = max(i for i, s in enumerate(starts) if s <= start)
    last = max(i for i, s in enumerate(starts) if s < end)
    return first, last + 1
