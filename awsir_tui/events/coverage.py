"""What an events export holds of what its filter asked for, written beside it.

An export of Event history made while the regions are still being read, or after the
read stopped at its cap, or with a region denied, holds only part of the matching
events; an archive export made during the load, or after files were skipped, too. The
file itself cannot say so (JSON lines must stay one record a line, and a CSV row more
would be read as an event), so every export gets a sidecar, ``NAME.coverage.txt``: the
filter, what ran where, the time range, the regions asked and those that failed, from
when to when the rows are complete, and whether the read was still running or capped.
Whoever receives the export receives the sidecar with it and knows what is missing.
Everything in it that came from outside (the filter, which may search a leaked secret
as a bare word; file names; reasons that hold an exception's text) is redacted as the
export is (:func:`~awsir_tui.case.secrets.safe_text`).

Written by the viewer's ``x``/``X`` and by ``awsir-tui events --output``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from awsir_tui.aws.cloudtrail import BeyondHistory, EventLookup, LookupProgress
from awsir_tui.aws.errors import Failure
from awsir_tui.case.secrets import safe_text
from awsir_tui.events.load_history import StoredLoad, any_unrecorded, unsettled
from awsir_tui.events.loader import (
    HELD_NO_LOG,
    INSIGHTS_ONLY,
    KEPT_FIRST,
    NO_LOG,
    FileProblem,
    LoadProgress,
    LoadReport,
    found_no_log,
    source_names,
    time_range_words,
)
from awsir_tui.events.unreadable import (
    Unreadable,
    files_not_read_whole,
    skipped_files,
    unreadable_sources,
)
from awsir_tui.query import FilterError, parse
from awsir_tui.query.fields import EVENT_FIELDS
from awsir_tui.query.times import utc_stamp
from awsir_tui.text import count_of

#: Appended to an export's file name to name its coverage sidecar.
SIDECAR_SUFFIX = ".coverage.txt"
#: How many skipped or partly read files a sidecar names (the rest are counted).
_FILES_NAMED = 50


def sidecar_path(export: Path) -> Path:
    """The coverage file written beside ``export``."""
    return export.with_name(export.name + SIDECAR_SUFFIX)


@dataclass(frozen=True, slots=True)
class Coverage:
    """What an export covers: say it with :meth:`partial` (short reasons, for a notice)
    and :meth:`text` (the sidecar)."""

    #: "Event history (LookupEvents)" or the archive's sources.
    source: str
    #: The filter as typed ("" = every event).
    filter: str
    #: What ran where (the planner's line, or "run on the store").
    plan: str
    #: Event history: the read and its range.
    read: LookupProgress | None = None
    regions: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    #: Event history: what of the range asked it no longer keeps (None: it keeps all).
    beyond: BeyondHistory | None = None
    #: An archive: whether its load still runs, its progress then, its report once done.
    load_running: bool = False
    loading: LoadProgress | None = None
    report: LoadReport | None = None
    #: Every region asked, but the account would not list them: why only these.
    unlisted: str = ""
    #: Headless ``--limit`` on an archive: how many events matched in all.
    matching: int | None = None
    limit: int | None = None
    #: A drill-down (Enter on a ``:stack`` group or a finding): the filter of the view
    #: it came from, whose rows its own filter narrows (None: not a drill-down), and
    #: what the drill-down shows.
    parent_filter: str | None = None
    drill_down: str = ""
    #: What the rows are when their filter only lists them (a finding's events: its
    #: title, technique and rule; the filter is its event IDs); "" when the filter
    #: says it.
    named: str = ""
    #: Why what the export holds of its source cannot be told (a store file reopened
    #: alone, made before its loads were kept in it); "" when it can.
    unknown: str = ""
    #: The loads a store file held before this session's, kept in it (oldest first):
    #: their events are among the rows, and what they left out too.
    earlier: tuple[StoredLoad, ...] = ()
    #: This session's archives (absolute), which a later load must read whole to settle
    #: an earlier load's missing events.
    archives: tuple[str, ...] = ()

    def state(self) -> str:
        """``NO LOG``, ``NOT KEPT``, ``NO SUCH PATH`` (or ``CANNOT READ``), ``PARTIAL``,
        ``UNKNOWN`` or ``COMPLETE``: the first words of :meth:`verdict`, for a status
        line."""
        if self.no_log():
            return "NO LOG"
        if self.not_kept() is not None:
            return "NOT KEPT"
        if nothing := self._nothing_there():
            return nothing[0].word
        if self.partial():
            return "PARTIAL"
        return "UNKNOWN" if self.unknown else "COMPLETE"

    def verdict(self, full_times: bool = False) -> str:
        """``NO LOG: <why>[; <reasons>]``, else ``NOT KEPT: <why>[; <reasons>]``, else
        ``NO SUCH PATH <source>[; <reasons>]`` when no source was there to read (a
        mistyped path: its "0 events" are not PARTIAL of a log), else ``PARTIAL:
        <reasons>``, else ``UNKNOWN: <why>``, else ``COMPLETE``."""
        reasons = self.partial(full_times)
        if self.no_log():  # and what else the rows lack (an earlier load kept in --store)
            return "; ".join([f"NO LOG: {NO_LOG}", *reasons])
        not_kept = self.not_kept()
        if not_kept is not None:
            return "; ".join([f"NOT KEPT: {not_kept.reason(full_times)}", *reasons])
        if self._nothing_there():  # the reasons start with each source's NO SUCH PATH
            return "; ".join(reasons)
        if reasons:
            return "PARTIAL: " + "; ".join(reasons)
        return f"UNKNOWN: {self.unknown}" if self.unknown else "COMPLETE"

    def no_log(self) -> bool:
        """Whether no load found a CloudTrail log (:func:`held_no_log`): this session's
        is over and its sources held none, or it read none (a store file reopened
        alone), and no earlier load kept in the store found any. Its export said
        COMPLETE with 0 events, read as "the archive holds no matching event". With
        earlier loads of logs the rows are theirs: a reason, not the verdict
        (:meth:`partial`)."""
        return not self.load_running and held_no_log(self.report, self.archives, self.earlier)

    def not_kept(self) -> BeyondHistory | None:
        """The range asked, when it lies wholly before what Event history keeps: the
        read answered nothing, and its "0 events" read as "nothing happened"."""
        return self.beyond if self.beyond is not None and self.beyond.wholly else None

    def _unreadable(self) -> list[Unreadable]:
        """This session's sources that gave nothing, not there or not readable at all
        (:func:`unreadable_sources`), once its load is over."""
        if self.report is None or self.load_running:
            return []
        return unreadable_sources(self.report, self.archives)

    def _nothing_there(self) -> list[Unreadable]:
        """:meth:`_unreadable`, when they are every source and nothing else is among the
        rows (no earlier load kept in the store): the verdict is theirs; else []."""
        gone = self._unreadable()
        whole = len(gone) == len(self.archives) and not self.earlier
        return gone if gone and whole else []

    def _found_no_log(self) -> bool:
        """Whether this session's load is over and its sources held no CloudTrail log."""
        return (self.report is not None and not self.load_running
                and found_no_log(self.report, self.archives))

    def caveats(self) -> list[str]:
        """What a view over these events says they lack: that the sources held no log
        (:meth:`no_log`) first, then :meth:`partial`'s reasons. :findings and :stack
        said nothing over an empty folder: 0 findings read as a clean account. So for a
        range Event history no longer keeps (:meth:`not_kept`)."""
        not_kept = self.not_kept()
        return (([NO_LOG] if self.no_log() else [])
                + ([not_kept.reason()] if not_kept is not None else []) + self.partial())

    def partial(self, full_times: bool = False) -> list[str]:
        """Why the export is not every matching event; [] if it is. Times as the
        status line shows them (month, day, time), or whole (``full_times``: a file
        read next year)."""
        reasons: list[str] = []
        read = self.read
        if self.beyond is not None and not self.beyond.wholly:  # months, first: not cut
            reasons.append(self.beyond.reason(full_times))
        if self.unlisted:
            reasons.append(safe_text(self.unlisted))
        if read is not None:
            if read.running:
                reasons.append(
                    f"still loading ({read.regions_done}/{read.regions} regions done)"
                )
            elif read.complete_after is not None:
                after = read.complete_after
                shown = utc_stamp(after) if full_times else f"{after:%m-%d %H:%M:%S} UTC"
                # Cancelled, not stopped at its cap: the verdict, first line of the
                # coverage file, says so (only its read: line below did).
                stopped = "read cancelled, " if read.cancelled else ""
                reasons.append(f"{stopped}only complete after {shown}")
            reasons.extend(failed_regions(read.failures))
        if self.load_running:
            files = self.loading
            done = f" ({files.files_done:,}/{files.files_total:,} files)" if files else ""
            reasons.append(f"still loading{done}")
        if self.report is not None:
            if self.report.cancelled:
                reached = self.report.not_reached
                reasons.append("the load was cancelled" + (
                    f" ({count_of(reached, 'file')} not reached)" if reached else ""))
            # First: a wrong path is the first thing to put right.
            reasons[:0] = [safe_text(gone.said(absolute=True), 300) for gone in self._unreadable()]
            left_out = files_not_read_whole(self.report, self.archives)
            if left_out:
                reasons.append(f"{count_of(left_out, 'file')} not read whole")
            if self.earlier and self._found_no_log() and not self.no_log():  # a wrong path
                reasons.append(f"this run's sources: {NO_LOG} (the rows are earlier loads')")
            if _reaches_beyond(self.report, self.filter):
                reasons.append(f"the load kept only the events {_kept_range(self.report)}, "
                               "and the filter reaches beyond them")
        # Not settled by a later load: the copy kept is the one read first, whichever.
        reasons.extend(_differing(report) for report in self._reports() if report.differing)
        reasons.extend(f"an earlier load, of {safe_text(load.label())}, {_missed(load)}"
                       for load in self._earlier_unsettled())
        if self.limit is not None and self.matching is not None and self.matching > self.limit:
            reasons.append(f"stopped at --limit {self.limit:,} of {self.matching:,}")
        return reasons

    def text(self, export: Path, written: int, when: datetime | None = None) -> str:
        """The sidecar's content: ``key: value`` lines, the verdict first."""
        lines = [
            f"coverage: {self.verdict(full_times=True)}",
            f"export: {safe_text(export.name)}",
            f"events written: {written:,}",
            f"exported at: {utc_stamp(when or datetime.now(UTC))}",
            f"source: {safe_text(self.source)}",
            f"filter: {safe_text(self.filter) if self.filter else '(none: every event)'}",
        ]
        if self.named:
            lines.append(f"events of {safe_text(self.named)}")
        if self.parent_filter is not None:
            parent = safe_text(self.parent_filter) or "(none: every event)"
            shows = safe_text(self.drill_down)
            lines.append(f"drilled down ({shows}) from the filter: {parent}")
        lines.append(f"ran: {safe_text(self.plan)}")
        if self.read is not None:
            lines += self._history_lines(self.read)
        lines += self._archive_lines()
        if self.limit is not None and self.matching is not None:
            lines.append(f"matching events: {self.matching:,} (--limit {self.limit:,})")
        return "\n".join(lines) + "\n"

    def _history_lines(self, read: LookupProgress) -> list[str]:
        failed = {region for region, _ in read.failures}
        lines = []
        if self.start is not None and self.end is not None:
            lines.append(f"range asked: {utc_stamp(self.start)} to {utc_stamp(self.end)}")
        asked = ", ".join(safe_text(r) for r in self.regions) or "(none)"
        lines.append(f"regions asked: {asked}")
        if read.running:
            state = f"still loading when exported: {read.regions_done}/{read.regions} regions done"
        elif read.capped:
            state = f"stopped at the cap of {read.matched:,} matching events; more match"
        elif read.complete_after is not None:
            state = "stopped short (cancelled)"
        else:
            state = "finished"
        lines.append(f"read: {state}")
        if not read.running and read.complete_after is None:
            answered = [safe_text(r) for r in self.regions if r not in failed]
            lines.append(f"regions read to the end: {', '.join(answered) or '(none)'}")
        for region, failure in read.failures:
            lines.append(f"region failed: {safe_text(region)}: {safe_text(str(failure), 300)}")
        end = utc_stamp(self.end) if self.end is not None else "the end of the range"
        if read.complete_after is None:
            complete = (
                f"{utc_stamp(self.start)} to {end}" if self.start is not None else "the whole range"
            )
        elif self.end is not None and read.complete_after >= self.end:
            complete = "none of the range (a region had not read any of it yet)"
        else:
            complete = (
                f"after {utc_stamp(read.complete_after)} to {end}; before that, only the events "
                "of the regions that had read that far back"
            )
        suffix = ", from every region that did not fail" if read.failures else ""
        lines.append(f"complete: {complete}{suffix}")
        return lines

    def _archive_lines(self) -> list[str]:
        lines = []
        progress = self.loading
        if self.load_running:
            done = (
                f": {progress.files_done:,}/{progress.files_total:,} files, "
                f"{count_of(progress.events, 'event')}" if progress is not None else ""
            )
            lines.append(f"load: still loading when exported{done}")
        elif self.report is not None:
            report = self.report
            lines.append(f"load: {report.summary()}")
            if report.after or report.before:  # the app's --after: its filter may not say it
                lines.append(f"time range loaded: {_kept_range(report)} (no other event kept)")
            if report.undated:
                lines.append(f"undated: {report.undated_note()}")
            if report.differing:
                lines.append(f"copies differ: {safe_text(report.differing_note(), 1000)}")
            lines += [f"{safe_text(gone.said(absolute=True), 300)}: {safe_text(gone.why(), 300)}"
                      for gone in self._unreadable()]
            lines += _not_read_whole(report, self.archives)
            # Listed, as every file left out is, but apart: they leave no event out.
            ignored = [("ignored, not a log", p) for p in report.ignored]
            lines += _named(ignored, "files ignored (not logs), not named here")
            lines += [f"{HELD_NO_LOG}: {safe_text(p.source, 300)} ({safe_text(p.reason)})"
                      for p in report.no_log]
            # Not a reason for PARTIAL: no call is left out (LoadReport.insights_unlisted).
            lines += [f"not listed ({INSIGHTS_ONLY}): {safe_text(p.source, 300)}: "
                      f"{safe_text(p.reason, 300)}" for p in report.insights_unlisted]
        unsettled_loads = self._earlier_unsettled()
        for load in self.earlier:
            lines.append(f"earlier load: {safe_text(load.label())}: "
                         f"{safe_text(load.report.summary(), 1000)}")
            if load in unsettled_loads:
                lines += _not_read_whole(load.report, load.sources)
            if load.report.differing:
                lines.append(f"copies differ: {safe_text(load.report.differing_note(), 1000)}")
        return lines

    def _reports(self) -> list[LoadReport]:
        """The reports of the loads the rows came from: the earlier ones, then this one."""
        mine = [self.report] if self.report is not None and not self.load_running else []
        return [load.report for load in self.earlier] + mine

    def _earlier_unsettled(self) -> list[StoredLoad]:
        """:func:`earlier_unsettled`, this session's load counted once it is over."""
        report = None if self.load_running else self.report
        return earlier_unsettled(report, self.archives, self.earlier)


def earlier_unsettled(
    report: LoadReport | None, archives: Sequence[str], earlier: Sequence[StoredLoad]
) -> list[StoredLoad]:
    """The loads kept from before (``earlier``) whose missing events no later load
    brought in by reading the same sources whole, this session's (of ``archives``,
    named absolute as :func:`source_names` names them; ``report`` once it is done)
    included."""
    loads = list(earlier)
    if report is not None:
        loads.append(StoredLoad(datetime.max.replace(tzinfo=UTC), tuple(archives), report))
    return [load for load in unsettled(loads) if load in earlier]


def _not_read_whole(report: LoadReport, sources: Sequence[str]) -> list[str]:
    """A line for each file ``report`` (a load of ``sources``) skipped or read in part
    (:func:`_named`), not a source that gave nothing (:func:`skipped_files`)."""
    problems = [("skipped", p) for p in skipped_files(report, sources)]
    problems += [("read in part", p) for p in report.partial]
    return _named(problems, "files not read whole, not named here")


def _named(problems: list[tuple[str, FileProblem]], more_key: str) -> list[str]:
    """A line for each of the first :data:`_FILES_NAMED` ``problems``, then how many
    more there are under ``more_key``."""
    lines = []
    for kind, problem in problems[:_FILES_NAMED]:
        source, reason = safe_text(problem.source, 300), safe_text(problem.reason, 300)
        lines.append(f"file {kind}: {source}: {reason}")
    if len(problems) > _FILES_NAMED:
        lines.append(f"{more_key}: {len(problems) - _FILES_NAMED:,}")
    return lines


def held_no_log(
    report: LoadReport | None, archives: Sequence[str], earlier: Sequence[StoredLoad]
) -> bool:
    """Whether the store's events came from no CloudTrail log: every load it kept
    from before found none among its sources, and so did this session's load of
    ``archives`` (done: ``report``), or there was none (a store file reopened alone,
    which said COMPLETE over its 0 events when its only load had said NO LOG)."""
    if not all(load.held_no_log() for load in earlier):
        return False
    if archives:
        return report is not None and found_no_log(report, archives)
    return bool(earlier)


def failed_regions(failures: Iterable[tuple[str, Failure]]) -> list[str]:
    """Regions that failed, grouped by why: one alone as ``eu-west-1: denied``, several
    as ``throttled in 17 regions: us-east-1, …``. Throttling hits many regions at once,
    and a reason per region filled a status line and an export's verdict, pushing out
    what else was partial."""
    by_kind: dict[str, list[str]] = {}
    for region, failure in failures:
        by_kind.setdefault(failure.kind.value, []).append(safe_text(region))
    return [f"{regions[0]}: {kind}" if len(regions) == 1
            else f"{kind} in {len(regions)} regions: {', '.join(regions)}"
            for kind, regions in by_kind.items()]


def history_coverage(lookup: EventLookup, filter_text: str, plan: str) -> Coverage:
    """The coverage of an Event history read as it stands now, with why its regions
    are fewer than asked when they could not be listed (the lookup keeps it: the TUI's
    reads and the commands' alike)."""
    return Coverage(
        source="Event history (LookupEvents)", filter=filter_text, plan=plan,
        read=lookup.progress(), regions=tuple(lookup.regions), start=lookup.start,
        end=lookup.end, unlisted=lookup.unlisted, beyond=lookup.beyond,
    )


def archive_coverage(
    sources: Sequence[str],
    filter_text: str,
    plan: str,
    running: bool = False,
    loading: LoadProgress | None = None,
    report: LoadReport | None = None,
    matching: int | None = None,
    limit: int | None = None,
    earlier: Sequence[StoredLoad] = (),
) -> Coverage:
    """The coverage of an export from archives loaded into the store (``sources``
    empty: a ``--store`` file reopened alone; a local one named by its absolute path);
    ``running``: the load still runs; ``earlier``: the loads the store kept from
    before this session."""
    # Absolute: the sidecar is read elsewhere, by someone not in the folder typed in.
    named = source_names(sources)
    if named:
        source = ", ".join(named)
    elif earlier:
        source = "a --store file reopened, holding the events of its loads of " + "; ".join(
            load.label() for load in earlier)
    else:
        source = "a --store file reopened (its events as kept)"
    return Coverage(
        source=f"archive: {source}", filter=filter_text, plan=plan, load_running=running,
        loading=loading, report=report, matching=matching, limit=limit,
        unknown=REOPENED if (not named and not earlier) or any_unrecorded(earlier) else "",
        earlier=tuple(earlier),
        archives=tuple(named),
    )


def _kept_range(report: LoadReport) -> str:
    """The time range a load kept to, in words ("from 2026-11-30T00:00:00Z")."""
    return time_range_words(_stamp(report.after), _stamp(report.before))


def _stamp(text: str) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _reaches_beyond(report: LoadReport, filter_text: str) -> bool:
    """Whether an export's filter asks for events of a time the load did not keep (#5:
    the app loads ``--after``'s range, and its events view's filter may say no time).
    The headless commands' filter holds the range they loaded: never beyond it."""
    if not (report.after or report.before):
        return False
    try:
        query = parse(filter_text, EVENT_FIELDS)
    except FilterError:  # (not a filter of the store's: say it, rather than not)
        return True
    low, high = _stamp(report.after), _stamp(report.before)
    return bool((low and (query.after is None or query.after < low))
                or (high and (query.before is None or query.before > high)))


def _differing(report: LoadReport) -> str:
    """The verdict's reason for a load that read copies of an event that differ: the
    export holds one of them only, and one was altered (or made up)."""
    return (f"{count_of(report.differing, 'event ID')} read twice with copies that differ "
            f"({KEPT_FIRST}; the other copy is not in the export)")


def _missed(load: StoredLoad) -> str:
    """What an earlier load left out, for a reason: ``was cancelled`` (by the responder),
    ``was stopped with the app`` (which quit, or was killed, during it), ``left 2 files
    not read whole``, ``NO SUCH PATH /tmp/nosuchdir``."""
    report = load.report
    missed = []
    if report.unfinished:
        missed.append("was stopped with the app (quit or killed during it)")
    elif report.cancelled:
        missed.append("was cancelled")
    missed += [safe_text(unreadable.said()) for unreadable in
               unreadable_sources(report, load.sources)]
    if left := files_not_read_whole(report, load.sources):
        missed.append(f"left {count_of(left, 'file')} not read whole")
    if report.bounds:
        missed.append(f"read only {safe_text(report.bounds)}")
    return " and ".join(missed)


#: Why the coverage of a store file reopened alone is not known.
REOPENED = ("a --store file filled (in part) before awsir-tui kept its loads in it: what "
            "those loads left out is not known (the coverage of an export made then says)")
