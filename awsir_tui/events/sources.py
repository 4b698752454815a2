"""Where the events viewer's rows come from: Event history or a loaded archive.

There is one viewer and one store type. For Event history each query runs LookupEvents
(the planner's one attribute and the time range on AWS's side, the whole filter
re-checked locally) and streams the matches into a fresh in-memory
:class:`~awsir_tui.events.store.EventStore`; for an archive the store is already loaded
and the filter becomes SQL over it. Either way the viewer gets a :class:`Selection`:
a store, a WHERE clause, and a line saying what ran where, so that filters, drill-down,
pivots and export work the same whatever the source.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

from botocore.exceptions import NoCredentialsError

from awsir_tui.aws.cloudtrail import EventLookup, LookupProgress
from awsir_tui.aws.context import AwsContext
from awsir_tui.events.coverage import Coverage, archive_coverage, history_coverage
from awsir_tui.events.digests import DigestCheck, check_digests
from awsir_tui.events.files import DIGEST_REASON
from awsir_tui.events.load_history import StoredLoad, stored_loads
from awsir_tui.events.loader import (
    LoadLedger,
    LoadProgress,
    LoadReport,
    load,
    time_range_words,
)
from awsir_tui.events.lookup_source import instance_filter, lookup_spec, spec_lookup
from awsir_tui.events.record import Event
from awsir_tui.events.s3archive import cache_dir_for
from awsir_tui.events.store import EventStore
from awsir_tui.query import EVENT_FIELDS, Query, compile_sql, parse, quote
from awsir_tui.query.times import utc_stamp
from awsir_tui.text import count_of

#: Events a viewer query keeps before saying "N of >N events" (a key loads more).
DEFAULT_CAP = 2_000
#: A pivot that would make Event history read every event reads this long either side
#: of the event it started from (see :meth:`HistorySource.around`).
PIVOT_WINDOW = timedelta(days=1)

ProgressSink = Callable[[LookupProgress], None]


#: The order of the events table.
NEWEST_FIRST = "event_time DESC"


@dataclass
class Selection:
    """What a view shows for one query: rows of a store matching a WHERE clause.

    ``feed`` is set when the rows still have to be fetched (Event history): the viewer
    runs it in a worker, and it fills ``store`` as pages arrive.
    """

    store: EventStore
    where: str = "TRUE"
    params: list[Any] = field(default_factory=list)
    explain: str = ""
    feed: LookupFeed | None = None
    #: What to try when nothing matches (Event history matched a name whole).
    hint: str = ""
    #: Why nothing matched, and what to type, in sentences (the hint's long form).
    advice: str = ""
    #: A start of an event name sent to Event history as the whole name it starts.
    sent_as: str = ""
    #: What filled a store's rows, when no feed here does (see :class:`Origin`).
    origin: Origin | None = None
    #: How narrow a read of every event is, and the key that widens it (see
    #: :func:`read_window`); "" when the read is not one.
    window: str = ""

    @property
    def blocking(self) -> bool:
        """Whether a table reads these rows off the UI thread (see VirtualTable): a
        store's, which over a million events may take a second to read while a load
        writes; not a LookupEvents feed's, one query's few thousand rows."""
        return self.feed is None

    def count(self) -> int:
        return self.store.count(self.where, self.params)

    def drilled(self, filter_text: str) -> Origin:
        """The origin of a view drilled down from these rows (``filter_text``: the
        filter they answer): what fills them, so that the view can tell, as this one
        does, whether they are all there yet."""
        if self.feed is not None:
            return Origin(filter_text, lookup=self.feed.lookup)
        base = self.origin or Origin(None)
        return Origin(filter_text, lookup=base.lookup, archive=base.archive)

    def is_filling(self) -> bool:
        """Whether these rows are still arriving (a read or a load runs): their own, or,
        for a drill-down, the one filling the store it came from. An export or a count
        made now holds only part of what was asked, and asks first."""
        origin = self.origin
        if self.feed is not None:
            return self.feed.lookup.progress().running
        if origin is not None and origin.lookup is not None:
            return origin.lookup.progress().running
        return origin is not None and origin.archive is not None and origin.archive.loading

    def coverage(self, filter_text: str, label: str) -> Coverage:
        """What these rows hold now of what was asked (an export's, a ``:stack`` count's);
        a drill-down's says what its parent view's would, and names both filters.
        ``label``: the source's, for a store that has neither read nor load."""
        if self.feed is not None:
            return history_coverage(self.feed.lookup, filter_text, self.explain)
        origin = self.origin
        if origin is not None and origin.lookup is not None:
            coverage = history_coverage(origin.lookup, filter_text, self.explain)
        elif origin is not None and origin.archive is not None:
            archive = origin.archive
            coverage = archive_coverage(
                archive.sources, filter_text, self.explain, running=archive.loading,
                loading=archive.progress, report=archive.report, earlier=archive.earlier,
            )
        else:
            coverage = Coverage(source=label, filter=filter_text, plan=self.explain)
        if origin is None or origin.parent_filter is None:
            return coverage
        return replace(coverage, parent_filter=origin.parent_filter, drill_down=label)

    def position_of(self, event: Event) -> int:
        """Where ``event`` is in the table's order (newest first), so that the cursor can
        stay on it while rows stream in above it."""
        before = "(event_time > ? OR (event_time = ? AND event_id < ?))"
        when = event.event_time
        return self.store.count(
            f"({self.where}) AND {before}", [*self.params, when, when, event.event_id]
        )

    def prepare(self) -> int:
        """Sort the matching rows once (one scan, see :meth:`EventStore.prepare`), so that
        the count and every page read no more; return the count. Slow on big stores:
        a worker calls it."""
        return self.store.prepare(self.where, self.params, NEWEST_FIRST)

    def is_sorted(self) -> bool:
        """Whether :meth:`prepare` has sorted this selection for the data as it is."""
        return self.sorted_count() is not None

    def sorted_count(self) -> int | None:
        """The count from the order :meth:`prepare` kept, or None (see
        :meth:`EventStore.sorted_count`): never a query."""
        return self.store.sorted_count(self.where, self.params, NEWEST_FIRST)

    def fetch(self, offset: int, limit: int) -> list[Event]:
        """Newest first, as the table shows them.

        Until :meth:`prepare` has sorted this selection (a load writing, or the sort
        still running), the last rows (``G``) are read as the first rows of the reverse
        order: a deep page would make the store sort everything on the spot.
        """
        if not self.is_sorted():
            total = self.count()
            if offset > total // 2 and offset + limit >= total:
                tail = self.store.page(
                    self.where, self.params, "event_time ASC, event_id DESC", total - offset, 0
                )
                return tail[::-1]
        return self.store.page(self.where, self.params, NEWEST_FIRST, limit, offset)


@dataclass(frozen=True, slots=True)
class Origin:
    """What fills a store a view shows without reading it itself: a drill-down (Enter
    on a ``:stack`` group or a finding) shows rows of the store of the view it came
    from, which an Event history read or an archive load may still be filling, or
    stopped at its cap, or left a region out of. Its exports must ask and say so as
    that view's do."""

    #: The filter of the view drilled down from (None: not a drill-down).
    parent_filter: str | None
    #: The Event history read that fills the store, if one does.
    lookup: EventLookup | None = None
    #: The archive whose load fills the store, if one does.
    archive: ArchiveSource | None = None


class LookupFeed:
    """One query's LookupEvents, streamed into its own in-memory store as pages arrive.

    The store belongs to the feed: :meth:`close` (a new query replaced this one, or the
    view went away) cancels the read and frees the store, once no page is being added.
    """

    def __init__(self, lookup: EventLookup, store: EventStore) -> None:
        self.lookup = lookup
        self.store = store
        self.cancel = threading.Event()
        self._lock = threading.Lock()
        self._running = False
        self._closed = False
        #: Per region, the matches and the throttled calls of this read so far, for
        #: :regions (the progress counts them across regions only).
        self.matched: Counter[str] = Counter()
        self.throttled: Counter[str] = Counter()

    def run(self, on_progress: ProgressSink | None = None) -> LookupProgress:
        """Fetch (or resume) until done, capped or cancelled; blocking (use a worker)."""
        with self._lock:
            if self._closed:
                return self.lookup.progress()
            self._running = True
        try:
            for page in self.lookup.pages(self.cancel):
                if self._closed:
                    break
                if page.events:
                    self.store.add_events(page.events)
                    self.matched[page.region] += len(page.events)
                if page.note == "throttled":
                    self.throttled[page.region] += 1
                if on_progress is not None:
                    on_progress(page.progress)
        finally:
            with self._lock:
                self._running = False
                closed = self._closed
            if closed:
                self.store.close()
        progress = self.lookup.progress()
        if on_progress is not None and not closed:
            on_progress(progress)
        return progress

    def more(self, count: int = DEFAULT_CAP) -> None:
        """Allow ``count`` more events; call :meth:`run` again to fetch them."""
        self.resume()
        self.lookup.more(count)

    def resume(self) -> None:
        """After a cancel, with the cap not reached: :meth:`run` again goes on from
        where each region stopped, up to the same cap (raising it would read more than
        the read was ever meant to)."""
        self.cancel = threading.Event()

    def close(self) -> None:
        """Stop reading and free the store (now, or when the running read stops)."""
        with self._lock:
            self._closed = True
            running = self._running
        self.cancel.set()
        if not running:
            self.store.close()


#: What `E` lists the events of: an instance or a security group (by ID), a key pair
#: (by name: the only thing EC2 calls take or log of it).
SubjectKind = Literal["instance", "security group", "key pair"]


@dataclass(frozen=True, slots=True)
class Subject:
    """The one thing an events view was opened for (`E`)."""

    kind: SubjectKind
    value: str


@dataclass(frozen=True, slots=True)
class Scope:
    """The filter for "every event of this subject" in one source, and what it
    cannot find there ("" when it finds every event naming the subject)."""

    filter_text: str
    missed: str = ""
    #: :attr:`missed` in a line, for the notice `E` raises: the whole of it there took
    #: 12 rows beside the list for 15 s, two `E` in a row nearly the whole screen, at
    #: every `E`; the status line and `?` keep saying it while the rows are the scope's.
    brief: str = ""


class EventSource(Protocol):
    """A place events come from, as the viewer sees it."""

    #: Shown in the breadcrumb and status line, e.g. "Event history" or an archive path.
    label: str

    def select(self, query: Query) -> Selection:
        """The selection for ``query`` (raises FilterError for a field it lacks)."""
        ...

    def scope_of(self, subject: Subject) -> Scope:
        """What `E` on ``subject`` (and `/` on an instance's page) filters with here."""
        ...


class HistorySource:
    """CloudTrail Event history of the chosen regions (LookupEvents)."""

    label = "Event history"

    def __init__(
        self, ctx: AwsContext, regions: Callable[[], Sequence[str]], cap: int = DEFAULT_CAP
    ) -> None:
        self.ctx = ctx
        self.regions = regions
        self.cap = cap

    def select(self, query: Query) -> Selection:
        now = datetime.now(UTC)
        spec = lookup_spec(query, now)
        lookup = spec_lookup(self.ctx, self.regions(), spec, now, self.cap)
        store = EventStore()
        return Selection(
            store, explain=spec.explain, feed=LookupFeed(lookup, store), hint=spec.hint,
            sent_as=spec.sent_as, advice=spec.advice,
            window="" if any(spec.attributes) else read_window(query),
        )

    def scope_of(self, subject: Subject) -> Scope:
        """What LookupEvents can look ``subject`` up by: an instance's role's sessions
        (a user name) and the calls naming it as a resource; a group or a key pair, the
        calls naming it as a resource. A call naming it elsewhere (in a request's
        filters: the thief polling an instance with DescribeInstanceInformation before
        SendCommand, DescribeSecurityGroups by group-id) is found only by reading every
        event, which is said."""
        value = subject.value
        if subject.kind == "instance":
            terms, asked = instance_filter(value), "as a user name (its role's sessions) and"
        else:
            terms, asked = f"resource:={quote(value)}", "only"
        word = "name" if subject.kind == "key pair" else "ID"
        return Scope(terms, missed=(
            f"Event history is asked for {value} {asked} as a resource: a call naming "
            "it only elsewhere, as in a request's filters, is not among these. To find "
            f"those too, / with the {word} alone reads every event (slow: LookupEvents, "
            "2 calls/s; 1-3 bound the time), or load the trail's archive (--source), "
            "searched whole at once."),
            brief="other mentions (a request's filters) are not looked up: ? says how")

    def around(
        self, filter_text: str, first: datetime, last: datetime | None = None
    ) -> str | None:
        """``filter_text`` limited to :data:`PIVOT_WINDOW` before ``first`` and after
        ``last`` (``first`` if None) if LookupEvents can look up none of its terms (an
        IP, an agent), else None.

        Such a filter reads every event of the regions, and 90 days of a busy account
        take hours at 2 calls/s; a pivot from an event (or from an indicator seen
        between two times) wants the days around it first.
        """
        if any(lookup_spec(parse(filter_text, EVENT_FIELDS)).attributes):
            return None
        after, before = first - PIVOT_WINDOW, (last or first) + PIVOT_WINDOW
        return f"{filter_text} after:{utc_stamp(after)} before:{utc_stamp(before)}"


def read_window(query: Query) -> str:
    """What the status line says of a read of every event (LookupEvents cannot look up
    an IP or an agent) bounded on both sides, as a pivot bounds it
    (:meth:`HistorySource.around`): how little it reads, and that 4 reads the 90 days.
    The pivot's notice is gone in seconds; the list, and the responder, stay. "" for a
    read bounded on one side or none (4 would widen it little, or not at all)."""
    after, before = query.after, query.before
    if after is None or before is None:
        return ""
    if before - after == 2 * PIVOT_WINDOW:
        return f"\u00b1{count_of(PIVOT_WINDOW.days, 'day')} of the event (4: 90 days)"
    return "only the times asked (4: 90 days)"


class StoreSource:
    """Events already in a store (a loaded archive, or a drill-down's rows of another
    view's store: ``origin`` says what fills it): the filter runs as SQL."""

    def __init__(
        self, store: EventStore, label: str = "archive", origin: Origin | None = None
    ) -> None:
        self.store = store
        self.label = label
        self.origin = origin

    def scope_of(self, subject: Subject) -> Scope:
        """Every record naming ``subject`` anywhere, in any letter case: an ID as a bare
        word (an instance's role's sessions, whose ARN ends with it; the calls naming it
        as a resource, and those naming it elsewhere, as a request's filters do, which
        ``user:=`` and ``resource:=`` left out: 7 events of Stratus' stolen instance, not
        45). A key pair's name is its owner's word: the calls naming it as a resource
        (``keyName``), or a search filtering on ``key-name`` with the name as a whole
        JSON string among its values. OR binds first: ``(res OR "name") AND (res OR
        key-name)``. The name alone, even whole, found every record with a tag or a
        group of that value (``Owner=ops`` for the key ``ops``; ``default``)."""
        value = subject.value
        if subject.kind != "key pair":
            return Scope(quote(value))
        named = f"resource:={quote(value)}"
        whole = quote(json.dumps(value, ensure_ascii=False))
        return Scope(f"{named} OR {whole} {named} OR key-name")

    def select(self, query: Query) -> Selection:
        where, params = compile_sql(query, EVENT_FIELDS)
        shown = query.source() or "(none: every event)"
        return Selection(
            self.store, where, params, explain=f"filter {shown}, run on the store",
            origin=self.origin,
        )


class ArchiveSource(StoreSource):
    """``--source`` archives loaded into one store, shared by every events view.

    :meth:`load` runs the archive loader once (blocking: a worker calls it); rows show
    while it runs because the views re-query the store as it grows. A load cancelled
    (C), or one that skipped files, goes on with :meth:`load` ``again`` (L): the files
    not read yet, the skipped ones tried again (see :class:`LoadLedger`).
    """

    def __init__(
        self, sources: Sequence[str], store: EventStore, s3_client: Any = None,
        cache_dir: Path | None = None,
        window: tuple[datetime | None, datetime | None] = (None, None),
    ):
        super().__init__(store, label=", ".join(sources) or store.path)
        #: ``--since``/``--after``/``--before``: the range the load keeps to (#5).
        self.window = window
        self.origin = Origin(None, archive=self)
        self.sources = list(sources)
        self.s3_client = s3_client
        #: Where S3 log files are fetched to (None: the default cache).
        self.cache_dir = cache_dir
        self.cancel = threading.Event()
        self.progress: LoadProgress | None = None
        self.report: LoadReport | None = None
        #: The files the load read, across its parts (C, then L).
        self.ledger = LoadLedger()
        #: The loads the store file kept from earlier sessions (read before this one's).
        self.earlier: list[StoredLoad] = stored_loads(store)
        self._started = False
        #: How many parts of the load have begun (the first, then each L): what tells a
        #: count made after C from one made after L, which may read as many events.
        self.parts = 0
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._users = 0
        #: The logs checked against the trail's digest files (:meth:`check_integrity`).
        self.integrity: DigestCheck | None = None
        #: Set when the app quits (:meth:`stop`); ``cancel`` is also C's, for the load
        #: alone: the files on disk can still be checked after it.
        self.quitting = threading.Event()
        self._integrity_lock = threading.Lock()

    def select(self, query: Query) -> Selection:
        """As a store's, its plan naming the range the load keeps to (the plan line, an
        export's coverage): the rows hold no other event, whatever the filter says."""
        selection = super().select(query)
        kept = time_range_words(*self.window)
        if kept:
            selection.explain += f"; archive read {kept} only"
        return selection

    def stop(self) -> None:
        """The app is quitting: end the load now, and every statement on the store
        (:meth:`EventStore.stop`), rather than after the batch, the compaction and the
        searches running. The store first: a load that sees its cancel with the store
        still running ends as cancelled by the responder, and says so in the store."""
        self.quitting.set()
        self.store.stop()
        with self._lock:  # not between the check and the start of a load again
            self.cancel.set()

    def close(self) -> None:
        """The session ends: stop the load (:meth:`stop`), let it finish what it does
        after the store stopped (a store file's duplicates go, and its report is kept:
        closing under it left a reloaded case file with events twice), then close the
        store. A load that never started has nothing to finish."""
        self.stop()
        with self._lock:
            started = self._started
        if started:
            self._done.wait()
        self.store.close()

    def hold(self) -> None:
        """A view starts showing this archive."""
        with self._lock:
            self._users += 1

    def release(self) -> int:
        """A view stops showing it; returns how many still do (0: nobody needs the load)."""
        with self._lock:
            self._users = max(0, self._users - 1)
            return self._users

    @property
    def started(self) -> bool:
        """Whether some caller has started :meth:`load`."""
        return self._started

    @property
    def loading(self) -> bool:
        """Whether the load runs now (adding rows to the store)."""
        return self._started and self.report is None

    def to_continue(self) -> str:
        """What :meth:`load` ``again`` would read, in words ("" when nothing: a load
        still running, or one that came to every file and read each it could)."""
        if not self.sources or self.loading:
            return ""
        return self.ledger.left()

    def load(
        self, on_progress: Callable[[LoadProgress], None] | None = None, again: bool = False,
    ) -> LoadReport:
        """Load every source into the store; cancel with :attr:`cancel`. ``again``: go
        on with the load done (:meth:`to_continue`), as one load with it.

        Several views may ask at once: the first call loads, the others wait for it and
        get its report (two loads into one store would read every file twice).
        """
        with self._lock:
            first, self._started = not self._started, True
            if again and self.report is not None and not self.quitting.is_set() \
                    and self.to_continue():
                first, self.report, self.progress = True, None, None
                self.cancel.clear()
                self._done.clear()
            if first:  # with the report it replaces: load_mark reads them together
                self.parts += 1
        if not first:
            self._done.wait()
            assert self.report is not None
            return self.report
        if not self.sources:  # a store reopened alone: nothing to read (or to keep)
            self.report = LoadReport()
            self._done.set()
            return self.report

        def progressed(progress: LoadProgress) -> None:
            self.progress = progress
            if on_progress is not None:
                on_progress(progress)

        try:
            self.report = load(
                self.sources, self.store, s3_client=self.s3_client, on_progress=progressed,
                cancel=self.cancel, cache_dir=self.cache_dir, after=self.window[0],
                before=self.window[1], ledger=self.ledger,
            )
        finally:
            if self.report is None:  # the loader itself failed: waiters must not hang
                self.report = LoadReport(cancelled=True)
            self._done.set()
        return self.report


    @property
    def has_digests(self) -> bool:
        """Whether the load is done and found the trail's digest files among its files
        (listed as not logs: :data:`~awsir_tui.events.files.DIGEST_REASON`)."""
        report = self.report
        return report is not None and any(p.reason == DIGEST_REASON for p in report.ignored)

    def check_integrity(self) -> DigestCheck | None:
        """Once the load is done (or cancelled: the files on disk are what is checked):
        the logs checked against the trail's digest files, when the load found some
        (None otherwise, or when the app quits). Checked once; a second caller waits for
        the first's answer (the events view runs it when the load ends, ``:load`` shows
        it)."""
        if not self.has_digests:
            return None
        with self._integrity_lock:
            if self.integrity is None and not self.quitting.is_set():
                check = check_digests(self.sources, stop=self.quitting)
                self.integrity = None if self.quitting.is_set() else check
        return self.integrity


def open_archive(
    sources: Sequence[str], store_path: str | None, ctx: AwsContext, s3_cache: str | None = None,
    window: tuple[datetime | None, datetime | None] = (None, None),
) -> ArchiveSource | None:
    """The archive a session was started with (``--source``, or a ``--store`` file
    alone, reopened), its store open and nothing loaded yet; None for Event history.

    Raises :class:`~awsir_tui.events.store.StoreUnavailable` when the store file
    cannot be opened: the app calls this before it takes the terminal, so the reason
    is a line on stderr rather than a traceback.
    """
    if not sources and not store_path:
        return None
    return ArchiveSource(sources, EventStore(store_path), archive_s3_client(ctx, sources),
                         s3_cache_dir(sources, s3_cache), window)


def s3_cache_dir(sources: Sequence[str], option: str | None) -> Path | None:
    """Where ``--s3-cache`` puts the ``s3://`` sources' files (:func:`cache_dir_for`);
    None without such a source (``off`` makes no temporary folder then)."""
    if not any(source.startswith("s3://") for source in sources):
        return None
    return cache_dir_for(option)


def archive_s3_client(ctx: AwsContext, sources: Sequence[str]) -> Any:
    """The S3 client the ``s3://`` sources among ``sources`` are read with; None when
    there are none, or no credentials: the load then lists each S3 source as skipped,
    saying why, and reads the local ones (one source that cannot be read must not cost
    the others)."""
    if not any(source.startswith("s3://") for source in sources):
        return None
    try:
        return ctx.client("s3")
    except NoCredentialsError:
        return None
