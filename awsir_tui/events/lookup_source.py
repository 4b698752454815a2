"""A filter turned into LookupEvents calls: what AWS is asked, what is checked here.

The query package's planner picks the one attribute LookupEvents accepts and the time
range; this module adds what only the reader can do with that plan: an OR of terms that
could each be sent alone becomes one series of calls per term, merged (that is "events
of this instance"), and the whole filter becomes the local predicate every event is
re-checked with. Used by the headless command and by the viewer's Event history source.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from awsir_tui.aws.cloudtrail import Attribute, EventLookup, Predicate, oldest_start
from awsir_tui.aws.context import AwsContext
from awsir_tui.aws.event_names import event_names_now
from awsir_tui.query import (
    EVENT_FIELDS,
    LookupPlan,
    Query,
    Term,
    compile_predicate,
    parse,
    plan_lookup,
    quote,
)
from awsir_tui.query.names import EventNames


@dataclass(frozen=True, slots=True)
class LookupSpec:
    """A filter turned into LookupEvents calls: what AWS is asked, what is checked here."""

    attributes: tuple[Attribute | None, ...]
    start: datetime | None
    end: datetime | None
    predicate: Predicate | None
    explain: str
    #: What to try if nothing matches (see ``LookupPlan.hint``).
    hint: str = ""
    #: The start the filter asked for, before Event history's 90 days bounded it to
    #: ``start``: the read says what of it is not kept (:class:`EventLookup`'s beyond).
    asked: datetime | None = None
    #: A start of a name sent as the whole name (see ``LookupPlan.sent_as``), or "".
    sent_as: str = ""
    #: What an empty answer means and what to type (see ``LookupPlan.advice``), or "".
    advice: str = ""


def _attribute_of(plan: LookupPlan) -> Attribute | None:
    attribute = plan.attribute
    return (str(attribute[0]), str(attribute[1])) if attribute else None


def lookup_spec(
    query: Query, now: datetime | None = None,
    names: Callable[[], EventNames] = event_names_now,
) -> LookupSpec:
    """Plan ``query`` for LookupEvents, for a read begun at ``now`` (:func:`kept_by_history`),
    with the known event names ``names`` gives (asked only for a ``name:`` term; by
    default those at hand, never waited for: the viewer plans on its UI thread).

    The planner picks one attribute. Where it finds none, the first clause that is an
    OR of terms the planner could each send alone (``user:=i-0abc OR resource:=i-0abc``)
    is sent as one series of calls per term instead, merged and de-duplicated, and the
    other clauses re-checked here (every match holds one of the clause's terms): that is
    how "events of this instance", narrowed or not (``... name:Describe``), reads only
    the instance's events rather than the whole history.
    """
    asked = plan_lookup(query, names=names)
    oldest = oldest_start(now or datetime.now(UTC))
    plan = kept_by_history(asked, oldest)
    attribute = _attribute_of(plan)
    attributes: tuple[Attribute | None, ...] = (attribute,)
    explain, hint, advice = plan.explain(kept_since=oldest), plan.hint(), plan.advice()
    sent_as = plan.sent_as() if attribute is not None else ""
    for clause in query.clauses if attribute is None else ():
        terms = _one_value_each(clause)
        if len(terms) < 2:
            continue
        # Each term planned in the whole text, so that a hint rewrites it in place.
        plans = [plan_lookup(Query(text=query.text, clauses=((term,),)), names=names)
                 for term in terms]
        sendable = [alone for alone in map(_attribute_of, plans) if alone is not None]
        if len(sendable) == len(plans):
            attributes = tuple(dict.fromkeys(sendable))
            sent = ", ".join(f"{key} = {value}" for key, value in dict.fromkeys(sendable))
            # One term AWS matched whole is enough to say so; the filter with that one
            # term unsendable cannot be sent as lookups any more, and is all read here.
            # (A value of name:a,b has no text of its own for a hint to rewrite.)
            whole = next((alone for alone in plans if alone.approximate), None)
            marked = " [AWS matches it whole]" if whole else ""
            explain = plan.explain(aws=f"one lookup per term, merged ({sent}){marked}",
                                   kept_since=oldest)
            split = len(terms) > len(clause)
            hint = whole.hint() if whole and not split else ""
            advice = whole.advice() if whole and not split else ""
            # Each term sent as another name (name:runinst OR name:stoplog), said.
            sent_as = ", ".join(said for said in (alone.sent_as() for alone in plans) if said)
            break
    predicate = compile_predicate(query, EVENT_FIELDS) if not query.is_empty() else None
    return LookupSpec(attributes, plan.start, plan.end, predicate, explain, hint, asked.start,
                      sent_as=sent_as, advice=advice)


def _one_value_each(clause: Sequence[Term]) -> list[Term]:
    """The OR-ed terms of ``clause``, a term of several values (``name:a,b``, which
    means ``name:a OR name:b``) one term per value: each may then be sent as a lookup of
    its own, where the term whole could not (all 90 days were read for it)."""
    return [
        split for term in clause for split in (
            [replace(term, values=(value,)) for value in term.values]
            if len(term.values) > 1 and not term.negated else [term])
    ]


def kept_by_history(plan: LookupPlan, oldest: datetime) -> LookupPlan:
    """``plan`` starting no earlier than ``oldest``, the start of what a read asks Event
    history for (:func:`~awsir_tui.aws.cloudtrail.oldest_start`): so the plan line, and
    an export's coverage, say the start that is read, where they said "90 days ago" (an
    hour off) or the true 90 days ``since:90d`` asked for. The plan's, not the filter's:
    a bound added to the filter showed as a term nobody typed (``Here: ... after:...``)."""
    start = max(plan.start or oldest, oldest)
    return replace(plan, start=min(start, plan.end) if plan.end is not None else start)


def instance_filter(instance_id: str) -> str:
    """The filter for "events of this instance": its role's sessions, or naming it."""
    value = quote(instance_id)
    return f"user:={value} OR resource:={value}"


def instance_lookup(
    ctx: AwsContext, regions: Sequence[str], instance_id: str, cap: int | None = None
) -> EventLookup:
    """LookupEvents for the events of an instance, in every region given.

    Events whose user name is the instance ID (its instance role's sessions: what the
    instance, or whoever stole its credentials, did) merged with events whose resource
    is the instance (who launched, changed or stopped it), each event once.
    """
    return new_lookup(ctx, regions, parse(instance_filter(instance_id), EVENT_FIELDS), cap)


def new_lookup(
    ctx: AwsContext, regions: Sequence[str], query: Query, cap: int | None = None,
    now: datetime | None = None,
) -> EventLookup:
    """An :class:`EventLookup` for ``query`` over ``regions`` (not started), begun at
    ``now`` (give the one the caller planned and explained with)."""
    now = now or datetime.now(UTC)
    return spec_lookup(ctx, regions, lookup_spec(query, now), now, cap)


def spec_lookup(
    ctx: AwsContext, regions: Sequence[str], spec: LookupSpec, now: datetime,
    cap: int | None = None,
) -> EventLookup:
    """An :class:`EventLookup` of ``spec`` (planned for a read begun at ``now``) over
    ``regions``, not started. Given the start asked, not the one read: the lookup
    bounds it alike, and says what of the range Event history no longer keeps."""
    return EventLookup(
        ctx, regions, attributes=spec.attributes, start=spec.asked, end=spec.end,
        predicate=spec.predicate, cap=cap, now=now,
    )
