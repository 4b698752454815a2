"""Planning a CloudTrail LookupEvents call from a filter.

LookupEvents matches ONE attribute, exactly, plus a time range, at 2 requests per
second per region. The planner sends the most selective term AWS can match as typed,
and keeps the whole query for the local predicate, which re-checks every event: the
server-side attribute only narrows what is downloaded, it never decides a match.
Because AWS matches exactly while ``field:value`` means "contains", a contains-term is
sent only when its value looks complete (a full event name, access key, event ID...).
Some look complete and may still be a part (``AssumeRole`` of UpdateAssumeRolePolicy,
``i-b2547952`` of i-b2547952490b7fe51): those plans are marked approximate, and carry
the filter to type instead, with those terms in a case AWS never uses, so that they are
not sent and every event of the window is read and matched here.

Given the catalogue of known event names (:class:`~awsir_tui.query.names.EventNames`),
a ``name:`` contains-term that is in exactly one known name, at its start, and no name
whole (``name:runinst``) is sent as that name (RunInstances), and the plan says so; a
part of several (``name:Group``: GroupResources starts with it, CreateSecurityGroup holds it)
keeps its plan, and its hint names some of them. The term is still re-checked
here as typed, and the plan is approximate as any contains-term sent whole is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from awsir_tui.query.bind import Bound, BoundQuery, bind
from awsir_tui.query.fields import EVENT_FIELDS, FieldTable
from awsir_tui.query.names import EventNames
from awsir_tui.query.parser import quote
from awsir_tui.query.syntax import Query, Term, spliced
from awsir_tui.query.times import utc_text
from awsir_tui.text import clean

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ACCESS_KEY = re.compile(r"A[A-Z0-9]{3}[A-Z0-9]{16}")
#: EC2 IDs: 8 hex digits (older IDs, or the start of a 17-digit one) or 17, lower case
#: as AWS writes them (AWS would find nothing for ``i-0ABC...``: it is matched here).
_INSTANCE = re.compile(r"i-[0-9a-f]{8}(?:[0-9a-f]{9})?")
_RESOURCE_ID = re.compile(r"[a-z]{1,12}-[0-9a-f]{8}(?:[0-9a-f]{9})?|arn:[^\s]+")
#: An ID of 8 hex digits may be whole, or cut from a 17-digit one (a narrow column).
_SHORT_ID = re.compile(r"[a-z]{1,12}-[0-9a-f]{8}")
#: Two or more capitalised words: RunInstances, GetCallerIdentity (not "Describe").
#: One run after the second capital, not a repeated group of them: ``(?:[A-Z][A-Za-z0-9]*)+``
#: meant the same but tried every way of cutting a run of capitals into words, twice the
#: time for each capital more (``name:Aa`` and 22 capitals and a ``!`` took 0.26 s, 30 a
#: minute, 40 some 19 hours: the planner runs on each filter applied).
_EVENT_NAME = re.compile(r"[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*")
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
    #: For an approximate plan, the filter to type so that nothing is matched whole on
    #: AWS (``name:ASSUMEROLE``, ``user:I-B2547952``: see :func:`_unsent`), else "".
    retry: str = ""
    #: The retry's first rewritten term alone, for a filter too long to show whole.
    retry_term: str = ""
    #: True when the value sent is the one known name holding the term typed
    #: (``name:RunInst`` sent as RunInstances), not the value typed.
    completed: bool = False
    #: The known names holding the term sent, when it is in several.
    holding: tuple[str, ...] = ()

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

    def explain(self, aws: str | None = None, kept_since: datetime | None = None) -> str:
        """One line for the UI: which part runs on AWS (``aws`` says it when the caller
        sends something else than this plan's one attribute) and which here. With no
        filter, that there is none: `:events` alone said ``every term re-checked:
        (nothing)``, terms that were never typed. A range that ends before
        ``kept_since``, where Event history's days start, asks AWS for nothing: said so,
        where the line showed an empty range (``from 08-01 to 08-01``)."""
        local = clean(self.local.source(), max_len=200)
        here = f"every term re-checked: {local}" if local else "no filter: every event"
        if kept_since is not None and self.end is not None and self.end <= kept_since:
            return (f"On AWS: nothing: the range ends {utc_text(self.end)}, before what Event "
                    f"history keeps (since {utc_text(kept_since)}). Here: {here}")
        start = utc_text(self.start) if self.start else "90 days ago"
        end = utc_text(self.end) if self.end else "now"
        sent = self._sent() if aws is None else clean(aws, max_len=300)
        return f"On AWS: {sent}, from {start} to {end}. Here: {here}"

    def _sent(self) -> str:
        """What this plan asks LookupEvents for, in words (why it sends no term, when
        there is one)."""
        if self.attribute is None and not self.local.terms:
            return "every event"
        if self.attribute is None:
            return "every event (no term can be matched exactly by LookupEvents)"
        key, value = self.attribute
        typed = clean(self.sent, max_len=80)
        known = ", the one known name holding it" if self.completed else ""
        sent = f"{key} = {clean(value, max_len=80)} (from {typed}{known})"
        if not self.approximate:
            return sent
        if not self.holding:
            return sent + " [AWS matches it whole]"
        shown = ", ".join(clean(name, max_len=80) for name in self.holding[:_HOLDING_SHOWN])
        more = len(self.holding) - _HOLDING_SHOWN
        listed = f"{shown} and {more} more" if more > 0 else shown
        return sent + f" [AWS matches it whole; known names holding it: {listed}]"

    def sent_as(self) -> str:
        """What the status line says of a term sent as the whole name holding it
        (``name:RunInst sent as EventName=RunInstances``), else ""."""
        if not self.completed or self.attribute is None:
            return ""
        key, value = self.attribute
        return f"{clean(self.sent, max_len=40)} sent as {key}={clean(value, max_len=80)}"

    def hint(self) -> str:
        """What to type when the answer is empty because AWS matched a part whole: the
        whole filter, or when it would not fit the status line beside the counts (80
        columns), the one term to put in place of the one sent."""
        if not self.approximate:
            return ""
        if len(self.retry) <= _HINT_FILTER_MAX:
            tried = f"try {clean(self.retry)}"
        else:
            tried = (f"try {clean(self.retry_term, max_len=60)} "
                     f"for {clean(self.sent, max_len=60)}")
        return next((said for said in (first + tried for first in self._named())
                     if len(said) <= _HINT_MAX), tried)

    def advice(self) -> str:
        """What an empty answer of an approximate plan means, and what to type instead,
        in sentences (the status line's hint is too short to say why ``user:I-B2547952``
        helps: at 3 a.m. it read as a typo's correction); "" for any other plan."""
        if not self.approximate or self.attribute is None:
            return ""
        key, value = self.attribute
        return (f"Event history has no event with {key} = {clean(value, max_len=80)}: AWS "
                f"matches it whole, while {clean(self.sent, max_len=80)} here matches any "
                f"part. To match a part, type  {clean(self.retry, max_len=300)}  (a term in "
                "a case AWS never writes is not sent: every event of the time range is read "
                "and matched here, case ignored; slower).")

    def _named(self) -> list[str]:
        """What a hint may say first, longest first: the whole name sent in place of
        the part typed, or the most of the known names holding the part sent."""
        if self.completed and self.attribute is not None:
            return [f"sent as {clean(self.attribute[1], max_len=80)}: "]
        names = [clean(name, max_len=80) for name in self.holding]
        return [", ".join(names[:count]) + (f" +{len(names) - count}" if count < len(names)
                                            else "") + "? "
                for count in range(len(names), 0, -1)]


#: The longest filter a hint shows whole: "try " and it, then the status line's
#: "0 events · 3/3 regions · 3 pages", fit in 80 columns.
_HINT_FILTER_MAX = 40
#: The longest hint with the names holding the part typed before its "try ...".
_HINT_MAX = len("try ") + _HINT_FILTER_MAX
#: How many of the known names holding the part typed the plan line names.
_HOLDING_SHOWN = 3


#: Attributes whose contains-terms are sent although a longer value could contain them.
_WHOLE_ON_AWS = frozenset({"EventName", "ResourceName"})


def _whole_on_aws(attribute: str, value: str) -> bool:
    """Whether a contains-term sent as ``attribute`` may be a part of what AWS holds,
    which AWS then does not return: any event name (AssumeRole of UpdateAssumeRolePolicy),
    any resource (an ID inside an ARN), a user that is an ID of 8 hex digits (old and
    whole, or the start of a 17-digit one cut off in a column)."""
    return attribute in _WHOLE_ON_AWS or (
        attribute == "Username" and _SHORT_ID.fullmatch(value) is not None
    )


def _approximate(term: Term, attribute: tuple[str, str]) -> bool:
    """Whether sending ``term`` as ``attribute`` may leave out events it matches here."""
    return not term.exact and _whole_on_aws(*attribute)


def _unsent(value: str) -> str:
    """``value`` in a case AWS never uses, which the planner never sends nor completes and
    the local match (which ignores case) finds as it is: upper case (``name:ASSUMEROLE``,
    ``user:I-B2547952``). Event names were put in lower case, which the catalogue now
    completes: ``name:runinstances`` is sent as RunInstances."""
    return value.upper()


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


def plan_lookup(
    query: Query, fields: FieldTable = EVENT_FIELDS,
    names: Callable[[], EventNames] | None = None,
) -> LookupPlan:
    """Choose the one LookupEvents attribute and the time range for ``query``.

    Only a clause of one positive term with one value can be sent (AWS cannot OR or
    negate). ``names`` gives the known event names; it is called only for a ``name:``
    contains-term (the first call may read the catalogue). Raises :class:`FilterError`
    if the query does not fit the events view.
    """
    bound = bind(query, fields)
    holding = _holding(bound, names) if names is not None and not _names_outranked(bound) else {}
    candidates: list[tuple[int, tuple[str, str], Term]] = []
    for clause in bound.clauses:
        if len(clause) != 1:
            continue
        name = _completion(clause[0].term, holding)
        candidate = ("EventName", name) if name else _candidate(clause[0])
        if candidate is not None:
            candidates.append((_RANK[candidate[0]], candidate, clause[0].term))
    # Of one attribute, a term AWS matches as meant first; then the first typed.
    candidates.sort(key=lambda chosen: (chosen[0], _approximate(chosen[2], chosen[1])))
    start, end = _window(bound)
    if not candidates:
        return LookupPlan(None, start, end, query)
    _, attribute, term = candidates[0]
    approximate = _approximate(term, attribute)
    retry, retry_term = _retry(query, candidates) if approximate else ("", "")
    completed = _completion(term, holding) is not None
    return LookupPlan(
        attribute, start, end, query, sent=term.text, approximate=approximate,
        retry=retry, retry_term=retry_term, completed=completed,
        holding=() if completed else holding.get(term, ()),
    )


def _holding(
    bound: BoundQuery, names: Callable[[], EventNames]
) -> dict[Term, tuple[str, ...]]:
    """The known names holding each ``name:`` contains-term of a clause of its own
    (:meth:`EventNames.completions`), of the event source a ``source:`` term names if
    any holds it."""
    terms = [clause[0].term for clause in bound.clauses
             if len(clause) == 1 and _completable(clause[0])]
    if not terms:
        return {}
    catalogue = names()
    source = next((clause[0].term.values[0] for clause in bound.clauses
                   if len(clause) == 1 and _one_value(clause[0], "EventSource")), None)
    return {term: catalogue.completions(term.values[0], source) for term in terms}


def _names_outranked(bound: BoundQuery) -> bool:
    """Whether a term is sent whatever the catalogue would complete, being of an
    attribute before EventName (an event ID, an access key, a user, a resource): the
    names need not be read then, which the first run with a botocore version does from
    its models for some seconds (``key:=AKIA… name:describe``)."""
    return any(
        (candidate := _candidate(clause[0])) is not None
        and _RANK[candidate[0]] < _RANK["EventName"]
        for clause in bound.clauses if len(clause) == 1
    )


def _completion(term: Term, holding: dict[Term, tuple[str, ...]]) -> str | None:
    """The whole name a ``name:`` term is sent as: the one known name holding it, when
    it starts with it (``name:runinst``: RunInstances). The end or middle of one
    (``name:InstanceInformation``, in DescribeInstanceInformation) is not completed:
    names no model holds may end so too (SSM's UpdateInstanceInformation)."""
    names = holding.get(term, ())
    if len(names) == 1 and names[0].lower().startswith(term.values[0].lower()):
        return names[0]
    return None


def _one_value(bound: Bound, attribute: str) -> bool:
    """Whether ``bound`` is a positive term of one value of the lookup ``attribute``."""
    term, spec = bound.term, bound.field
    return (spec is not None and spec.lookup == attribute and not term.negated
            and len(term.values) == 1)


def _completable(bound: Bound) -> bool:
    """Whether ``bound`` is a ``name:`` term AWS would match whole though it means
    "contains": one the catalogue may complete."""
    return _one_value(bound, "EventName") and not bound.term.exact


def _retry(
    query: Query, candidates: list[tuple[int, tuple[str, str], Term]],
) -> tuple[str, str]:
    """The filter with every term that would be sent approximately, most selective first,
    made unsendable (:func:`_unsent`) until the next one is sent whole or none is left;
    and the first rewritten term alone. Only positive one-value terms are rewritten, so
    the rewrite means what was typed."""
    first = ""
    rewritten = query.time_parts()  # a time as one value, as the rest of the tool shows it
    for _, attribute, term in candidates:
        if not _approximate(term, attribute):
            break
        (typed,) = term.values
        unsent = _unsent(typed)
        new = f"{term.field}:{quote(unsent)}"
        first = first or new
        rewritten.append((term.position, term.length, new))
    return spliced(query.text, rewritten), first
