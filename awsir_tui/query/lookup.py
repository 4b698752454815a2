"""Planning a CloudTrail LookupEvents call from a filter.

LookupEvents matches ONE attribute, exactly, plus a time range, at 2 requests per
second per region. The planner sends the most selective term AWS can match as typed,
and keeps the whole query for the local predicate, which re-checks every event: the
server-side attribute only narrows what is downloaded, it never decides a match.
Because AWS matches exactly while ``field:value`` means "contains", a contains-term is
sent only when its value looks complete (a full event name, access key, event ID...).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from awsir_tui.query.bind import Bound, BoundQuery, bind
from awsir_tui.query.fields import EVENT_FIELDS, FieldTable
from awsir_tui.query.syntax import Query, Term
from awsir_tui.query.times import utc_text
from awsir_tui.text import clean

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ACCESS_KEY = re.compile(r"A[A-Z0-9]{3}[A-Z0-9]{16}")
_INSTANCE = re.compile(r"i-[0-9a-fA-F]{8,17}")
_RESOURCE_ID = re.compile(r"[a-z]{1,12}-[0-9a-fA-F]{8,17}|arn:[^\s]+")
#: Two or more capitalised words: RunInstances, GetCallerIdentity (not "Describe").
_EVENT_NAME = re.compile(r"[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+")
_EVENT_SOURCE = re.compile(r"[a-z0-9.-]+\.amazonaws\.com")


#: Any single-word or longer event name, for exact terms (Decrypt, ConsoleLogin).
_EXACT_EVENT_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")


def _complete(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda value: pattern.fullmatch(value) is not None


def _anything(value: str) -> bool:
    return True


def _user_name(value: str) -> bool:
    """AWS's Username is a name, not an ARN or a principal ID (both hold a colon)."""
    return ":" not in value


#: LookupEvents attributes, most selective first, each with when the value of a
#: contains-term (``field:v``) and of an exact term (``field:=v``) may be sent as is.
#: AWS matches exactly and with case while the local match ignores case, so names with
#: a canonical case (event names, sources, keys, IDs) are sent only in that case:
#: ``name:=runinstances`` is filtered here, rather than sent and silently finding nothing.
_ATTRIBUTES: tuple[tuple[str, Callable[[str], bool], Callable[[str], bool]], ...] = (
    ("EventId", _complete(_UUID), _complete(_UUID)),
    ("AccessKeyId", _complete(_ACCESS_KEY), _complete(_ACCESS_KEY)),
    ("Username", _complete(_INSTANCE), _user_name),
    ("ResourceName", _complete(_RESOURCE_ID), _anything),
    ("EventName", _complete(_EVENT_NAME), _complete(_EXACT_EVENT_NAME)),
    ("EventSource", _complete(_EVENT_SOURCE), _complete(_EVENT_SOURCE)),
    ("ReadOnly", _anything, _anything),
)
_RANK = {name: rank for rank, (name, _, _) in enumerate(_ATTRIBUTES)}
_CONTAINS_OK = {name: check for name, check, _ in _ATTRIBUTES}
_EXACT_OK = {name: check for name, _, check in _ATTRIBUTES}


@dataclass(frozen=True, slots=True)
class LookupPlan:
    """What to ask LookupEvents for, and what to check locally (always everything)."""

    attribute: tuple[str, str] | None
    start: datetime | None
    end: datetime | None
    local: Query
    #: The filter text of the term sent to AWS (for explain()).
    sent: str = ""
    #: True when the term sent means "contains" here but AWS matches it whole
    #: (``name:AssumeRole`` leaves UpdateAssumeRolePolicy on AWS's side): explain() says so.
    approximate: bool = False

    def lookup_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for boto3's ``lookup_events`` (without paging)."""
        kwargs: dict[str, Any] = {}
        if self.attribute is not None:
            key, value = self.attribute
            kwargs["LookupAttributes"] = [{"AttributeKey": key, "AttributeValue": value}]
        if self.start is not None:
            kwargs["StartTime"] = self.start
        if self.end is not None:
            kwargs["EndTime"] = self.end
        return kwargs

    def explain(self, aws: str | None = None) -> str:
        """One line for the UI: which part runs on AWS (``aws`` says it when the caller
        sends something else than this plan's one attribute) and which here."""
        start = utc_text(self.start) if self.start else "90 days ago"
        end = utc_text(self.end) if self.end else "now"
        local = clean(self.local.source(), max_len=200) or "(nothing)"
        sent = self._sent() if aws is None else clean(aws, max_len=300)
        return f"On AWS: {sent}, from {start} to {end}. Here: every term re-checked: {local}"

    def _sent(self) -> str:
        """What this plan asks LookupEvents for, in words."""
        if self.attribute is None:
            return "every event (no term can be matched exactly by LookupEvents)"
        key, value = self.attribute
        sent = f"{key} = {clean(value, max_len=80)} (from {clean(self.sent, max_len=80)})"
        return sent + (" [AWS matches it whole]" if self.approximate else "")

    def hint(self) -> str:
        """What to try when the answer is empty because AWS matched a part whole
        (``name:RunInst`` finds nothing on AWS; in lower case it is matched here)."""
        if not self.approximate:
            return ""
        sent = clean(self.sent, max_len=80)
        return f"try {sent.lower()} (AWS matched {sent} whole; lower case matches parts here)"


#: Attributes whose contains-terms are sent although a longer value could contain them.
_WHOLE_ON_AWS = frozenset({"EventName", "ResourceName"})


def _candidate(bound: Bound) -> tuple[str, str] | None:
    """The (attribute, value) this term could be sent as, or None."""
    term = bound.term
    spec = bound.field
    if spec is None or spec.lookup is None or term.negated or len(term.values) != 1:
        return None
    (value,) = term.values
    if spec.kind == "bool":
        return spec.lookup, "true" if bound.flags[0] else "false"
    sendable = _EXACT_OK if term.exact else _CONTAINS_OK
    return (spec.lookup, value) if sendable[spec.lookup](value) else None


def _window(bound: BoundQuery) -> tuple[datetime | None, datetime | None]:
    """The time range to ask for: since:/after:/before:, narrowed to the days a
    ``time:2026-11-28`` term names when every match must be in them (a term of its own,
    not negated): without it, one day's events were looked for in all 90."""
    start, end = bound.after, bound.before
    for clause in bound.clauses:
        days = clause[0].days if len(clause) == 1 and not clause[0].term.negated else ()
        if days:
            first, last = min(s for s, _ in days), max(e for _, e in days)
            start = first if start is None else max(start, first)
            end = last if end is None else min(end, last)
    if start is not None and end is not None and end < start:
        end = start  # days outside since:/after:/before: match nothing; AWS needs start <= end
    return start, end


def plan_lookup(query: Query, fields: FieldTable = EVENT_FIELDS) -> LookupPlan:
    """Choose the one LookupEvents attribute and the time range for ``query``.

    Only a clause of one positive term with one value can be sent (AWS cannot OR or
    negate). Raises :class:`FilterError` if the query does not fit the events view.
    """
    bound = bind(query, fields)
    best: tuple[int, tuple[str, str], Term] | None = None
    for clause in bound.clauses:
        if len(clause) != 1:
            continue
        candidate = _candidate(clause[0])
        if candidate is None:
            continue
        rank = _RANK[candidate[0]]
        if best is None or rank < best[0]:
            best = (rank, candidate, clause[0].term)
    start, end = _window(bound)
    if best is None:
        return LookupPlan(None, start, end, query)
    _, attribute, term = best
    return LookupPlan(
        attribute, start, end, query, sent=term.text,
        approximate=not term.exact and attribute[0] in _WHOLE_ON_AWS,
    )
