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

from awsir_tui.query.bind import Bound, bind
from awsir_tui.query.fields import EVENT_FIELDS, FieldTable
from awsir_tui.query.syntax import Query
from awsir_tui.text import clean

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ACCESS_KEY = re.compile(r"A[A-Z0-9]{3}[A-Z0-9]{16}")
_INSTANCE = re.compile(r"i-[0-9a-fA-F]{8,17}")
_RESOURCE_ID = re.compile(r"[a-z]{1,12}-[0-9a-fA-F]{8,17}|arn:[^\s]+")
#: Two or more capitalised words: RunInstances, GetCallerIdentity (not "Describe").
_EVENT_NAME = re.compile(r"[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+")
_EVENT_SOURCE = re.compile(r"[a-z0-9.-]+\.amazonaws\.com")


def _complete(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda value: pattern.fullmatch(value) is not None


def _username(value: str) -> bool:
    return _INSTANCE.fullmatch(value) is not None


def _exact_username(value: str) -> bool:
    """An exact user: is sent unless it is an ARN or principal ID (AWS matches names)."""
    return not value.startswith("arn:") and ":" not in value


#: LookupEvents attributes, most selective first, with when a contains-term's value
#: is complete enough to send as is (exact ``field:=value`` terms always are).
_ATTRIBUTES: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("EventId", _complete(_UUID)),
    ("AccessKeyId", _complete(_ACCESS_KEY)),
    ("Username", _username),
    ("ResourceName", _complete(_RESOURCE_ID)),
    ("EventName", _complete(_EVENT_NAME)),
    ("EventSource", _complete(_EVENT_SOURCE)),
    ("ReadOnly", lambda value: True),
)
_RANK = {name: rank for rank, (name, _) in enumerate(_ATTRIBUTES)}
_SENDABLE = dict(_ATTRIBUTES)


@dataclass(frozen=True, slots=True)
class LookupPlan:
    """What to ask LookupEvents for, and what to check locally (always everything)."""

    attribute: tuple[str, str] | None
    start: datetime | None
    end: datetime | None
    local: Query
    #: The filter text of the term sent to AWS (for explain()).
    sent: str = ""

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

    def explain(self) -> str:
        """One line for the UI: which part runs on AWS and which here."""
        if self.attribute is not None:
            key, value = self.attribute
            aws = f"{key} = {clean(value, max_len=80)} (from {clean(self.sent, max_len=80)})"
        else:
            aws = "every event (no term can be matched exactly by LookupEvents)"
        start = self.start.strftime("%Y-%m-%d %H:%M:%SZ") if self.start else "90 days ago"
        end = self.end.strftime("%Y-%m-%d %H:%M:%SZ") if self.end else "now"
        local = clean(self.local.source(), max_len=200) or "(nothing)"
        return f"On AWS: {aws}, from {start} to {end}. Here: every term re-checked: {local}"


def _candidate(bound: Bound) -> tuple[str, str] | None:
    """The (attribute, value) this term could be sent as, or None."""
    term = bound.term
    spec = bound.field
    if spec is None or spec.lookup is None or term.negated or len(term.values) != 1:
        return None
    (value,) = term.values
    if spec.kind == "bool":
        return spec.lookup, "true" if bound.flags[0] else "false"
    if spec.lookup == "Username" and term.exact:
        return (spec.lookup, value) if _exact_username(value) else None
    if term.exact or _SENDABLE[spec.lookup](value):
        return spec.lookup, value
    return None


def plan_lookup(query: Query, fields: FieldTable = EVENT_FIELDS) -> LookupPlan:
    """Choose the one LookupEvents attribute and the time range for ``query``.

    Only a clause of one positive term with one value can be sent (AWS cannot OR or
    negate). Raises :class:`FilterError` if the query does not fit the events view.
    """
    bound = bind(query, fields)
    best: tuple[int, tuple[str, str], str] | None = None
    for clause in bound.clauses:
        if len(clause) != 1:
            continue
        candidate = _candidate(clause[0])
        if candidate is None:
            continue
        rank = _RANK[candidate[0]]
        if best is None or rank < best[0]:
            best = (rank, candidate, clause[0].term.text)
    return LookupPlan(
        attribute=best[1] if best else None,
        start=bound.after,
        end=bound.before,
        local=query,
        sent=best[2] if best else "",
    )
