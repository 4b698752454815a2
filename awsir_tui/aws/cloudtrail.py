"""CloudTrail Event history (LookupEvents) read at the API's limit, every region at once.

LookupEvents allows about 2 requests per second per account and region, 50 events a
page, and one lookup attribute per call. A responder needs the answer in the time the
limit allows and no later, so each region gets its own adaptive pacer (start-to-start
spacing at the limit, halved on ``ThrottlingException``, recovered step by step on
success) and its own thread; the client has botocore's retries switched off so that
throttles reach the pacer instead of hiding in stacked back-offs. A throttle is never an
error: the page is asked again. Pages are handed over as they arrive, deduplicated by
eventID and re-checked locally, and a cap keeps memory bounded with a way to load more.

This module never imports textual; the viewer drives it from a thread worker.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from awsir_tui.aws.context import PACED, AwsContext
from awsir_tui.aws.errors import Failure, FailureKind, classify
from awsir_tui.events.record import Event, from_lookup_event
from awsir_tui.query.times import utc_stamp
from awsir_tui.text import count_of

#: Requests per second per account and region that CloudTrail allows for LookupEvents.
API_RATE = 2.0
#: Events per page, the API's maximum.
PAGE_SIZE = 50
#: The attribute keys LookupEvents accepts (one per call).
ATTRIBUTE_KEYS = frozenset(
    {
        "AccessKeyId", "EventId", "EventName", "EventSource", "ReadOnly",
        "ResourceName", "ResourceType", "Username",
    }
)
#: How long Event history keeps events.
RETENTION = timedelta(days=90)
#: How far back a read goes at most, whatever start it was given (none, ``since:90d``,
#: an older ``after:``): Event history's 90 days, less an hour so that the service never
#: clamps the start (a clamped start moves between two pages and their NextToken no
#: longer matches the query). ``4`` and no ``since:`` read the same span.
DEFAULT_SPAN = RETENTION - timedelta(hours=1)
#: How much older than :data:`RETENTION` a start asked may be and still mean "all of
#: it": ``since:90d`` is resolved as it is typed, moments (a slow connect) before the
#: read begins, and would otherwise be told its range starts before what is kept.
_TYPED_SLACK = timedelta(minutes=10)
#: How often a region retries a page after a timeout or a dropped connection.
_TRANSIENT_RETRIES = 4

Attribute = tuple[str, str]


def oldest_start(now: datetime) -> datetime:
    """The oldest start a read begun at ``now`` asks for (:data:`DEFAULT_SPAN`): an
    older one is brought up to it, so that what the plan and an export say was read
    is what was."""
    return now - DEFAULT_SPAN


@dataclass(frozen=True, slots=True)
class BeyondHistory:
    """A range asked that starts before what Event history keeps, and so is read from
    ``kept_since`` (:func:`oldest_start`) only: the rest is in the trail's archive, if
    anywhere. Said, not done in silence: an ``after:`` of June read from September
    answered "0 events", exit 0, as if nothing had happened in between."""

    #: The oldest start read.
    kept_since: datetime
    #: The range ends before ``kept_since`` too: nothing of it is kept, nothing read.
    wholly: bool

    def reason(self, full_times: bool = False) -> str:
        """Why the answer lacks events, for a coverage verdict and stderr; the time as
        the status line shows times (month, day, time), or whole (``full_times``)."""
        since = (utc_stamp(self.kept_since) if full_times
                 else f"{self.kept_since:%m-%d %H:%M:%S} UTC")
        where = "lies wholly before that" if self.wholly else "starts before that"
        return (f"Event history keeps {RETENTION.days} days (since {since}): the range "
                f"asked {where}; read the trail's archive with --source")

    def short(self) -> str:
        """The same for an 80-column status line, its key words first: the coverage's
        state, and from when events are kept (the counts after it may be cut)."""
        state = "NOT KEPT" if self.wholly else "PARTIAL"
        since = f"{self.kept_since:%m-%d %H:%M}Z"
        return f"{state}: Event history's {RETENTION.days} days start {since}"


def beyond_history(
    start: datetime | None, end: datetime, now: datetime
) -> BeyondHistory | None:
    """What of the range ``start`` (None: none asked) to ``end``, read at ``now``, Event
    history does not keep; None when it keeps it all. A start up to the hour less that
    every read asks for (:data:`DEFAULT_SPAN`), or one typed as the 90 days moments ago,
    is the 90 days: only an older one is said."""
    kept_since = oldest_start(now)
    if end <= kept_since:
        return BeyondHistory(kept_since, wholly=True)
    if start is not None and start < now - RETENTION - _TYPED_SLACK:
        return BeyondHistory(kept_since, wholly=False)
    return None


Predicate = Callable[[Event], bool]


class Pacer:
    """Start-to-start spacing of one region's calls, adapting to throttling.

    The spacing is ``1 / rate``. A throttle halves the rate (never below ``floor``) and
    pushes the next call back; each success wins back a tenth of the limit, so a
    transient throttle costs a few slow calls rather than the rest of the query.
    """

    def __init__(
        self,
        limit: float = API_RATE,
        floor: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.floor = min(floor, limit)
        self.rate = limit
        self._clock = clock
        #: When the next call may start; None until the first: the schedule begins
        #: with it. Begun when the read was made, a region whose first call went out
        #: late (17 regions' clients built one after another) counted its missed slot
        #: and sent three calls within half a second, and was throttled.
        self._next: float | None = None

    def wait(self, halt: threading.Event) -> bool:
        """Block until the next call may start; False if ``halt`` was set meanwhile.

        Slots keep to a fixed schedule: a call that starts late (a slow answer before
        it) does not push every later slot back, but at most one missed slot is made
        up, so the rate over any second stays within the limit's burst of two.
        """
        now = self._clock()
        if self._next is None:
            self._next = now
        delay = self._next - now
        if delay > 0 and halt.wait(delay):
            return False
        interval = 1.0 / self.rate
        self._next = max(now - interval, self._next) + interval
        return not halt.is_set()

    def throttled(self) -> None:
        """The last call was throttled: slow down and wait one (longer) interval."""
        self.rate = max(self.floor, self.rate / 2)
        self._next = max(self._next or 0.0, self._clock() + 1.0 / self.rate)

    def succeeded(self) -> None:
        """The last call went through: creep back towards the limit."""
        self.rate = min(self.limit, self.rate + self.limit / 10)


@dataclass(frozen=True, slots=True)
class LookupProgress:
    """Where a lookup stands, for a status line: counts across all regions."""

    regions: int = 0
    regions_done: int = 0
    pages: int = 0
    fetched: int = 0
    matched: int = 0
    duplicates: int = 0
    throttles: int = 0
    #: Region -> why it has no (or partial) results: denied, unreachable...
    failures: tuple[tuple[str, Failure], ...] = ()
    #: The cap was reached and more events may be loaded with :meth:`EventLookup.more`.
    capped: bool = False
    running: bool = False
    #: When the read stopped short (the cap, a cancel): every matching event after this
    #: time (strictly: a page may end within a second) to the range's end is in, from
    #: every region that did not fail (failures are listed on their own); before it,
    #: only from the regions that read that far. Regions read newest first and in
    #: parallel, each to its own depth, so without it the older rows would look
    #: complete and are not. None when nothing stopped short.
    complete_after: datetime | None = None
    #: The read was stopped (``C``, or its reader went away) with regions unfinished and
    #: the cap not reached: :meth:`EventLookup.pages` again goes on from there.
    cancelled: bool = False
    #: The range read (oldest first), and how long it has been read (seconds): while it
    #: runs, how far back every region has read, and roughly how long the rest takes.
    start: datetime | None = None
    end: datetime | None = None
    reading_for: float = 0.0

    def summary(self) -> str:
        """One line, what is missing first (an 80-column status line cuts the end):
        why the read stopped and since when it is whole, then the count, failed regions,
        regions, and the pages, throttles and duplicates last:
        ``cancelled: 2/3 regions not done · complete after 11-28 11:09:23 UTC ·
        799 events · 16 pages``, ``1,212 events · 1 denied · 3/4 regions · 5 pages``
        (thousands separated, as every count on screen). At the cap, ``2,000 of >2,000
        events · complete after …``: written ``2,000 events of more than 2,000``, the
        count pushed the boundary's zone past 80 columns after ``L: load more``."""
        count = (f"{self.matched:,} of >{self.matched:,} events" if self.capped
                 else count_of(self.matched, "event"))
        after = (f"complete after {self.complete_after:%m-%d %H:%M:%S} UTC"
                 if self.complete_after is not None and not self.running else "")
        kinds: dict[str, int] = {}
        for _, failure in self.failures:
            kinds[failure.kind.value] = kinds.get(failure.kind.value, 0) + 1
        failed = [f"{number} {kind}" for kind, number in sorted(kinds.items())]
        if self.cancelled:
            unfinished = self.regions - self.regions_done
            parts = [f"cancelled: {unfinished}/{self.regions} regions not done", after,
                     count, *failed]
        else:
            parts = [count, after, *failed, f"{self.regions_done}/{self.regions} regions",
                     self._depth()]
        parts.append(count_of(self.pages, "page"))
        if self.throttles:  # calls, not regions: said as the regions view says it
            parts.append(f"throttled {self.throttles:,}\u00d7")
        if self.duplicates:
            parts.append(f"{count_of(self.duplicates, 'duplicate')} dropped")
        return " · ".join(part for part in parts if part)


    def _depth(self) -> str:
        """While the read runs, how far back every region has read (``back to 11-14
        03:20 UTC``; the plan line above gives the range's start), and roughly the time
        left at the pace so far: a filter AWS cannot be sent reads every event of 90
        days, hours on a busy account, and "52 events · 15/17 regions" said nothing of
        whether to wait, narrow the range or turn to the archive. '' when not known.
        After the regions' count: at 80 columns the line is cut at its end."""
        back, start, end = self.complete_after, self.start, self.end
        if not self.running or back is None or start is None or end is None or not (
                start < back < end):
            return ""
        said = f"back to {back:%m-%d %H:%M} UTC"
        done = (end - back) / (end - start)
        if self.reading_for >= MIN_READ_FOR_ESTIMATE and done > 0:
            said += f", ~{_duration(self.reading_for * (1 - done) / done)} left"
        return said


#: Seconds of reading before a time left is guessed from its pace (the first pages
#: come at once: the pacer's burst).
MIN_READ_FOR_ESTIMATE = 10.0


def _duration(seconds: float) -> str:
    """``40 s``, ``12 min``, ``3.5 h``: a rough time, as rough as it is said."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


@dataclass(frozen=True, slots=True)
class LookupPage:
    """New matching events from one region (possibly none), and the progress after them."""

    region: str
    events: list[Event]
    progress: LookupProgress
    #: What happened besides events: "throttled", "done", or a failure line.
    note: str = ""


@dataclass
class _RegionState:
    """One region's position: which attribute, which page, and what is parked."""

    pacer: Pacer
    attribute_index: int = 0
    token: str | None = None
    done: bool = False
    failure: Failure | None = None
    #: Events fetched after the cap was reached, handed out first by ``more()``, by the
    #: series (attribute index) they were read in.
    pending: list[tuple[int, list[Event]]] = field(default_factory=list)
    #: The series the consumer examined last, and the oldest time it examined in it:
    #: pages come newest first, so every match of that series after it is in.
    series: int = 0
    reached: datetime | None = None


@dataclass(frozen=True, slots=True)
class _Fetched:
    """A message from a region thread to the consumer."""

    region: str
    events: list[Event] = field(default_factory=list)
    note: str = ""
    finished: bool = False
    #: The attribute (index) whose series of calls read these events.
    series: int = 0


class EventLookup:
    """One LookupEvents query over several regions, resumable after a cap or a cancel.

    ``attributes`` are ORed: each is sent as the one lookup attribute of its own series
    of calls (``None`` = no attribute), sharing the region's pacer and the deduplication,
    which is how "events of this instance" merges ``Username`` and ``ResourceName``.
    ``predicate`` re-checks every event locally (the attribute is only a pre-filter).
    ``now``: when the read begins (the end of a range without one, and what its oldest
    start counts from: :func:`oldest_start`), for a caller that planned with it.
    """

    def __init__(
        self,
        ctx: AwsContext,
        regions: Sequence[str],
        *,
        attributes: Sequence[Attribute | None] = (None,),
        start: datetime | None = None,
        end: datetime | None = None,
        predicate: Predicate | None = None,
        cap: int | None = None,
        rate: float = API_RATE,
        page_size: int = PAGE_SIZE,
        now: datetime | None = None,
    ) -> None:
        for attribute in attributes:
            if attribute is not None and attribute[0] not in ATTRIBUTE_KEYS:
                raise ValueError(f"not a LookupEvents attribute: {attribute[0]!r}")
        self.ctx = ctx
        self.regions = list(dict.fromkeys(regions))
        #: Why these regions are fewer than asked ("" when they are what was asked):
        #: every region was, the account would not list them (``AwsContext.unlisted``).
        #: Kept here so that whatever exports this read, the app or a command, says it.
        self.unlisted = ctx.unlisted(self.regions)
        self.attributes = list(attributes) or [None]
        # The range is pinned once: a NextToken belongs to its exact query, and pages
        # must not shift while new events arrive during a long read.
        now = now or datetime.now(UTC)
        self.end = end or now
        oldest = oldest_start(now)
        self.start = min(self.end, max(start or oldest, oldest))
        #: What of the range asked is older than Event history keeps (None: nothing),
        #: for whatever reports on this read: its coverage, stderr, the status line.
        self.beyond = beyond_history(start, self.end, now)
        self.predicate = predicate
        self.cap = cap
        self.page_size = page_size
        self._states = {region: _RegionState(Pacer(rate)) for region in self.regions}
        self._seen: set[str] = set()
        self._lock = threading.Lock()
        self._counts = {"pages": 0, "fetched": 0, "matched": 0, "duplicates": 0, "throttles": 0}
        self._running = False
        #: A :meth:`pages` call has ended: what is left unread was stopped, not never begun.
        self._stopped = False
        #: Seconds read by the :meth:`pages` calls that ended, and when the running one
        #: began (monotonic): the pace a time left is guessed from.
        self._read_before = 0.0
        self._began: float | None = None

    # -- public -----------------------------------------------------------------------

    @property
    def more_available(self) -> bool:
        """Whether some region still has events to hand out (pending or unread pages)."""
        return any(
            state.pending or (not state.done and state.failure is None)
            for state in self._states.values()
        )

    def progress(self) -> LookupProgress:
        """A snapshot of the counts (thread-safe)."""
        with self._lock:
            counts = dict(self._counts)
            failures = tuple(
                (region, state.failure)
                for region, state in self._states.items()
                if state.failure is not None
            )
            done = sum(
                1 for state in self._states.values() if state.done or state.failure is not None
            )
            capped = self.cap is not None and counts["matched"] >= self.cap
            complete_after = self._complete_after()
            more = self.more_available
        return LookupProgress(
            regions=len(self.regions),
            regions_done=done,
            pages=counts["pages"],
            fetched=counts["fetched"],
            matched=counts["matched"],
            duplicates=counts["duplicates"],
            throttles=counts["throttles"],
            failures=failures,
            capped=capped and more,
            running=self._running,
            complete_after=complete_after,
            cancelled=self._stopped and more and not capped and not self._running,
            start=self.start,
            end=self.end,
            reading_for=self._read_before + (
                time.monotonic() - self._began if self._began is not None else 0.0),
        )

    def _complete_after(self) -> datetime | None:
        """The time after which every region that did not fail has handed out all its
        matches (None when they all read to the end). Called with the lock held.

        A region's attributes are read one series after another, each newest first: it
        is whole after the oldest time examined only once it examines its last series
        (the series before it are whole; one not begun yet is missing at every time)."""
        last = len(self.attributes) - 1
        after: datetime | None = None
        for state in self._states.values():
            if state.failure is not None or (state.done and not state.pending):
                continue  # a failure is said on its own; a finished region is whole
            series = state.pending[0][0] if state.pending else state.attribute_index
            reached = state.reached if state.series == series == last else None
            frontier = reached if reached is not None else self.end
            after = frontier if after is None else max(after, frontier)
        return after

    def more(self, count: int) -> None:
        """Raise the cap by ``count``; the next :meth:`pages` call goes on from there."""
        with self._lock:
            if self.cap is not None:
                self.cap += count

    def pages(self, cancel: threading.Event | None = None) -> Iterator[LookupPage]:
        """Run (or resume) the query, yielding each region's new events as they arrive.

        Blocking: call from a worker thread or a script. Setting ``cancel`` (or closing
        the iterator) stops every region after its current call; what was fetched is
        kept, so calling :meth:`pages` again resumes.
        """
        cancel = cancel or threading.Event()
        # Running from the first parked event handed out to the last message parked:
        # in between, a region's state is in flux and its progress not a verdict.
        self._running = True
        self._began = time.monotonic()
        try:
            yield from self._read(cancel)
        finally:
            self._running = False
            self._stopped = True
            self._read_before += time.monotonic() - self._began
            self._began = None

    def _read(self, cancel: threading.Event) -> Iterator[LookupPage]:
        """The body of :meth:`pages`: what was parked at the cap first, then the
        regions' threads."""
        halt = threading.Event()
        inbox: queue.Queue[_Fetched] = queue.Queue()
        for region, state in self._states.items():
            with self._lock:
                parked, state.pending = state.pending, []
            # All of a region's parked events are accepted (or parked again) before
            # the page is handed out: a consumer that stops there loses none of them.
            accepted: list[Event] = []
            for series, events in parked:
                accepted += self._accept(region, events, halt, series=series).events
            if accepted:
                yield LookupPage(region, accepted, self.progress())
        active = [
            region
            for region, state in self._states.items()
            if not state.done and state.failure is None
        ]
        if halt.is_set() or cancel.is_set() or not active:
            return
        executor = ThreadPoolExecutor(
            max_workers=min(len(active), 32), thread_name_prefix="lookup-events"
        )
        try:
            for region in active:
                executor.submit(self._run_region, region, halt, inbox)
            remaining = len(active)
            while remaining:
                if cancel.is_set():
                    halt.set()
                try:
                    message = inbox.get(timeout=0.1)
                except queue.Empty:
                    continue
                if message.finished:
                    remaining -= 1
                page = self._accept(
                    message.region, message.events, halt, message.note, message.series
                )
                if page.events or page.note:
                    yield page
        finally:
            halt.set()
            executor.shutdown(wait=True, cancel_futures=True)
            # Pages still in flight when the iterator was closed: park them, lose nothing.
            while not inbox.empty():
                message = inbox.get_nowait()
                if message.events:
                    with self._lock:
                        self._states[message.region].pending.append(
                            (message.series, message.events)
                        )

    # -- consumer side ----------------------------------------------------------------

    def _accept(
        self,
        region: str,
        events: list[Event],
        halt: threading.Event,
        note: str = "",
        series: int = 0,
    ) -> LookupPage:
        """Deduplicate, re-check and cap one batch of ``series``; park what is over the
        cap (after what was parked before: the region's order is kept)."""
        accepted: list[Event] = []
        state = self._states[region]
        with self._lock:
            for index, event in enumerate(events):
                if self.cap is not None and self._counts["matched"] >= self.cap:
                    state.pending.append((series, events[index:]))
                    halt.set()
                    break
                if state.series != series:
                    state.series, state.reached = series, None
                if state.reached is None or event.event_time < state.reached:
                    state.reached = event.event_time
                if self.predicate is not None and not self.predicate(event):
                    continue
                # Only matches are remembered: a long scan with a selective filter must
                # not keep the ID of every event it read and threw away.
                key = event.event_id or f"{region}:{event.event_time.isoformat()}:{event.raw}"
                if key in self._seen:
                    self._counts["duplicates"] += 1
                    continue
                self._seen.add(key)
                self._counts["matched"] += 1
                accepted.append(event)
        return LookupPage(region, accepted, self.progress(), note)

    # -- region threads ---------------------------------------------------------------

    def _run_region(self, region: str, halt: threading.Event, inbox: queue.Queue[_Fetched]) -> None:
        """Page through every attribute of one region until done, failed or halted."""
        state = self._states[region]
        # A range wholly older than Event history keeps has nothing to ask for: done,
        # with no call (its plan line says "nothing" is asked).
        state.done = state.done or (self.beyond is not None and self.beyond.wholly)
        try:
            client = self.ctx.client("cloudtrail", region, PACED)
            while not halt.is_set() and not state.done:
                series = state.attribute_index
                events = self._next_page(region, client, state, halt, inbox)
                if events is None:
                    break
                inbox.put(_Fetched(region, events, series=series))
        except Exception as exc:  # a broken region is an outcome, never an abort
            state.failure = classify(exc)
        note = ""
        if state.failure is not None:
            note = str(state.failure)
        elif state.done:
            note = "done"
        inbox.put(_Fetched(region, note=note, finished=True))

    def _request(self, state: _RegionState) -> dict[str, Any]:
        request: dict[str, Any] = {"MaxResults": self.page_size}
        attribute = self.attributes[state.attribute_index]
        if attribute is not None:
            request["LookupAttributes"] = [
                {"AttributeKey": attribute[0], "AttributeValue": attribute[1]}
            ]
        request["StartTime"] = self.start
        request["EndTime"] = self.end
        if state.token:
            request["NextToken"] = state.token
        return request

    def _next_page(
        self,
        region: str,
        client: Any,
        state: _RegionState,
        halt: threading.Event,
        inbox: queue.Queue[_Fetched],
    ) -> list[Event] | None:
        """Fetch one page (retrying throttles forever, transient faults a few times).

        Returns None when halted or when the region failed (``state.failure`` set).
        """
        transient = 0
        while state.pacer.wait(halt):
            try:
                answer = client.lookup_events(**self._request(state))
            except Exception as exc:
                failure = classify(exc)
                if failure.kind is FailureKind.THROTTLED:
                    state.pacer.throttled()
                    with self._lock:
                        self._counts["throttles"] += 1
                    inbox.put(_Fetched(region, note="throttled"))
                    continue
                if failure.kind in (FailureKind.TIMEOUT, FailureKind.UNREACHABLE):
                    transient += 1
                    if transient <= _TRANSIENT_RETRIES:
                        if halt.wait(2.0 ** (transient - 1)):
                            return None
                        continue
                state.failure = failure
                return None
            state.pacer.succeeded()
            state.token = answer.get("NextToken") or None
            if state.token is None:
                state.attribute_index += 1
                state.done = state.attribute_index >= len(self.attributes)
            items = answer.get("Events") or []
            events = [self._event(region, item) for item in items]
            with self._lock:
                self._counts["pages"] += 1
                self._counts["fetched"] += len(events)
            return events
        return None

    @staticmethod
    def _event(region: str, item: Any) -> Event:
        event = from_lookup_event(item)
        if not event.aws_region:
            # An item whose CloudTrailEvent is not JSON has no awsRegion of its own.
            event = replace(event, aws_region=region)
        return event


def collect(
    lookup: EventLookup,
    cancel: threading.Event | None = None,
    on_page: Callable[[LookupProgress], None] | None = None,
) -> list[Event]:
    """Every matching event of ``lookup`` (up to its cap), newest first; ``on_page``
    hears the progress after each page (a headless progress line)."""
    events: list[Event] = []
    for page in lookup.pages(cancel):
        events.extend(page.events)
        if on_page is not None:
            on_page(page.progress)
    events.sort(key=lambda event: (event.event_time, event.event_id), reverse=True)
    return events
