"""`:load`: what the archive load read, and every file it skipped or read in part, why.

A folder handed over at 3 a.m. holds truncated downloads, files of another tool and
empty ones. The load goes on past each, and the responder must be able to see, at any
time and in full, which files were left out and why: the notice at the end of a load
lists five and fades, and a status line at 80 columns cuts the counts. This page keeps
the whole list, each path and reason wrapped, never cut, in the status line's words:
the files "not read whole" (skipped, or read in part) are the ones that make the events
partial; the files that are not logs (a README) are listed apart, ignored. When the
folders hold the trail's digest files, the page checks the logs against them once the
load is done (:mod:`awsir_tui.events.digests`): changed, removed or added since
delivery, or INTACT.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from awsir_tui.events.digests import DigestCheck
from awsir_tui.events.load_history import StoredLoad, unsettled
from awsir_tui.events.loader import (
    INSIGHTS_ONLY,
    NO_LOG,
    FileProblem,
    LoadReport,
    found_no_log,
)
from awsir_tui.events.sources import ArchiveSource
from awsir_tui.events.unreadable import (
    files_not_read_whole,
    skipped_files,
    unreadable_sources,
)
from awsir_tui.text import clean, count_of
from awsir_tui.ui.base import TextScroll, View, app_of
from awsir_tui.ui.events_view import continue_archive_load

#: How often the page follows a load still running (seconds).
REFRESH_EVERY = 1.0


def report_text(
    sources: list[str], report: LoadReport | None, earlier: Sequence[StoredLoad] = (),
    integrity: DigestCheck | str | None = None,
) -> Text:
    """The page: the sources, the integrity of their logs (``integrity``: the check
    against the digest files, or what it is doing), the summary, then each skipped and
    partly read file; and the loads a ``--store`` file kept from earlier sessions
    (``earlier``), whose events are among the rows too."""
    text = Text()
    if isinstance(integrity, DigestCheck):
        lines = integrity.lines()
        text.append(f"{clean(lines[0])}\n", style="bold green" if integrity.intact()
                    else "bold red" if integrity.altered() else "bold yellow")
        text.append("".join(f"{clean(_below_sources(line, sources))}\n"
                            for line in lines[1:]), style="dim")
        text.append("\n")
    elif integrity:
        text.append(f"{integrity}\n\n", style="yellow")
    if not sources and earlier:
        text.append("No archive was loaded in this session: the events are those the "
                    "--store file kept from its loads.\n")
    elif not sources:
        text.append("No archive was loaded in this session: the events come from ")
        text.append("Event history, or from a --store file reopened alone.\n", style="dim")
    else:
        _this_load(text, sources, report)
    _earlier_loads(text, earlier)
    return text


def _this_load(text: Text, sources: list[str], report: LoadReport | None) -> None:
    text.append("Sources\n", style="bold")
    for source in sources:
        text.append(f"  {clean(source)}\n")
    if report is None:
        text.append("\nloading\u2026 (this page follows the load)\n", style="yellow")
        return
    text.append("\n")
    _load_report(text, report, sources)


def _load_report(text: Text, report: LoadReport, sources: Sequence[str]) -> None:
    # (clean: a report kept in a store file is read back from the file)
    text.append(clean(report.summary()) + "\n", style="yellow" if report.cancelled else "")
    # A source not there (a mistyped path) first, as what it is: counted among the files
    # not read whole, it read as a damaged log, the events partial.
    gone = unreadable_sources(report, sources)
    for unreadable in gone:
        text.append(f"\n{clean(unreadable.said())}\n", style="bold red")
        text.append(f"  {clean(unreadable.why())}\n", style="dim")
    if found_no_log(report, sources):  # "every log file was read whole", of none
        text.append(f"\nNothing was read: {NO_LOG}.\n", style="bold yellow")
    elif left := files_not_read_whole(report, sources):
        count = count_of(left, "file")
        text.append(f"\n{count} not read whole: the events are partial\n", style="bold")
    elif gone and not (report.files_read or report.read_before):
        pass  # nothing was there to read: said above
    elif report.bounds:
        text.append(f"\nOnly part of the sources was read ({clean(report.bounds)}), each "
                    "file whole.\n", style="yellow")
    elif not report.cancelled:
        other = " of the other sources" if gone else ""
        text.append(f"\nEvery log file{other} was read whole.\n", style="green")
    if report.differing:  # (clean: a report kept in a store file is read back from it)
        text.append(f"\n{clean(report.differing_note())}\n", style="bold red")
    if report.undated:
        text.append(f"\n{report.undated_note()}\n", style="yellow")
    _section(text, "Skipped", skipped_files(report, sources), "nothing read from these files",
             "bold red", sources)
    _section(text, "Read in part", report.partial, "the good records were kept", "yellow",
             sources)
    _section(text, "Not logs, ignored", report.ignored, "no event missed for them", "dim",
             sources)
    _section(text, "No CloudTrail log in", report.no_log, "a wrong path?", "bold yellow",
             sources, "source")
    _section(text, "Not listed", report.insights_unlisted, INSIGHTS_ONLY, "yellow", sources,
             "CloudTrail-Insight/ folder")


def _earlier_loads(text: Text, earlier: Sequence[StoredLoad]) -> None:
    """Each load the store file kept, in full; one whose missing events a later load
    of the same sources brought in by reading them whole says so."""
    if not earlier:
        return
    left = unsettled(earlier)
    text.append(f"\nEarlier loads kept in the store file: {len(earlier)}\n", style="bold")
    for load in earlier:
        text.append(f"\n{clean(load.label())}\n", style="bold")
        if not load.recorded:
            text.append("what they left out is not known: the events may be partial\n",
                        style="yellow")
        elif load.read_everything() or load in left:
            _load_report(text, load.report, load.sources)
        else:
            text.append(clean(load.report.summary()) + "\n", style="dim")
            text.append("what it left out was read whole by a later load of the same sources\n",
                        style="green")


def within(path: str, sources: Sequence[str]) -> str:
    """``path`` below the source folder it was found in (listed above it on the page),
    so that 80 columns show the file's own name rather than the folder's."""
    for source in sources:
        root = source.rstrip("/") + "/"
        if path.startswith(root) and len(path) > len(root):
            return path[len(root):]
    return path


def _below_sources(line: str, sources: Sequence[str]) -> str:
    """A report line with each path in it below its source folder, as :func:`within`
    gives one path: at 80 columns a file's own name, not the folders above it."""
    for source in sources:
        line = line.replace(source.rstrip("/") + "/", "")
    return line


def _section(
    text: Text, title: str, problems: list[FileProblem], meaning: str, style: str,
    sources: Sequence[str], noun: str = "file",
) -> None:
    if not problems:
        return
    text.append(f"\n{title}: {count_of(len(problems), noun)} ({meaning})\n", style=style)
    for problem in problems:
        text.append(f"  {clean(within(problem.source, sources))}\n")
        kept = f" ({count_of(problem.kept, 'event')} kept)" if problem.kept else ""
        text.append(f"    {clean(problem.reason)}{kept}\n", style="dim")


def cancel_load(view: View, archive: ArchiveSource | None) -> None:
    """Stop ``archive``'s load, as C does in the events view (its ``cancel``, not
    :meth:`~ArchiveSource.stop`, which is for quitting: the store stays open and keeps
    what arrived), and say so; or say that no load runs."""
    if archive is None or not archive.loading:
        view.notify("no archive load is running")
        return
    archive.cancel.set()
    view.notify("cancelling the archive load: the events it read so far stay")


class LoadView(View):
    """The archive load's report, in full; it follows a load still running."""

    crumb = "load"
    top_level = "load"
    help_text = """
What the --source load read: the sources, how many files and events, and every file it
skipped (corrupt, truncated, not JSON, not CloudTrail, empty) or read in part, with the
reason and the events kept from it: the files "not read whole", which make the events
partial. A source that is not there is said first, as NO SUCH PATH (a mistyped path;
CANNOT READ: one there but not readable at all, a folder it may not list), not among the
files not read whole: nothing was there to read. Events with no usable eventTime are
counted: kept, dated 1970-01-01, they are outside any time filter (before:1971-01-01
finds them). Event IDs read more than once whose copies are not the same record are
named (the first few), in red: one copy was altered or made up, and the store kept the
copy read first. Files that are not logs (a README, a LICENSE: neither named nor shaped
as a log) are listed last, ignored: they leave no event out. The load never stops at a
bad file; this page is where to check what it left out. A --store file keeps the report
of each load into it: the loads of earlier sessions follow, whose events are among the
rows too. The headless commands print on stderr the files not read whole, then those
ignored. When the folders hold the trail's digest files, the page first says whether the
logs are as CloudTrail delivered them (INTACT, PARTLY CHECKED, ALTERED OR INCOMPLETE)
and what was changed, removed or added; `awsir-tui verify --source FOLDER` says the same
headless. C cancels a load still running; L (in the footer while there is something to
continue) goes on with a load C cancelled, reading only the files it did not, and tries
the skipped files again, as L in the events view does: the rows come in there, and this
page follows the load again.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("C", "cancel", "Cancel load", id="load.cancel"),
        Binding("L", "continue_load", "Continue load", id="load.continue"),
    ]

    #: The load L continued from this page (None: none yet): the page follows it until
    #: it is done, from before it takes the report away to after it brings the new one.
    _continued: Worker[None] | None = None

    def action_cancel(self) -> None:
        """C: stop the archive load, as in the events view; what it stored stays."""
        cancel_load(self, app_of(self).archive)
        self._show()

    def action_continue_load(self) -> None:
        """L: go on with the load C cancelled (or that skipped files), as L in the events
        view does; this page follows it as it followed the first part. "cancelled (L
        continues it)" was said over this page too, and L here did nothing."""
        worker = continue_archive_load(self)
        if worker is not None:
            self._continued = worker
            self._timer.resume()
            self._show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """C is in the footer while a load runs: a finished load's page offered "C Cancel
        load", and C then said that no load ran. L while there is a load to continue."""
        archive = app_of(self).archive
        if action == "cancel":
            return archive is not None and archive.loading
        if action == "continue_load":
            return archive is not None and bool(archive.to_continue())
        return super().check_action(action, parameters)

    def _continuing(self) -> bool:
        """Whether the load L continued from here is still under way."""
        return self._continued is not None and not self._continued.is_finished

    def compose_body(self) -> Iterable[Widget]:
        with TextScroll(id="load-scroll"):
            yield Static(id="load-report")

    #: The digest files' check of the logs: a DigestCheck when done, what it does while
    #: it runs, None when not started (or no digest file was among the sources).
    _integrity: DigestCheck | str | None = None

    def on_mount(self) -> None:
        self.query_one(TextScroll).focus()
        self._timer = self.set_interval(REFRESH_EVERY, self._show)
        self._show()

    def _show(self) -> None:
        archive = app_of(self).archive
        sources = list(archive.sources) if archive is not None else []
        # (the report L continued is not this page's until the load is done with it)
        report = archive.report if archive is not None and not self._continuing() else None
        earlier = archive.earlier if archive is not None else []
        self.query_one("#load-report", Static).update(
            report_text(sources, report, earlier, self._integrity))
        self.refresh_bindings()  # C while the load runs, L once it stopped (check_action)
        if report is not None or not sources:
            self._timer.pause()  # the load is over: the page no longer changes (until L)
            if self._integrity is None and archive is not None and archive.has_digests:
                self._integrity = "checking the logs against the trail's digest files\u2026"
                self._show()
                self.check_integrity(archive)

    @work(thread=True, group="integrity", exit_on_error=False)
    def check_integrity(self, archive: ArchiveSource) -> None:
        """Hash every log file against its digest (a thread: seconds for a big folder),
        or take the answer the events view got as the load ended."""
        check = archive.check_integrity()
        self.app.call_from_thread(self._checked, check or "the digest check did not run "
                                  "(the app is quitting)")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A check that failed says so, rather than "checking…" for ever."""
        if event.worker.group == "integrity" and event.state is WorkerState.ERROR:
            self._integrity = f"the digest check failed: {clean(event.worker.error, 300)}"
            self._show()

    def _checked(self, check: DigestCheck | str) -> None:
        self._integrity = check
        self._show()
