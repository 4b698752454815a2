"""Loading archives into the event store: files and S3, with progress, cancellable.

The loader is what the UI and ``awsir-tui events --source`` call. It is blocking and
meant to run in a worker thread: it reports progress through a callback (files, events,
bytes, time left) after every batch, so rows appear on screen while the archive loads,
and it checks a cancel flag between batches, keeping what it has already stored.

A source that fails (no such path, an S3 location that is not a trail) and a file that
fails (corrupt, truncated, not CloudTrail) are listed in the :class:`LoadReport` with
their reason; the load goes on with the rest. A file that is no log at all (the README
beside the logs) is listed too, apart: it leaves no event out.

Each source's files are read newest first, as their S3 keys or paths say CloudTrail
delivered them (:func:`~awsir_tui.events.s3archive.newest_first`): the first rows on
screen are the incident's latest, and a load cancelled keeps the most recent days.
Sources are read one after the other, in the order given.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import tempfile
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from awsir_tui.events.files import (
    FileResult,
    iter_files,
    not_records_note,
    read_file,
    source_name,
    storable_path,
)
from awsir_tui.events.ingest import insert_lines, not_records, record_lines
from awsir_tui.events.read_before import ReadBefore, local_stamp, remember
from awsir_tui.events.record import FIRST_USABLE_TIME, Event
from awsir_tui.events.s3archive import (
    MISSING,
    UNREADABLE,
    ArchiveError,
    S3Archive,
    dated_in,
    default_cache_dir,
    delivery_window,
    describe_error,
    layout_region,
    newest_first,
)
from awsir_tui.events.store import EventStore, StoreError
from awsir_tui.query.times import utc_stamp
from awsir_tui.text import clean, count_of

#: A batch of files for one DuckDB statement: enough work for every core, few enough
#: bytes (compressed) that memory stays flat and progress moves every second.
_BATCH_FILES = 256
_BATCH_BYTES = 16 << 20
#: The filter that finds the events without a usable time (dated the epoch), as typed.
UNDATED_FILTER = f"before:{FIRST_USABLE_TIME:%Y-%m-%d}"
#: How often a load looks at its cancel flag while DuckDB stores a batch.
_CANCEL_POLL = 0.1
#: :attr:`LoadProgress.stage` once the files are read: what the last seconds of a big
#: load do (duplicates go, then a checkpoint compresses the table: ~1-3 s at 1M events).
FINISHING = "compressing the store"
#: How many event IDs whose copies differ a load report names (the rest are counted).
DIFFERING_EXAMPLES = 5
#: Which copy of an event read twice the store keeps (:meth:`EventStore.remove_duplicates`).
KEPT_FIRST = "kept the copy read first"
#: Most bytes of record lines one batch writes to the scratch folder: CloudTrail's
#: files inflate about tenfold (~160 MB a batch), a hostile archive's far more (each
#: file may inflate to 512 MB). Files beyond it go to the Python readers.
_MAX_LINES_BYTES = 512 << 20


@dataclass(frozen=True, slots=True)
class FileProblem:
    """A file (or a whole source) that could not be read entirely, and why."""

    source: str
    reason: str
    #: Events still kept from it (0 when the file was skipped).
    kept: int = 0
    #: What kept it from being read at all, set where that was found:
    #: :data:`~awsir_tui.events.s3archive.MISSING` (not there),
    #: :data:`~awsir_tui.events.s3archive.UNREADABLE` (there, but not listable or not
    #: openable); "" for a file damaged, not fetched, or read in part. The app tells a
    #: source that gave nothing from a damaged log by it (:mod:`.unreadable`).
    kind: str = ""


#: What a load's summary says of the files it did not read because its store holds
#: their events (:attr:`LoadReport.read_before`).
HELD_BEFORE = "held by the store already (read whole by an earlier load)"


@dataclass(slots=True)
class LoadReport:
    """What a load did: for the status line, the ``:load`` report and the journal."""

    files_read: int = 0
    events: int = 0
    #: Events new to the store (``events`` minus duplicates already stored or repeated).
    added: int = 0
    bytes: int = 0
    elapsed: float = 0.0
    cancelled: bool = False
    #: Local files not read because their CloudTrail name (or, without one, their day
    #: folder in a trail's layout) is outside the time bounds.
    pruned: int = 0
    #: Local files not read because where they are in a trail's layout (or their
    #: CloudTrail name) says a region outside ``--regions``.
    pruned_regions: int = 0
    #: Local files read although ``--regions`` was given, because neither their folder
    #: nor their name says a region (or they were named, and are always read): their
    #: events are of any region, so the regions in ``bounds`` do not hold for them.
    regions_unapplied: int = 0
    #: Files or sources skipped entirely.
    skipped: list[FileProblem] = field(default_factory=list)
    #: Files read in part (e.g. a truncated gzip): the good records were kept.
    partial: list[FileProblem] = field(default_factory=list)
    #: Files that are not logs (a README, a LICENSE): nothing read, no event missed.
    ignored: list[FileProblem] = field(default_factory=list)
    #: A cancelled load: the files it had found and not reached yet.
    not_reached: int = 0
    #: Events read outside the time range asked (``after``/``before``), not kept: a file
    #: delivered within the hour's margin either side holds some (see
    #: :data:`~awsir_tui.events.s3archive.DELIVERY_MARGIN`). Not in ``events``.
    outside: int = 0
    #: Events read with no usable ``eventTime``: kept, dated 1970-01-01, which puts
    #: them outside any time range asked (:data:`UNDATED_FILTER` finds them).
    undated: int = 0
    #: What the load read only part of its sources for ("from 2026-11-01T00:00:00Z,
    #: regions us-east-1"; "" when it read them whole): the time range, accounts and
    #: regions a headless command pruned by. Said where the report is kept, so that a
    #: store filled by such a load never passes for the whole archive.
    bounds: str = ""
    #: The time range of :attr:`bounds` (UTC stamps, "" for an end left open): no event
    #: outside it was kept (:attr:`outside`), whatever filter is run on the store later;
    #: an export's coverage compares its filter's range with it.
    after: str = ""
    before: str = ""
    #: True in the report kept in the store as the load starts and after each batch, with
    #: its counts so far (cancelled too, so that it never passes for a load that read
    #: everything), which the load replaces as it ends:
    #: read back so, it is of a load the app stopped during (quit, or killed), not one
    #: the responder cancelled, which ends and says what it kept.
    unfinished: bool = False
    #: Event IDs read more than once whose copies are not the same record (the store
    #: kept the copy read first): one of them was altered, or made up. How many, and
    #: the first few (:data:`DIFFERING_EXAMPLES`).
    differing: int = 0
    differing_ids: list[str] = field(default_factory=list)
    #: The sources in which the load found no CloudTrail log (:data:`HELD_NO_LOG`), each
    #: with what it held: beside a source of logs, an empty or a wrong folder was said
    #: nowhere, and the responder believed it read (:func:`found_no_log` says it of all).
    no_log: list[FileProblem] = field(default_factory=list)
    #: The ``CloudTrail-Insight/`` folders of an S3 archive that could not be listed
    #: (denied): apart from :attr:`skipped`, since they leave no call out, only the
    #: Insights events (CloudTrail's notes on unusual rates of calls) the trail may
    #: have, and most trails have none. Said, so that "no Insight" is not read as "no
    #: unusual rate". An Insights file listed but not fetched is :attr:`skipped`, as any
    #: file is: it exists, and its events are missing.
    insights_unlisted: list[FileProblem] = field(default_factory=list)
    #: Files not read because the store holds their events: an earlier load into the
    #: same store file read them whole, as they are now (:mod:`.read_before`).
    read_before: int = 0

    @property
    def files_skipped(self) -> int:
        return len(self.skipped)

    @property
    def not_read_whole(self) -> int:
        """Files or sources whose events are missing in whole or in part: what makes
        the events, and an export of them, partial."""
        return len(self.skipped) + len(self.partial)

    def summary(self, continues: str = "") -> str:
        """One line for a status bar: what was loaded, or kept of a cancelled load (said
        first, so that a narrow terminal does not cut it off; ``continues``, what goes
        on with it, right after "cancelled": the app's L, which the end of the line,
        cut at 80 columns, would hide)."""
        if self.unfinished:
            text = "did not finish (the app stopped during it): the events it stored are kept"
            if not (self.events or self.files_read):  # as kept at its start (or by an
                return text + ", how many is not known" + self._details()  # older app)
            # As kept after its last batch stored: the batch being stored as it stopped
            # may have left some of its events too (see _store_batch), hence "at least".
            return (text + f", at least {self.events:,} from "
                    f"{count_of(self.files_read, 'file')}" + self._details())
        if self.read_before and not (self.files_read or self.cancelled):
            return (f"nothing new: {count_of(self.read_before, 'file')} {HELD_BEFORE}, "
                    "not read again" + self._details())
        rate = self.events / self.elapsed if self.elapsed > 0 else 0.0
        held = f" ({self.read_before:,} more {HELD_BEFORE})" if self.read_before else ""
        text = (
            (f"cancelled{continues}, kept " if self.cancelled else "loaded ")
            + f"{count_of(self.events, 'event')} ({self.added:,} new) from "
            f"{count_of(self.files_read, 'file')}{held}, "
            f"{self.bytes / 1e6:,.1f} MB in {self.elapsed:.{1 if self.elapsed >= 1 else 2}f}s "
            f"({rate:,.0f}/s)"
        )
        return text + self._details()

    def _details(self) -> str:
        """The summary's end: the files left out or ignored, what the load did not read."""
        text = ""
        if self.skipped:
            text += f"; {len(self.skipped)} skipped"
        if self.partial:
            text += f"; {len(self.partial)} read in part"
        if self.differing:
            text += (f"; {count_of(self.differing, 'event ID')} read twice with copies that "
                     f"differ ({KEPT_FIRST})")
        if self.undated:
            text += f"; {self.undated:,} undated ({UNDATED_FILTER} finds them)"
        if self.outside:
            text += f"; {self.outside:,} outside the time range, not kept"
        if self.ignored:
            text += f"; {len(self.ignored)} not logs, ignored"
        if self.insights_unlisted:
            text += (f"; {count_of(len(self.insights_unlisted), 'CloudTrail-Insight/ folder')}"
                     f" not listed ({INSIGHTS_ONLY})")
        if self.pruned:  # judged by the delivery time in their names, 1 h either side
            text += (f"; {self.pruned:,} not read, delivered (by their names or day "
                     "folders) outside the time range")
        if self.pruned_regions:
            text += (f"; {self.pruned_regions:,} not read, of regions not asked (by their "
                     "folders or names)")
        if self.not_reached:
            text += f"; {count_of(self.not_reached, 'file')} not reached"
        if self.bounds:
            text += f"; only {self.bounds}"
        if self.regions_unapplied:
            text += (f"; --regions not applied to {count_of(self.regions_unapplied, 'file')}"
                     " outside the S3 layout (read whole, every region)")
        return text

    def differing_note(self) -> str:
        """The event IDs whose copies differ, said in full with the first of them ("" when
        there are none): without digest files, the only sign that a log was altered."""
        if not self.differing:
            return ""
        shown = ", ".join(clean(event_id, 80) for event_id in self.differing_ids)
        more = self.differing - len(self.differing_ids)
        more_text = f" and {more:,} more" if more > 0 else ""
        return (
            f"{count_of(self.differing, 'event ID')} read more than once with copies that "
            f"are not the same record, so one copy was altered or made up: {shown}{more_text}"
            f" ({KEPT_FIRST}; the other copy differs: find the files with zgrep -l ID)"
        )

    def undated_note(self) -> str:
        """The events without a usable time, said in full ("" when there are none): kept,
        they are left out by every time filter, so the responder must be told."""
        if not self.undated:
            return ""
        have = "has" if self.undated == 1 else "have"
        return (
            f"{count_of(self.undated, 'event')} {have} no usable eventTime: kept, dated "
            f"1970-01-01 (a time filter leaves them out; find them with {UNDATED_FILTER})"
        )


#: How much of a load is done before its time left is guessed (:attr:`LoadProgress.eta_seconds`).
ETA_AFTER = 0.05


@dataclass(frozen=True, slots=True)
class LoadProgress:
    """A snapshot of a running load, for the progress bar."""

    files_done: int
    files_total: int
    events: int
    bytes_done: int
    bytes_total: int
    elapsed: float
    #: What the load does now when it is no longer reading files ("" while it reads):
    #: its last seconds go to tidying the store, with the bar full, and a responder
    #: who sees nothing move for seconds thinks it hung.
    stage: str = ""

    @property
    def fraction(self) -> float:
        if self.bytes_total:
            return min(1.0, self.bytes_done / self.bytes_total)
        return self.files_done / self.files_total if self.files_total else 0.0

    @property
    def eta_seconds(self) -> float | None:
        """Time left, from the rate so far; None until there is a rate to go by: a
        twentieth of the load done (:data:`ETA_AFTER`). The first files' rate carries
        the listing and the first connections: the demo's trail bucket said "525s left"
        for a load of 33 s."""
        fraction = self.fraction
        if fraction < ETA_AFTER or self.elapsed <= 0.0:
            return None
        return self.elapsed * (1.0 - fraction) / fraction


@dataclass(frozen=True, slots=True)
class _Work:
    """One file to read: where it is locally (None when fetching failed) and its label."""

    source: str
    path: Path | None
    size: int
    error: str = ""
    #: What tells this copy of the file from another of the same name and size: an S3
    #: object's ETag, a local file's modification time (:mod:`.read_before`).
    stamp: str = ""


@dataclass(slots=True)
class LoadLedger:
    """One load of some sources across its parts: :func:`load` given the same ledger
    again (L in the app, after C) reads only the files not read yet, and keeps one load
    in the store, under one ID, its report counting every part.

    A file is done once its events are stored (whole or in part: what could be read of
    a damaged file is stored, and reading it again reads no more) or it was found not
    to be a log. A file skipped (S3 denied it, its download failed, it could not be
    opened or held nothing readable) is not: the next part tries it again, as a denied
    object may be readable once the policy is fixed. Kept in memory, for the session;
    a store file keeps the files read whole for the loads of later sessions
    (:mod:`.read_before`)."""

    load_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    #: The files done (:attr:`FileProblem.source`'s names: an S3 URL or a path).
    done: set[str] = field(default_factory=set)
    #: The report of every part so far (None before the first part ends).
    report: LoadReport | None = None

    def left(self) -> str:
        """What another part would read, in words ("" when nothing: the last part came
        to every file and read every one it could): for L to say."""
        report = self.report
        if report is None:
            return ""
        parts = []
        if report.cancelled:
            parts.append(f"{count_of(report.not_reached, 'file')} not reached")
        if report.skipped:
            parts.append(f"{len(report.skipped):,} skipped tried again")
        return ", ".join(parts)


def load(
    sources: Sequence[str | Path],
    store: EventStore,
    *,
    s3_client: Any = None,
    after: datetime | None = None,
    before: datetime | None = None,
    accounts: Iterable[str] | None = None,
    regions: Iterable[str] | None = None,
    on_progress: Callable[[LoadProgress], None] | None = None,
    cancel: threading.Event | None = None,
    cache_dir: Path | None = None,
    fast: bool = True,
    names: Mapping[str, str] | None = None,
    ledger: LoadLedger | None = None,
) -> LoadReport:
    """Load every source (file, folder, or ``s3://bucket[/prefix]``) into ``store``.

    ``after``/``before``/``accounts``/``regions`` prune S3 archives;
    ``after``/``before`` also prune local files named as CloudTrail names them (by
    delivery time, with the same margin) or in a trail's day folders, ``regions`` those
    in a trail's layout or named
    with their region (a file with neither is read whole, counted in
    ``regions_unapplied``, as the report must not say it kept to regions it could not).
    A file given by name is always read. Of the events read, those outside ``[after,
    before)`` are not kept (counted in :attr:`LoadReport.outside`): the app shows what
    its store holds, and a window asked must be the window shown; those without a
    usable time are kept, as ever (:attr:`LoadReport.undated`). ``s3_client`` is a
    boto3 S3 client made by the data layer; it is needed only for ``s3://`` sources.
    ``fast`` chooses who reads S3 log files (``{"Records": [...]}``): DuckDB, from
    their records cut into lines (True, the default; see
    :mod:`awsir_tui.events.ingest`), or the Python readers (False, for tests that
    compare the two). Any file the fast path refuses is read by the Python readers, so
    the result is the same whichever reads it. ``names``: how the responder named a
    source or file that the load reads as another (the copy of a pipe, ``-``), in the
    report returned and the one kept in the store: that path is gone once the load ends.
    ``ledger``: the load this one continues (:class:`LoadLedger`), which it updates;
    the report returned (and kept in the store) is then of every part; the progress is
    of this part's files.
    """
    ledger = ledger if ledger is not None else LoadLedger()
    prior, done = ledger.report, ledger.done
    window = (after, before)
    held = ReadBefore.of(store, window)

    def skip(work: _Work) -> bool:
        """Not to read: read by this load's part before (L), or held by the store."""
        return work.source in done or held.holds(work.source, work.size, work.stamp)

    started, started_at = time.monotonic(), datetime.now(UTC)
    report = LoadReport(bounds=_bounds(after, before, accounts, regions),
                        after=utc_stamp(after) if after else "",
                        before=utc_stamp(before) if before else "")
    stop = cancel or threading.Event()
    plans: list[tuple[list[_Work], Iterator[_Work]]] = []
    #: The sources whose every file is to be read, with their files' names.
    whole: dict[str, list[str]] = {}
    for source in sources:
        left_out = (report.pruned, report.pruned_regions, len(report.skipped))
        try:
            plan = _plan(
                str(source), s3_client, after, before, accounts, regions, cache_dir,
                stop, report, skip,
            )
        except ArchiveError as exc:
            report.skipped.append(FileProblem(str(source), str(exc), kind=exc.kind))
            continue
        except OSError as exc:
            report.skipped.append(FileProblem(str(source), str(exc)))
            continue
        except Exception as exc:  # S3 denied, endpoint down: one source, not the load
            report.skipped.append(FileProblem(str(source), describe_error(exc)))
            continue
        plans.append(plan)
        if left_out == (report.pruned, report.pruned_regions, len(report.skipped)):
            whole[str(source)] = [work.source for work in plan[0]]
    # What this part reads: a continued load's files done are not read again, nor
    # those an earlier load stored whole (:mod:`.read_before`).
    undone = [work for known, _ in plans for work in known if work.source not in done]
    left = [work for work in undone if not skip(work)]
    report.read_before = len(undone) - len(left)
    files_total, bytes_total = len(left), sum(work.size for work in left)
    source_problems = len(report.skipped)  # not files: not counted as files done

    def progress(stage: str = "", *, timed: bool = True) -> None:
        if timed:
            report.elapsed = time.monotonic() - started
        if on_progress:
            on_progress(
                LoadProgress(
                    report.files_read + len(report.skipped) + len(report.ignored)
                    - source_problems,
                    files_total,
                    report.events,
                    report.bytes,
                    bytes_total,
                    report.elapsed,
                    stage,
                )
            )

    progress()
    load_id = ledger.load_id

    def unfinished() -> LoadReport:
        """The report kept while the load runs: what a store reopened after the app
        stopped during it says the load kept (counted once each batch is stored)."""
        reached = report.files_read + len(report.skipped) + len(report.ignored) - source_problems
        return _with_prior(prior, replace(report, cancelled=True, unfinished=True,
                                          not_reached=max(0, files_total - reached)),
                           untried())

    def untried() -> set[str]:
        """The files of this part not tried yet: neither done nor skipped."""
        if prior is None:  # (only the skipped files of an earlier part are looked up)
            return set()
        tried = done | {problem.source for problem in report.skipped}
        return {work.source for work in left} - tried

    given = names or {}
    shown = [given.get(str(source), str(source)) for source in sources]

    def keep(kept: LoadReport, at: datetime) -> None:
        _keep_in_store(store, load_id, shown, named_as_given(kept, given), at)

    keep(unfinished(), started_at)
    undated_before = _undated(store)
    last_row = store.last_row()
    works = _fetched(itertools.chain.from_iterable(works for _, works in plans), report)
    #: The files read whole that the store does not say it holds yet (:mod:`.read_before`).
    unkept: list[tuple[str, int, str]] = []
    with store.loading(), tempfile.TemporaryDirectory(prefix="awsir-load-") as scratch:
        try:
            batches = _cut_ahead(_batches(works), Path(scratch), fast, stop)
            with contextlib.closing(batches) as cut, _interrupted_by(stop, store.cursor()):
                for batch in cut:
                    if stop.is_set():
                        break
                    # (Not a pipe's copy: its temporary name never comes again.)
                    unkept += [(w.source, w.size, w.stamp)
                               for w in _store_batch(batch, store, report, done)
                               if w.source not in given]
                    progress()
                    if not stop.is_set():  # (a keep interrupted by it would be lost)
                        if remember(store, unkept, window):
                            unkept = []
                        keep(unfinished(), started_at)
        except duckdb.InterruptException:  # C, or EventStore.stop() as the app quits
            stop.set()
        if not store.stopped:  # (C: the batch stored as it came is kept, and said)
            remember(store, unkept, window)
        progress(FINISHING)
        if not store.stopped:  # those of the margin's files: only what was asked is kept
            report.outside = store.remove_outside(after, before, last_row)
            report.events -= report.outside
            report.added -= report.outside
        if not store.stopped:  # counted before duplicates go, as ``events`` is
            report.undated = _undated(store) - undated_before
            report.differing, report.differing_ids = store.differing_copies(
                DIFFERING_EXAMPLES)
        report.added -= store.remove_duplicates()
    report.cancelled = stop.is_set()
    if report.cancelled:
        reached = report.files_read + len(report.skipped) + len(report.ignored) - source_problems
        report.not_reached = max(0, files_total - reached)
    # The load's time, taken once: kept in the store and said by the last progress
    # alike (the two read 16.1 s and 17.9 s at 1M). Taken before the checkpoint, which
    # must write the report into the file too, so its 1-3 s at 1M are not in it.
    report.elapsed = time.monotonic() - started
    whole_load = ledger.report = _with_prior(prior, report, untried())
    if not whole_load.cancelled:
        whole_load.no_log = _holding_no_log(whole, whole_load)
    keep(whole_load, datetime.now(UTC))
    # Compressed under the store's own limit: the checkpoint rewrites the table, and
    # under the load's lower limit it left part of the raw JSON in the spill folder
    # (full text at 1M: 557-575 ms that way, 443-447 ms this way, same peak memory).
    store.compact()
    progress(timed=False)
    return named_as_given(whole_load, given)


def _with_prior(prior: LoadReport | None, part: LoadReport, unread: set[str]) -> LoadReport:
    """The report of a load that ``part`` continues (``prior``, of its parts before;
    None: ``part`` is the whole load): the files, events and bytes of both, the files
    read in part or ignored by either. What comes of listing the sources (the files
    pruned, the folders not listed, the sources not found) is ``part``'s: it listed
    them again. The files ``prior`` skipped are ``part``'s to try again: still
    skipped when ``part`` skipped them too, or ``unread`` (a part cancelled before it
    came to them), else read now."""
    if prior is None:
        return part
    return replace(
        part,
        files_read=prior.files_read + part.files_read,
        events=prior.events + part.events,
        added=prior.added + part.added,
        bytes=prior.bytes + part.bytes,
        elapsed=prior.elapsed + part.elapsed,
        outside=prior.outside + part.outside,
        undated=prior.undated + part.undated,
        differing=prior.differing + part.differing,
        differing_ids=(prior.differing_ids + part.differing_ids)[:DIFFERING_EXAMPLES],
        skipped=[p for p in prior.skipped if p.source in unread] + part.skipped,
        partial=prior.partial + part.partial,
        ignored=prior.ignored + part.ignored,
    )


@contextlib.contextmanager
def _interrupted_by(stop: threading.Event, cursor: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """While the block runs, interrupt the statement ``cursor`` (the loader's) is
    running as soon as ``stop`` is set: C then ends the load within a fraction of a
    second, where it waited for the batch being stored (up to ~4 s at 1M events; DuckDB
    rolls it back, and :func:`_store_batch` counts none of it). DuckDB forgets an
    interrupt that comes between two statements, so it is sent again at every look
    until the block ends (the loop sees ``stop`` between batches itself). Not beyond
    the block: the tidying after it must run whole."""
    done = threading.Event()

    def watch() -> None:
        while not done.wait(_CANCEL_POLL):
            if stop.is_set():
                with contextlib.suppress(duckdb.Error):  # (closed with the store)
                    cursor.interrupt()

    watcher = threading.Thread(target=watch, name="awsir-load-cancel", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()


def _bounds(
    after: datetime | None, before: datetime | None, accounts: Iterable[str] | None,
    regions: Iterable[str] | None,
) -> str:
    """The part of its sources a load reads, in words ("" when all of it)."""
    parts = [time_range_words(after, before)] if after or before else []
    if accounts:
        parts.append("accounts " + ", ".join(sorted(accounts)))
    if regions:
        parts.append("regions " + ", ".join(sorted(regions)))
    return ", ".join(parts)


def time_range_words(after: datetime | None, before: datetime | None) -> str:
    """A load's time range in words, as its report and the app's plan line say it
    ("from 2026-11-30T00:00:00Z, until ..."; "" when open at both ends)."""
    parts = []
    if after is not None:
        parts.append(f"from {utc_stamp(after)}")
    if before is not None:
        parts.append(f"until {utc_stamp(before)}")
    return ", ".join(parts)


def _keep_in_store(
    store: EventStore, load_id: str, sources: Sequence[str | Path], report: LoadReport,
    at: datetime,
) -> None:
    """Keep ``report`` in ``store`` with the sources as a case names them (absolute), so
    that the store file reopened alone says what its events cover
    (:mod:`awsir_tui.events.load_history`). Kept as unfinished (and cancelled) when the
    load starts and after each batch, ``at`` its start, then replaced when it ends (``at``
    then): a load the app quit during, or was killed during, stays an unfinished one,
    with the events and files it had stored by then."""
    if store.stopped or not sources:  # (a store reopened alone: no load to keep)
        return
    named = source_names(sources)
    with contextlib.suppress(duckdb.Error, StoreError):
        store.record_load(load_id, at, named, json.dumps(asdict(report)))


#: ``--source -``: the events piped in (``aws cloudtrail lookup-events … | awsir-tui
#: events --source -``), as ``jq`` and most tools name standard input.
STDIN = "-"


def source_names(sources: Sequence[str | Path]) -> list[str]:
    """The sources as a load keeps them in its store and an export's coverage compares
    them (:func:`~awsir_tui.events.files.source_name`), a path that is not UTF-8
    (``os.fsdecode``'s surrogates) as DuckDB can store it, so that the same folder is
    the same source. The pipe stays :data:`STDIN`, as the messages name it: made
    absolute, it read as a file ``-`` of the current folder (such a file is typed
    ``./-``)."""
    return [storable_path(source_name(where)) if "://" not in where and where != STDIN
            else where
            for where in (str(source) for source in sources) if where]


#: What is said of a load that found no CloudTrail log among its sources
#: (:func:`found_no_log`): on stderr, in the app, and in an export's coverage.
NO_LOG = "no CloudTrail log among the sources"
#: What is said of each of them (:attr:`LoadReport.no_log`), with what it held: one
#: empty folder beside a folder of logs is a wrong path, typed or handed over.
HELD_NO_LOG = "no CloudTrail log in this source"
#: What is said of a ``CloudTrail-Insight/`` folder not listed
#: (:attr:`LoadReport.insights_unlisted`): what it may hold, and what it does not.
INSIGHTS_ONLY = "Insights events only, no call"


def found_no_log(report: LoadReport, sources: Sequence[str]) -> bool:
    """Whether a load of ``sources`` found no CloudTrail log there: none read, none
    left out by the time range or the regions asked (a copy of a bucket read for a week
    it has no log of holds logs, and digests), none unreadable (a log cut short is a
    log, not read whole), and either files that are not logs (an empty pipe, a README
    named) or no file at all: an empty or a wrong folder, whose "loaded 0 events" read
    as "the attacker did nothing". Not an ``s3://`` archive read within bounds: its
    discovery skips the folders outside them unlisted, so finding no file there does
    not say it holds none. Not a load cancelled (in the app) before it read a file: it
    did not look at them all."""
    if (not sources or report.cancelled or report.files_read or report.read_before
            or report.pruned or report.pruned_regions or report.not_read_whole):
        return False
    return bool(report.ignored) or not (
        report.bounds and any(s.startswith("s3://") for s in sources))


def _holding_no_log(whole: Mapping[str, list[str]], report: LoadReport) -> list[FileProblem]:
    """The sources of ``whole`` (each read whole, with its files' names) in which the
    load found no CloudTrail log: no file, or files that are all not logs. Not an
    ``s3://`` archive read within bounds that found no file: its discovery skips the
    folders outside them unlisted (as :func:`found_no_log`)."""
    ignored = {problem.source for problem in report.ignored}
    held = []
    for source, files in whole.items():
        if not files and report.bounds and source.startswith("s3://"):
            continue
        if all(name in ignored for name in files):
            what = ("no file found" if not files else "1 file, not a log" if len(files) == 1
                    else f"{len(files):,} files, none a log")
            held.append(FileProblem(source, what))
    return held


def named_as_given(report: LoadReport, names: Mapping[str, str]) -> LoadReport:
    """``report`` with its files and sources named as ``names`` says the responder
    named them (a pipe's copy as :data:`STDIN`): the copy's temporary path is gone once
    the load ends, and kept in a store it named the pipe's load as a file nobody gave."""
    if not names:
        return report

    def renamed(problems: list[FileProblem]) -> list[FileProblem]:
        return [replace(p, source=names.get(p.source, p.source)) for p in problems]

    return replace(report, skipped=renamed(report.skipped), partial=renamed(report.partial),
                   ignored=renamed(report.ignored), no_log=renamed(report.no_log))


def _undated(store: EventStore) -> int:
    """How many stored events have no usable time. Counted in the store, before and after
    a load (its only writer while it runs), whichever path each file took: a count of
    one column, where the fast path would otherwise have to read every record's time
    in Python (1-2 ms at 200k events on a loaded machine)."""
    return store.count("event_time < ?", [FIRST_USABLE_TIME])


def _fetched(works: Iterator[_Work], report: LoadReport) -> Iterator[_Work]:
    """The files of ``works`` that are here to read. One that could not be fetched is
    listed in ``report`` as soon as it is known, so a cancelled load still lists it."""
    for work in works:
        if work.path is None:
            report.skipped.append(FileProblem(work.source, work.error))
        else:
            yield work


def _batches(works: Iterator[_Work]) -> Iterator[list[_Work]]:
    """``works`` in batches: the first of one file, so that rows show at once, then
    four times bigger each time, up to :data:`_BATCH_FILES` or :data:`_BATCH_BYTES`."""
    batch: list[_Work] = []
    size, limit = 0, 1
    for work in works:
        batch.append(work)
        size += work.size
        if len(batch) >= limit or size >= _BATCH_BYTES:
            yield batch
            batch, size, limit = [], 0, min(limit * 4, _BATCH_FILES)
    if batch:
        yield batch


@dataclass(frozen=True, slots=True)
class _Batch:
    """A batch of files, its S3 log files cut into record lines (one file for DuckDB)."""

    works: list[_Work]
    lines: Path
    #: The files whose records are in ``lines``, each with its number of entries in
    #: ``Records``; the Python readers take the others.
    cut: dict[Path, int]


def _cut(works: list[_Work], lines: Path, fast: bool, stop: threading.Event) -> _Batch:
    """Cut every S3 log file of ``works`` into ``lines`` (none when not ``fast``), until
    ``stop`` is set: a cancelled load does not wait for the rest of a batch it drops.

    Nothing here may cost more than the files it touches: a file the cutter fails on
    goes to the Python readers, so do the files after :data:`_MAX_LINES_BYTES`, and if
    ``lines`` cannot be written (a full disk) the whole batch does.
    """
    cut: dict[Path, int] = {}
    if not fast:
        return _Batch(works, lines, cut)
    written = 0
    try:
        with lines.open("wb") as out:
            for work in works:
                if stop.is_set():
                    break
                if work.path is None or written > _MAX_LINES_BYTES:
                    continue
                try:
                    records = record_lines(work.path)
                except Exception:  # a cutter bug: the Python readers report the file
                    records = None
                if records is not None:
                    out.write(records.text)
                    out.write(b"\n")
                    written += len(records.text)
                    cut[work.path] = records.entries
    except OSError:
        cut = {}
    return _Batch(works, lines, cut)


def _cut_ahead(
    batches: Iterator[list[_Work]], scratch: Path, fast: bool, stop: threading.Event
) -> Generator[_Batch, None, None]:
    """Each of ``batches``, cut (:func:`_cut`) on a thread of its own, one batch ahead:
    while DuckDB stores one batch (on both cores, the GIL released), the next is cut."""
    pool = ThreadPoolExecutor(1, thread_name_prefix="awsir-cut")
    queue: deque[Future[_Batch]] = deque()
    try:
        for index, works in enumerate(batches):
            queue.append(pool.submit(_cut, works, scratch / f"{index}.jsonl", fast, stop))
            while queue and (len(queue) > 1 or queue[0].done()):
                yield queue.popleft().result()
        while queue:
            yield queue.popleft().result()
    finally:  # cancelled, or done: batches not yet cut are not cut
        pool.shutdown(wait=True, cancel_futures=True)


def _store_batch(
    batch: _Batch, store: EventStore, report: LoadReport, done: set[str]
) -> list[_Work]:
    """Store one batch: its record lines in one statement, the files not cut (or
    refused) through the Python readers; account for every file in ``report``, and add
    those done with (stored, or not logs) to ``done`` (:class:`LoadLedger`). Returns
    the files read whole, for the store to keep (:mod:`.read_before`).

    A file is counted once its events are stored: a statement interrupted (C, or the
    app quitting) stores nothing, and the files it had are left for ``not_reached``.
    Where a batch takes several statements (the Python readers' events go 20,000 at a
    time; a refused batch is stored again file by file) an interrupt may leave part of
    it stored and not counted: the report then says fewer events than the store holds,
    never more, and the files stay "not reached", so the load still reads as partial."""
    inserted, refused = (
        insert_lines(store, batch.lines, list(batch.cut)) if batch.cut else (0, [])
    )
    batch.lines.unlink(missing_ok=True)
    stored = set(batch.cut) - set(refused)
    taken = [w for w in batch.works if w.path in stored]
    if inserted < sum(batch.cut[path] for path in stored):
        taken = _report_not_records(taken, batch.cut, report)
    report.files_read += len(taken)
    done.update(work.source for work in taken)
    in_part = {problem.source for problem in report.partial}
    whole = [work for work in taken if work.source not in in_part]
    report.events += inserted
    report.added += inserted  # less the duplicates, counted at the end
    report.bytes += sum(w.size for w in taken)
    leftovers = [w for w in batch.works if w.path is not None and w.path not in stored]
    read = [(work, *_read_python(work)) for work in leftovers]
    # One statement per batch; duplicates go once at the end of the load.
    try:
        report.added += store.add_events(
            (e for _, events, _ in read for e in events), deduplicate=False
        )
    except duckdb.InterruptException:
        raise  # none of them counted (chunks stored before it stay: see above)
    except duckdb.Error:  # find the file the store refuses; keep the others
        for work, events, outcome in read:
            try:
                report.added += store.add_events(events, deduplicate=False)
            except duckdb.InterruptException:
                raise  # the files stored before it are counted, it and the rest not
            except duckdb.Error as exc:
                outcome = LoadReport(skipped=[FileProblem(work.source, f"not stored: {exc}")],
                                     bytes=outcome.bytes)
            _count_in(report, work, outcome, done, whole)
        return whole
    for work, _, outcome in read:
        _count_in(report, work, outcome, done, whole)
    return whole


def _count_in(
    report: LoadReport, work: _Work, outcome: LoadReport, done: set[str], whole: list[_Work]
) -> None:
    """Add one file's ``outcome`` (:func:`_read_python`) to the load's ``report``, the
    file to ``done`` unless it was skipped (see :class:`LoadLedger`), and to ``whole``
    if its events were read whole."""
    if not outcome.skipped:
        done.add(work.source)
    if outcome.files_read and not (outcome.skipped or outcome.partial or outcome.ignored):
        whole.append(work)
    report.files_read += outcome.files_read
    report.events += outcome.events
    report.bytes += outcome.bytes
    report.skipped += outcome.skipped
    report.partial += outcome.partial
    report.ignored += outcome.ignored


def _report_not_records(
    works: list[_Work], entries: dict[Path, int], report: LoadReport
) -> list[_Work]:
    """List as read in part each of ``works`` (stored by DuckDB) that has entries in
    ``Records`` that are not records (not objects, or objects with neither of a
    record's names), which DuckDB passed over; as skipped each that has nothing else,
    as the Python readers say such a file. Returns the works that held records. Looked
    for only when a batch stored fewer rows than its files have entries: checking every
    entry of every file as it is cut cost 3% of a load's CPU, for what CloudTrail never
    writes."""
    read = []
    for work in works:
        assert work.path is not None
        kinds = not_records(work.path)
        note = not_records_note(kinds, "in Records")
        kept = entries[work.path] - len(kinds)
        if not kept:
            report.skipped.append(FileProblem(work.source, note))
            continue
        if kinds:
            report.partial.append(FileProblem(work.source, note, kept=kept))
        read.append(work)
    return read


def _read_python(work: _Work) -> tuple[list[Event], LoadReport]:
    """Read one file with the Python readers: its events, and its outcome as a report
    of that file alone, for the load's report once the events are stored."""
    assert work.path is not None
    outcome = LoadReport()
    try:
        result: FileResult = read_file(work.path, work.source)
    except Exception as exc:  # a reader bug must cost one file, never the load
        outcome.skipped.append(
            FileProblem(work.source, f"could not be read ({type(exc).__name__}: {exc})")
        )
        return [], outcome
    outcome.bytes = result.size or work.size
    if result.not_a_log:
        outcome.ignored.append(FileProblem(work.source, result.problem))
        return [], outcome
    if result.skipped:
        outcome.skipped.append(FileProblem(work.source, result.problem,
                                           kind=UNREADABLE if result.unopened else ""))
        return [], outcome
    outcome.files_read = 1
    outcome.events = len(result.events)
    if result.problem:
        outcome.partial.append(
            FileProblem(work.source, result.problem, kept=len(result.events))
        )
    return result.events, outcome


def _plan(
    source: str,
    s3_client: Any,
    after: datetime | None,
    before: datetime | None,
    accounts: Iterable[str] | None,
    regions: Iterable[str] | None,
    cache_dir: Path | None,
    stop: threading.Event,
    report: LoadReport,
    skip: Callable[[_Work], bool],
) -> tuple[list[_Work], Iterator[_Work]]:
    """The files of one source: (all of them, known up front for the progress bar;
    an iterator yielding each as soon as it is local, but for those to ``skip``: a
    continued load's files read already, or those the store holds, not fetched
    again). Parts of the source that cannot be read (an S3 folder that cannot be
    listed) are added to ``report.skipped``, local files outside the time bounds to
    ``report.pruned``, outside ``regions`` to ``report.pruned_regions``."""
    if source.startswith("s3://"):
        if s3_client is None:
            raise ArchiveError("no AWS credentials to read it with")
        archive = S3Archive(
            s3_client,
            source,
            accounts=frozenset(accounts) if accounts else None,
            regions=frozenset(regions) if regions else None,
            after=after,
            before=before,
            cache_dir=cache_dir or default_cache_dir(),
        )
        objects = newest_first(archive.discover(), lambda o: o.key)
        for kept, problems in ((report.skipped, archive.problems),
                               (report.insights_unlisted, archive.insight_problems)):
            kept += [FileProblem(f"s3://{archive.bucket}/{prefix}", f"cannot list: {reason}")
                     for prefix, reason in problems]
        known = [_Work(f"s3://{archive.bucket}/{o.key}", None, o.size, stamp=o.etag)
                 for o in objects]
        fetched = (
            _Work(f"s3://{archive.bucket}/{f.obj.key}", f.path, f.obj.size, f.error,
                  f.obj.etag)
            for f in archive.fetch([o for o, work in zip(objects, known, strict=True)
                                    if not skip(work)], stop.is_set)
        )
        return known, fetched
    root = Path(source).expanduser()
    try:
        there = root.exists()
    except OSError as exc:  # under a folder it may not enter
        raise ArchiveError(str(exc), UNREADABLE) from exc
    if not there:
        raise ArchiveError("no such file or folder", MISSING)  # the problem names the source
    # A copy of a trail bucket keeps CloudTrail's names and folders: prune by their
    # delivery time as for S3 (only when a time bound is given; a folder named as such
    # is kept), and by the region they are of when regions are asked.
    low, high = delivery_window(after, before)
    asked = frozenset(regions) if regions else None

    named = root.is_file()

    def pruned_by(path: Path) -> str:
        """Why ``path`` is not read: "time" or "region"; "unapplied" when it is read
        whole although ``--regions`` was given, its region not known or, for a file
        named, not asked (a file named is always read); "" when it is read."""
        if named:
            return ("unapplied" if asked is not None and layout_region(str(path)) not in asked
                    else "")
        if not dated_in(path, low, high):
            return "time"  # its folders not read: most of a long archive goes here
        if asked is None:
            return ""
        region = layout_region(str(path))
        if region is None:
            return "unapplied"
        return "region" if region not in asked else ""

    unreadable: list[tuple[Path, str]] = []
    every = list(iter_files(root, unreadable))
    # Not read, as a damaged file is not: the events are partial (pruned alike).
    judged = [(p, "", pruned_by(p)) for p in every]
    judged += [(p, why, pruned_by(p)) for p, why in unreadable]
    report.pruned += sum(pruned == "time" for _, _, pruned in judged)
    report.pruned_regions += sum(pruned == "region" for _, _, pruned in judged)
    # Counted among the files read, not the unreadable ones (no events of any region).
    report.regions_unapplied += sum(not why and pruned == "unapplied"
                                    for _, why, pruned in judged)
    read = ("", "unapplied")
    # The source itself in ``unreadable``: its own folder could not be listed (nor
    # walked: a pipe named as the source); nothing was read from it.
    report.skipped += [FileProblem(str(p), why, kind=UNREADABLE if p == root else "")
                       for p, why, pruned in judged if why and pruned in read]
    paths = newest_first([p for p, why, pruned in judged if not why and pruned in read], str)
    files = [_Work(str(p), p, status.st_size, stamp=local_stamp(status))
             for p, status in ((p, p.stat()) for p in paths)]
    return files, (work for work in files if not skip(work))

