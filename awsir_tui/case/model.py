"""The case: everything a responder collects in one investigation, as plain data.

A :class:`Case` is what survives the session: indicators merged by (kind, value), notes,
findings the responder kept, the events they marked (the report's timeline) and an
opaque ``place`` the UI stores to reopen where the responder was. Saving is
:mod:`awsir_tui.case.store`'s job; this module only holds and merges.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from awsir_tui.case.action import Action
from awsir_tui.case.indicator import KINDS, Indicator, Sighting, guess_kind, normalise_value
from awsir_tui.case.secrets import redact, safe_text
from awsir_tui.detect.finding import Finding
from awsir_tui.events.record import Event, resources_of
from awsir_tui.query.times import as_utc

#: Bumped when the file layout changes incompatibly; loaders refuse newer versions.
CASE_FORMAT = 1


def _now() -> datetime:
    return datetime.now(UTC)


def _time(value: object) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return datetime.fromtimestamp(0, tz=UTC)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return datetime.fromtimestamp(0, tz=UTC)


@dataclass(frozen=True, slots=True)
class Note:
    """A free-text note with the time it was written."""

    time: datetime
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"time": self.time.isoformat(), "text": self.text}


#: How much of a request the timeline keeps (:func:`request_summary`): a line a
#: report's cell holds, each value cut to fit, at most so many values.
SUMMARY_MAX = 200
_SUMMARY_VALUE_MAX = 64
_SUMMARY_ITEMS = 16
_SUMMARY_DEPTH = 10
#: How many values of a request are looked at before the shallowest are chosen.
_SUMMARY_SCAN = 64
#: What an outcome the case does not know is called (a timeline entry saved before
#: outcomes were kept, an event whose record could not be read).
UNKNOWN_OUTCOME = "unknown"


def outcome_of(event: Event) -> str:
    """How the call ended: its error code (``Client.UnauthorizedOperation``), ``ok``
    when the record has none, or ``unknown`` when the record could not be read."""
    if event.error_code:
        return event.error_code
    return UNKNOWN_OUTCOME if event.parse_error else "ok"


def _leaves(value: object, key: str, depth: int, out: list[tuple[int, str]]) -> None:
    """``(depth, key=value)`` for each value below ``value``, in the record's order:
    what the call asked for, named by the innermost key (``instancesSet.items[0].imageId``
    is ``imageId``). Left out: what says nothing (empty, null, false) and the paging and
    idempotency tokens (``clientToken``, ``nextToken``)."""
    if depth > _SUMMARY_DEPTH or len(out) >= _SUMMARY_SCAN:
        return
    if isinstance(value, dict):
        for name, item in value.items():
            if not str(name).lower().endswith("token"):
                _leaves(item, str(name), depth + 1, out)
    elif isinstance(value, list):
        scalars = [v for v in value if isinstance(v, str | int | float) and v != ""]
        if scalars and len(scalars) == len(value) and key:
            _leaf(depth, key, ",".join(map(str, scalars)), out)
        else:
            for item in value:
                _leaves(item, key, depth + 1, out)
    elif value is None or value is False or value == "" or not key:
        return
    else:
        _leaf(depth, key, "true" if value is True else str(value), out)


def _leaf(depth: int, key: str, value: str, out: list[tuple[int, str]]) -> None:
    """One ``key=value`` of a summary, both clean; a value cut when it is long text, never
    when it is an ID or an ARN (a responder greps for it: ``sg-0a1b…`` finds nothing)."""
    out.append((depth, f"{safe_text(key, 40)}={_shown(value)}"))


#: An AWS resource ID (``sg-0a1b2c3d``, ``ami-…``, ``subnet-…``; hex after a prefix)
#: or an ARN: what :func:`request_summary` keeps whole or leaves out, never cuts.
_RESOURCE_ID = re.compile(r"^(arn:\S+|[a-z][a-z0-9]{0,15}-[0-9a-f]{8,40})$", re.IGNORECASE)
_WHOLE_KINDS = frozenset({"arn", "instance-id", "security-group", "ami", "key-pair",
                          "access-key", "fingerprint", "event-id", "ip"})


def is_identifier(value: str) -> bool:
    """Whether ``value`` is an ID or an ARN (or a list of them, ``sg-1,sg-2``): text a
    summary must keep whole, or leave out, but never cut."""
    parts = value.split(",")
    return all(
        _RESOURCE_ID.match(part) or guess_kind(part) in _WHOLE_KINDS for part in parts
    )


def _shown(value: str) -> str:
    """A value as a summary holds it: an ID or ARN whole (one longer than a summary
    cannot fit, and is left out whole), other text cut to :data:`_SUMMARY_VALUE_MAX`."""
    text = safe_text(value, SUMMARY_MAX + 1)
    return text if is_identifier(text) else safe_text(text, _SUMMARY_VALUE_MAX)


def _fit(parts: list[str], room: int, sep: str = " ", dropped: int = 0) -> str:
    """``parts`` joined by ``sep`` in ``room``: each whole or left out (the first that
    fit, in order; a long one left out does not take the shorter ones after it along),
    and what was left out, with ``dropped`` more known, said as `` +N more``."""
    text = sep.join(parts)
    if len(text) <= room and not dropped:
        return text
    total = len(parts) + dropped
    room -= len(f" +{total} more")
    kept: list[str] = []
    length = 0
    for part in parts:
        grown = length + len(part) + (len(sep) if kept else 0)
        if grown <= room:
            kept.append(part)
            length = grown
    more = f"+{total - len(kept)} more" if total > len(kept) else ""
    return " ".join(part for part in (sep.join(kept), more) if part)


#: Response keys that name where a call put what it made, not what it made: the VPC and
#: subnet an instance was launched in, the groups it joined. Each is made only by the
#: calls whose name holds the word given (CreateVpc, CreateDefaultSubnet,
#: CreateSecurityGroup).
_PLACEMENT_KEYS = {"vpcId": "Vpc", "subnetId": "Subnet", "groupId": "SecurityGroup",
                   "groupName": "SecurityGroup"}


def _placements(value: object, event_name: str, depth: int, out: set[str]) -> None:
    """The values under :data:`_PLACEMENT_KEYS` in a response that ``event_name`` does not
    create (bounded as every walk of a record is)."""
    if depth > _SUMMARY_DEPTH:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            kind = _PLACEMENT_KEYS.get(key)
            if kind is not None and isinstance(item, str) and kind not in event_name:
                out.add(item)
            else:
                _placements(item, event_name, depth + 1, out)
    elif isinstance(value, list):
        for item in value[:_SUMMARY_SCAN]:
            _placements(item, event_name, depth + 1, out)


def request_summary(event: Event, limit: int = SUMMARY_MAX) -> str:
    """What the call asked for, and what it made, in one bounded, clean, secret-free
    line: ``instanceType=c5.4xlarge keyName=ops imageId=ami-… maxCount=1 made: i-…``.

    Read from the record as CloudTrail writes it, for any event: the values of its
    ``requestParameters`` (secret-named ones redacted first) under their own keys, the
    call's own parameters before those nested in them (an instance's type before its
    tags), each once; then the resources its ``responseElements`` name (the instance
    launched, the key created). A record that cannot be read gives the event's
    resources, if any. Bounded by leaving out whole parameters, the last that do not
    fit (and saying ``+N more``), never by cutting one: an ID or ARN cut short is a
    wrong one."""
    record = event.record()
    leaves: list[tuple[int, str]] = []
    _leaves(redact(record.get("requestParameters")), "", 0, leaves)
    leaves.sort(key=lambda leaf: leaf[0])  # stable: the record's order at each depth
    unique = list(dict.fromkeys(text for _, text in leaves))
    found, beyond = unique[:_SUMMARY_ITEMS], len(unique[_SUMMARY_ITEMS:])
    # Every value asked for, shown or not: a group named in the request is not made.
    asked = {part.split("=", 1)[1] for part in unique}
    response = record.get("responseElements")
    placed: set[str] = set()
    _placements(response, event.event_name, 0, placed)
    made = [
        shown
        for r in resources_of({"responseElements": response})
        if (shown := _shown(r)) not in asked and r not in placed
    ]
    if not record:
        found, beyond = [_shown(r) for r in event.resources], 0
    # What it made gets up to half the line; the request what is left.
    result = "made: " + _fit(made, limit // 2 - len("made: "), ",") if made else ""
    request = _fit(found, limit - len(result) - 1 if result else limit, dropped=beyond)
    return " ".join(part for part in (request, result) if part)


#: Between two reasons an event is on the timeline, in ``TimelineEntry.why``.
REASONS_SEPARATOR = "; "
#: Why an event the responder marked with `m` is on the timeline.
MARKED = "marked"


def evidence_reason(kind: str, value: str) -> str:
    """Why an event is on the timeline when it came with a value marked in it (`m` on a
    value of its page): named, so that removing the value takes that event with it."""
    return f"evidence of {kind} {value}"


def _has_reason(why: str, reason: str) -> bool:
    """Whether ``why`` (reasons joined by ``; ``) holds ``reason`` (which may hold
    ``; `` itself: a finding's title is the rule's)."""
    sep = REASONS_SEPARATOR
    return why == reason or why.startswith(reason + sep) or why.endswith(sep + reason) or (
        f"{sep}{reason}{sep}" in why)


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """The few fields of an event the report's timeline shows (the case keeps no raw JSON:
    the evidence stays in the event store, the case stays small and secret-free).

    ``outcome`` is how the call ended (:func:`outcome_of`; empty in an entry saved
    before outcomes were kept: :attr:`outcome_text` says ``unknown``), ``request``
    what it asked for (:func:`request_summary`). Who made the call: ``user`` (the
    console's user name), ``user_arn``, ``access_key`` (the key's ID, no secret: the
    indicator a responder pivots on), ``source_ip`` and the ``account`` the record
    names (empty in an entry saved before they were kept); ``principal`` its principal
    ID and ``resources`` what the record names (:func:`resources_of`): with those,
    what :func:`seen_spans` dates an indicator by.
    """

    event_id: str
    time: datetime
    event_name: str = ""
    user: str = ""
    source_ip: str = ""
    region: str = ""
    why: str = MARKED
    outcome: str = ""
    request: str = ""
    user_arn: str = ""
    access_key: str = ""
    account: str = ""
    principal: str = ""
    resources: tuple[str, ...] = ()

    @classmethod
    def of(cls, event: Event, why: str = MARKED) -> TimelineEntry:
        return cls(
            event_id=event.event_id,
            time=event.event_time,
            event_name=event.event_name,
            user=event.user_name,
            source_ip=event.source_ip,
            region=event.aws_region,
            why=why,
            outcome=outcome_of(event),
            request=request_summary(event),
            user_arn=event.user_arn,
            access_key=event.access_key_id,
            account=event.account_id,
            principal=event.principal_id,
            resources=event.resources,
        )

    def because(self, reason: str) -> TimelineEntry:
        """This entry, with ``reason`` added to why it is on the timeline (an event
        marked and flagged by a finding is both: ``marked; flagged: …``)."""
        if _has_reason(self.why, reason):
            return self
        return replace(self, why=f"{self.why}; {reason}" if self.why else reason)

    def without(self, reason: str) -> TimelineEntry | None:
        """This entry with ``reason`` taken out of why it is on the timeline; None when
        that was its only reason (it leaves the timeline)."""
        why, sep = self.why, REASONS_SEPARATOR
        if why == reason:
            return None
        if why.startswith(reason + sep):
            rest = why[len(reason + sep):]
        elif why.endswith(sep + reason):
            rest = why[:-len(sep + reason)]
        elif f"{sep}{reason}{sep}" in why:
            rest = why.replace(f"{sep}{reason}{sep}", sep, 1)
        else:
            return self
        return replace(self, why=rest)

    @property
    def outcome_text(self) -> str:
        """The outcome as the exports write it: the error code, ``ok`` or ``unknown``."""
        return self.outcome or UNKNOWN_OUTCOME

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "time": self.time.isoformat(),
            "event_name": self.event_name,
            "user": self.user,
            "source_ip": self.source_ip,
            "region": self.region,
            "why": self.why,
            "outcome": self.outcome,
            "request": self.request,
            "user_arn": self.user_arn,
            "access_key": self.access_key,
            "account": self.account,
            "principal": self.principal,
            "resources": list(self.resources),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TimelineEntry:
        return cls(
            event_id=str(data.get("event_id", "")),
            time=_time(data.get("time")),
            event_name=str(data.get("event_name", "")),
            user=str(data.get("user", "")),
            source_ip=str(data.get("source_ip", "")),
            region=str(data.get("region", "")),
            why=str(data.get("why", MARKED)),
            outcome=str(data.get("outcome") or ""),
            request=str(data.get("request") or ""),
            user_arn=str(data.get("user_arn") or ""),
            access_key=str(data.get("access_key") or ""),
            account=str(data.get("account") or ""),
            principal=str(data.get("principal") or ""),
            resources=tuple(str(r) for r in data.get("resources") or () if r),
        )

    def values(self) -> tuple[str, ...]:
        """What an indicator is found by in this event: its caller's fields (source IP,
        access key, user name and ARN, principal), its ID and the resources it names."""
        return (self.source_ip, self.access_key, self.user, self.user_arn, self.principal,
                self.event_id, *self.resources)


#: ``(first, last)``: when an indicator was first and last seen in the data.
Span = tuple[datetime | None, datetime | None]
#: The events naming each value, oldest first (:func:`events_by_value`).
Naming = dict[str, list[TimelineEntry]]


def events_by_value(entries: Iterable[TimelineEntry]) -> Naming:
    """The events of ``entries`` naming each value (:meth:`TimelineEntry.values`),
    oldest first: what :func:`seen_spans` dates an indicator by, and what the indicators
    view's pane lists under it, from one walk of the timeline (a refresh walked it twice,
    and the pane must not look through it on every move of the cursor)."""
    index: Naming = {}
    for entry in sorted(entries, key=lambda entry: as_utc(entry.time)):
        for value in set(entry.values()) - {""}:
            index.setdefault(value, []).append(entry)
    return index


def seen_spans(
    indicators: Iterable[Indicator], entries: Iterable[TimelineEntry]
) -> dict[tuple[str, str], Span]:
    """When each indicator was first and last seen in the data, by its key: over every
    event of ``entries`` (a case's timeline: the events marked and those of the findings
    kept) in which its value is a caller field, the event ID or a resource
    (:meth:`TimelineEntry.values`), and its own data times (the event it was marked in,
    an instance's launch when marked in its list) as bounds. ``(None, None)`` when
    neither knows a time. What the indicators view and every export show, alike."""
    return spans_by(indicators, events_by_value(entries))


def spans_by(indicators: Iterable[Indicator], naming: Naming) -> dict[tuple[str, str], Span]:
    """:func:`seen_spans` over a timeline already indexed (:func:`events_by_value`)."""
    spans: dict[tuple[str, str], Span] = {}
    for indicator in indicators:
        times = [as_utc(t) for t in (indicator.first_seen, indicator.last_seen) if t]
        named = naming.get(indicator.value)
        if named:  # oldest first
            times += [as_utc(named[0].time), as_utc(named[-1].time)]
        spans[indicator.key] = (min(times), max(times)) if times else (None, None)
    return spans


@dataclass(frozen=True, slots=True)
class Investigator:
    """An identity the app investigated with (sts:GetCallerIdentity's ARN and account),
    and when the case first saw it: the chain of custody an export must show even when
    it is made headless, where no AWS call says who it was."""

    arn: str
    account: str = ""
    since: datetime = field(default_factory=_now)

    def to_dict(self) -> dict[str, str]:
        return {"arn": self.arn, "account": self.account, "since": self.since.isoformat()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Investigator:
        return cls(str(data.get("arn", "")), str(data.get("account", "")),
                   _time(data.get("since")))


@dataclass(frozen=True, slots=True)
class SourceRead:
    """Where the case's events were read from, other than the AWS APIs: an ``archive``
    (``--source``: a folder, a file, ``s3://bucket/prefix``) or a ``store`` (the
    ``--store`` DuckDB file), and since when the case knows it."""

    kind: str
    where: str
    since: datetime = field(default_factory=_now)

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "where": self.where, "since": self.since.isoformat()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SourceRead:
        return cls(str(data.get("kind", "")), str(data.get("where", "")),
                   _time(data.get("since")))


@dataclass(slots=True)
class Case:
    """One investigation. Mutate it through its methods, then save it with a CaseStore."""

    name: str
    account: str = ""
    created: datetime = field(default_factory=_now)
    indicators: dict[tuple[str, str], Indicator] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    timeline: dict[str, TimelineEntry] = field(default_factory=dict)
    #: Where the responder was (view, filter, cursor...): owned by the UI, opaque here.
    place: dict[str, Any] = field(default_factory=dict)
    #: The regions the app read, and what it read in each (``EC2``, ``Event history``,
    #: ``CloudTrail``: :func:`awsir_tui.case.journal.region_read`), noted from the call
    #: journal as the calls are made: what a report may call examined. A region that
    #: was only selected, or whose events came from an archive, is not in it.
    regions_read: dict[str, set[str]] = field(default_factory=dict)
    #: False for a case saved before the regions read were noted in it: its journal
    #: holds them (:class:`awsir_tui.case.session.CaseSession` reads them from there).
    reads_noted: bool = True
    #: Every identity the app worked this case with, in the order first seen.
    investigators: list[Investigator] = field(default_factory=list)
    #: The archives and stores the app read events from for this case, first seen first
    #: (empty in a case saved before they were recorded, or worked on the AWS APIs only).
    sources: list[SourceRead] = field(default_factory=list)
    #: Every account-changing call attempted (ok, failed, declined, refused), oldest
    #: first: noted from the call journal as the calls are made (:class:`Action`).
    actions: list[Action] = field(default_factory=list)

    def mark(
        self,
        value: str,
        kind: str | None = None,
        *,
        source: str = "",
        region: str = "",
        ref: str = "",
        seen: datetime | None = None,
        note: str = "",
        marked: datetime | None = None,
        tag: str = "",
        evidence: Event | None = None,
    ) -> Indicator:
        """Mark ``value`` as an indicator, merging with an existing one of the same kind.

        ``kind`` defaults to :func:`guess_kind`; ``source``/``region``/``ref``/``tag`` say
        where it was seen (view or log source, region, resource or event ID, and the key
        of the tag it is the value of, if it is one); ``seen`` is when the
        data shows it (the event's time; None when the view knows no time: never the
        moment of marking, which is kept apart, as ``marked``, now by default). A
        non-empty ``note`` replaces the previous one. ``evidence`` is the event the value
        was read in (``m`` on a value of its page): it is marked too (:meth:`mark_event`),
        so that the timeline holds where the value was seen. A value marked alone there
        was counted in no event (`:indicators` said 0) and left `:timeline` empty.
        """
        chosen = kind if kind in KINDS else guess_kind(value)
        text = normalise_value(chosen, value)
        if not text:
            raise ValueError("an indicator needs a non-empty value")
        if evidence is not None:
            self.mark_event(evidence, evidence_reason(chosen, text))
        indicator = self.indicators.get((chosen, text))
        if indicator is None:
            indicator = Indicator(kind=chosen, value=text)
            self.indicators[indicator.key] = indicator
        sighting = (Sighting(source, region, ref, tag) if (source or region or ref or tag)
                    else None)
        indicator.add_sighting(sighting, seen, marked or _now())
        if note:
            indicator.note = note
        return indicator

    def unmark(self, kind: str, value: str) -> bool:
        """Remove an indicator; True when there was one. An event's ID came with the
        event, marked onto the timeline (:meth:`mark_event`): the event leaves it too,
        or stays for the finding (or the marked value) that also put it there. Left
        there, a mis-marked event went on to every export as marked evidence, with no
        way to take it out. So does an event that came only as a value's evidence, its
        ID with it (unless the responder wrote a note on that ID): a value marked by
        mistake on an event's page left that event."""
        removed = self.indicators.pop((kind, value), None) is not None
        if not removed:
            return False
        if kind == "event-id":
            self._drop_reason(value, MARKED)
        reason = evidence_reason(kind, value)
        for event_id in [i for i, entry in self.timeline.items()
                         if _has_reason(entry.why, reason)]:
            identity = self.indicators.get(("event-id", event_id))
            if not self._drop_reason(event_id, reason) and identity and not identity.note:
                del self.indicators[identity.key]
        return True

    def evidence_leaving(self, kind: str, value: str) -> list[str]:
        """The events that would leave the timeline with the indicator ``kind``/``value``
        (:meth:`unmark`): those on it for its sake alone. What `d` asks about."""
        reason = evidence_reason(kind, value)
        leaving = []
        for event_id, entry in self.timeline.items():
            left = entry.without(MARKED) if kind == "event-id" and event_id == value else entry
            if left is not None and left.without(reason) is None:
                left = None
            if left is None:
                leaving.append(event_id)
        return leaving

    def _drop_reason(self, event_id: str, reason: str) -> bool:
        """Take ``reason`` out of why ``event_id`` is on the timeline; False when the
        event left it (that was its only reason) or was not on it."""
        entry = self.timeline.get(event_id)
        if entry is None:
            return False
        kept = entry.without(reason)
        if kept is None:
            del self.timeline[event_id]
            return False
        self.timeline[event_id] = kept
        return True

    def mark_event(self, event: Event, why: str = MARKED) -> Indicator:
        """Put an event on the timeline and mark its ID as an indicator (an event there
        already, flagged by a finding, keeps that reason too)."""
        known = self.timeline.get(event.event_id)
        entry = TimelineEntry.of(event, known.why) if known else None
        self.timeline[event.event_id] = (
            entry.because(why) if entry else TimelineEntry.of(event, why))
        return self.mark(
            event.event_id,
            "event-id",
            source="events",
            region=event.aws_region,
            ref=event.event_name,
            seen=event.event_time,
        )

    def keep_finding(self, finding: Finding, events: Iterable[Event] = ()) -> None:
        """Keep a finding in the case (once) and put its events on the timeline."""
        if finding not in self.findings:
            self.findings.append(finding)
        wanted = set(finding.event_ids)
        why = f"flagged: {finding.title}"
        for event in events:
            if event.event_id in wanted:
                known = self.timeline.get(event.event_id)
                self.timeline[event.event_id] = (
                    known.because(why) if known else TimelineEntry.of(event, why))

    def note_read(self, region: str, what: str) -> bool:
        """Note that ``what`` (``EC2``, ``Event history``...) was read in ``region``;
        True when the case did not know it yet (and must be saved).

        Changed in place, as the rest of the case is: a running app notes its reads
        through :class:`awsir_tui.case.session.CaseSession`, under the lock its saves
        and its snapshots (what an export reads) take too."""
        done = self.regions_read.setdefault(region, set())
        if what in done:
            return False
        done.add(what)
        return True

    def note_identity(self, arn: str, account: str = "", when: datetime | None = None) -> bool:
        """Note that the app works as ``arn`` (in ``account``) since ``when`` (now by
        default: a case opened before is not credited to it); True when the case did not
        know that identity yet (and must be saved)."""
        if not arn or any(i.arn == arn for i in self.investigators):
            return False
        self.investigators.append(Investigator(arn, account, when or _now()))
        return True

    def note_source(self, kind: str, where: str, when: datetime | None = None) -> bool:
        """Note that the app read events from ``where`` (an ``archive`` or a ``store``);
        True when the case did not know it yet (and must be saved)."""
        if not where or any(s.kind == kind and s.where == where for s in self.sources):
            return False
        self.sources.append(SourceRead(kind, where, when or _now()))
        return True

    def seen(self) -> tuple[dict[tuple[str, str], Span], Naming]:
        """:func:`seen_spans` of this case's indicators over its timeline, and the
        timeline's events by the values they name, from one index of it."""
        naming = events_by_value(self.timeline.values())
        return spans_by(self.indicators.values(), naming), naming

    def first_worked(self) -> datetime:
        """When the case was first worked: its opening, or its earliest mark or note if
        that is earlier (a hand-edited or foreign file)."""
        times = [self.created, *(n.time for n in self.notes)]
        times += [i.marked for i in self.indicators.values() if i.marked is not None]
        return min(times, key=as_utc)

    def unrecorded_until(self) -> datetime | None:
        """The first recorded identity's ``since`` when the case was worked before it
        (:meth:`first_worked` is earlier): what was done until then was done by an
        identity the case did not record, because it predates identity tracking. None
        when every change is covered by a recorded identity, or none is recorded (then
        every identity is unknown)."""
        if not self.investigators:
            return None
        since = self.investigators[0].since
        return since if as_utc(self.first_worked()) < as_utc(since) else None

    def add_note(self, text: str, when: datetime | None = None) -> Note:
        note = Note(when or _now(), text)
        self.notes.append(note)
        return note

    def sorted_indicators(self) -> list[Indicator]:
        """Indicators in a stable order for views and exports: kind, then value."""
        order = {kind: i for i, kind in enumerate(KINDS)}
        return sorted(self.indicators.values(), key=lambda i: (order.get(i.kind, 99), i.value))

    def noted_indicators(self) -> list[Indicator]:
        """The indicators with a note (``n`` in :indicators), in :meth:`sorted_indicators`'s
        order: notes of the case too, which its summaries count and its report lists
        (they said "no notes" over an indicator's)."""
        return [i for i in self.sorted_indicators() if i.note]

    def notes_count(self) -> int:
        """Every note the case holds: on the case, and on its indicators."""
        return len(self.notes) + len(self.noted_indicators())

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": CASE_FORMAT,
            "name": self.name,
            "account": self.account,
            "created": self.created.isoformat(),
            "indicators": [i.to_dict() for i in self.sorted_indicators()],
            "notes": [n.to_dict() for n in self.notes],
            "findings": [f.to_dict() for f in self.findings],
            "timeline": [t.to_dict() for t in sorted(self.timeline.values(), key=lambda t: t.time)],
            "place": self.place,
            "regions_read": self.regions_read_list(),
            "investigators": [i.to_dict() for i in self.investigators],
            "sources": [source.to_dict() for source in self.sources],
            "actions": [action.to_dict() for action in self.actions],
        }

    def regions_read_list(self) -> list[dict[str, Any]]:
        """The regions read, by name, each with what was read there, sorted: how the
        case file and the JSON export write them (:meth:`from_dict` reads them back)."""
        return [
            {"region": region, "read": sorted(what)}
            for region, what in sorted(self.regions_read.items())
        ]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Case:
        """Build a case from its JSON form; raises ValueError on a shape it cannot read."""
        if not isinstance(data, dict):
            raise ValueError("the case file does not hold a JSON object")
        version = data.get("format", CASE_FORMAT)
        if not isinstance(version, int) or version > CASE_FORMAT:
            raise ValueError(f"case format {version!r} is newer than this tool ({CASE_FORMAT})")
        case = cls(
            name=str(data.get("name", "")),
            account=str(data.get("account", "")),
            created=_time(data.get("created")),
        )
        for item in data.get("indicators") or []:
            if isinstance(item, dict):
                indicator = Indicator.from_dict(item)
                case.indicators[indicator.key] = indicator
        case.notes = [
            Note(_time(n.get("time")), str(n.get("text", "")))
            for n in data.get("notes") or []
            if isinstance(n, dict)
        ]
        case.findings = [
            Finding.from_dict(f) for f in data.get("findings") or [] if isinstance(f, dict)
        ]
        for item in data.get("timeline") or []:
            if isinstance(item, dict):
                entry = TimelineEntry.from_dict(item)
                case.timeline[entry.event_id] = entry
        place = data.get("place")
        case.place = place if isinstance(place, dict) else {}
        case.investigators = [
            Investigator.from_dict(i) for i in data.get("investigators") or []
            if isinstance(i, dict) and i.get("arn")
        ]
        case.sources = [
            SourceRead.from_dict(item) for item in data.get("sources") or []
            if isinstance(item, dict) and item.get("where")
        ]
        case.actions = [
            Action.from_saved(item, _time(item.get("time")))
            for item in data.get("actions") or [] if isinstance(item, dict)
        ]
        reads = data.get("regions_read")
        case.reads_noted = isinstance(reads, list)
        for item in reads if isinstance(reads, list) else []:
            if isinstance(item, dict) and item.get("region"):
                read = item.get("read")
                for what in read if isinstance(read, list) else []:
                    case.note_read(str(item["region"]), str(what))
        return case
