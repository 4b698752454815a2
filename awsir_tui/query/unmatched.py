"""Why a filter left a list of AWS objects empty: the term that matched nothing alone,
and the values its field does hold.

A typo gave "0 of 43" and nothing more: ``state:runing`` reads as "no instance is
running", ``key:opsrecovery`` as "no instance was launched with the attacker's key". A
list in memory can say which term found nothing among the objects read and what that
field holds there (``state: running, stopped, terminated``), so the responder sees the
typo rather than a false negative. Pure: no I/O, no UI.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from awsir_tui.query.fields import FieldTable
from awsir_tui.query.predicate import compile_predicate
from awsir_tui.query.syntax import Query, Term

#: Fields whose values are words a responder types from memory: their values are worth
#: listing. An IP, a time, a port or a yes/no field has a syntax of its own, which the
#: filter's error already checks.
_LISTED_KINDS = frozenset({"text", "list"})


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A term that matched none of the objects alone, and what its field holds there."""

    term: Term
    #: The field's values among the objects, those closest to the term's first (the
    #: attacker's key is on one instance: the most common alone left it out), then the
    #: most common (at most ``most`` in all).
    seen: tuple[str, ...]
    #: How many other values the field holds.
    more: int

    def said(self) -> str:
        """``state:runing matches none (state: running, stopped, terminated)``."""
        if not self.seen:
            return f"{self.term.text} matches none (no {self.term.field} is set on any)"
        more = f" +{self.more} more" if self.more else ""
        return (f"{self.term.text} matches none ({self.term.field}: "
                f"{', '.join(self.seen)}{more})")


def unmatched(query: Query, fields: FieldTable, objects: Sequence[Any],
              most: int = 5, unknown: Collection[str] = ()) -> Unmatched | None:
    """The first clause of ``query`` that is one positive ``field:value`` term (of a
    field of words) and matches none of ``objects`` by itself; None if there is none,
    or nothing to match against. Only the terms a typo can explain: a negated term, a
    bare word, a tag, an OR of several terms are left out (an OR's terms are choices;
    one finding nothing is no error), and a term of a field in ``unknown``, whose
    values are not all read yet (role:, while IAM is read or when it was denied)."""
    if not objects:
        return None
    for clause in query.clauses:
        term = _listable(clause, fields)
        if term is None or term.field in unknown:
            continue
        alone = compile_predicate(Query(text=query.text, clauses=(clause,)), fields)
        if any(alone(obj) for obj in objects):
            continue
        field = fields.field(term.field or "")
        assert field is not None  # _listable checked it
        counts = Counter(value for obj in objects for value in _values(field.get(obj)))
        close = _closest(term.values, list(counts), most)
        common = [value for value, _ in counts.most_common() if value not in close]
        ranked = (close + common)[:most]
        return Unmatched(term, tuple(ranked), max(0, len(counts) - len(ranked)))
    return None


def _closest(typed: Sequence[str], values: list[str], most: int) -> list[str]:
    """The values that look most like what was typed (case ignored), closest first."""
    lowered = {value.lower(): value for value in values}
    close: dict[str, None] = {}
    for word in typed:
        for match in get_close_matches(word.lower(), list(lowered), n=most, cutoff=0.6):
            close[lowered[match]] = None
    return list(close)[:most]


def _listable(clause: Sequence[Term], fields: FieldTable) -> Term | None:
    if len(clause) != 1:
        return None
    term = clause[0]
    if term.negated or term.field is None or term.tag_key is not None or term.is_presence:
        return None
    field = fields.field(term.field)
    return term if field is not None and field.kind in _LISTED_KINDS else None


def _values(got: object) -> Iterable[str]:
    """A field's value(s) as read for the predicate: a tuple of strings, or one."""
    if isinstance(got, str):
        return (got,) if got else ()
    if isinstance(got, tuple | list):
        return (str(value) for value in got if value)
    return ()
