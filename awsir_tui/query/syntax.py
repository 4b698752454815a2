"""The filter's abstract syntax: what ``parse`` produces and every compiler consumes.

A query is an AND of clauses; a clause is an OR of terms (usually just one). Time
bounds are kept apart because every backend treats them specially: LookupEvents takes
them as StartTime/EndTime, SQL as a range on ``event_time``, S3 readers to prune keys.
Values keep the case the user typed: LookupEvents matches exactly, so the planner must
send them as typed; the local matchers lowercase them once at compile time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Term:
    """One ``field:value`` (or bare word) of a filter.

    ``field`` is the name as typed, lowercased (``None`` for a bare word, which matches
    anywhere). ``values`` are alternatives (``name:a,b``); an empty tuple means "has a
    value" (``error:*``, ``tag:Owner``). For ``tag:`` terms ``tag_key`` holds the key.
    """

    field: str | None
    values: tuple[str, ...]
    exact: bool = False
    negated: bool = False
    tag_key: str | None = None
    position: int = 0
    length: int = 0
    text: str = ""

    @property
    def is_presence(self) -> bool:
        """True for ``field:*`` / ``tag:Key``: matches any non-empty value."""
        return not self.values


@dataclass(frozen=True, slots=True)
class TimeTerm:
    """A ``since:``/``after:``/``before:`` term, already resolved to an instant."""

    keyword: str
    at: datetime
    position: int = 0
    length: int = 0
    text: str = ""

    @property
    def is_lower_bound(self) -> bool:
        return self.keyword in ("since", "after")


#: A clause is an OR of terms; the query ANDs its clauses.
Clause = tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed filter: clauses ANDed, plus the time range they all share."""

    text: str = ""
    clauses: tuple[Clause, ...] = ()
    times: tuple[TimeTerm, ...] = ()

    @property
    def after(self) -> datetime | None:
        """The latest lower bound (inclusive), or None."""
        lows = [t.at for t in self.times if t.is_lower_bound]
        return max(lows) if lows else None

    @property
    def before(self) -> datetime | None:
        """The earliest upper bound (exclusive), or None."""
        highs = [t.at for t in self.times if not t.is_lower_bound]
        return min(highs) if highs else None

    @property
    def terms(self) -> tuple[Term, ...]:
        """Every term of every clause, in the order typed."""
        return tuple(term for clause in self.clauses for term in clause)

    def source(self) -> str:
        """The filter as text: what was typed, each time bound as one value
        (:meth:`time_parts`), or rebuilt from the terms of a Query made in code (the
        rebuilt text parses back to the same query)."""
        if self.text.strip():
            return spliced(self.text, self.time_parts()).strip()
        parts = [" OR ".join(term.text for term in clause) for clause in self.clauses]
        return " ".join([*parts, *(time.text for time in self.times)])

    def time_parts(self) -> list[tuple[int, int, str]]:
        """Each time bound as it reads back, over the characters typed for it, for
        :func:`spliced`: a date and a time of day typed with a space between them
        (``after:2026-12-01 05:40``) read as two words, when the bound is one value
        (``after:2026-12-01T05:40``). A bound made in code, typed nowhere, has none."""
        return [(time.position, time.length, time.text) for time in self.times if time.length]

    def is_empty(self) -> bool:
        """An empty filter matches everything."""
        return not self.clauses and not self.times


def spliced(text: str, parts: Iterable[tuple[int, int, str]]) -> str:
    """``text`` with each ``(position, length, new)`` of ``parts`` (which do not overlap)
    put in place of the characters it spans: a filter's terms rewritten where typed."""
    for position, length, new in sorted(parts, reverse=True):
        text = text[:position] + new + text[position + length :]
    return text
