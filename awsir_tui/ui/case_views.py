"""The case in the UI: the indicators view, notes, and where Enter on an indicator goes.

Marking (`m`, from any view) lives in the app; this module shows what was collected and
turns it back into pivots: Enter on an access key opens its events, on an instance the
instance, on a group the instances in it. Exports land in the case's export folder,
with the events' exports and the yanked values, and the notification says where. What
the case holds is shown as the case file holds it, secrets redacted (:func:`safe_text`):
a password typed into a note must not stay on a screen that is shared or recorded.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from awsir_tui.case.export import EXPORTS, NO_TIME, seen_text
from awsir_tui.case.export_files import write_exports
from awsir_tui.case.indicator import Indicator
from awsir_tui.case.loaded import Loaded
from awsir_tui.case.model import Naming, Span, TimelineEntry
from awsir_tui.case.pivot import Pivot, pivots
from awsir_tui.case.secrets import safe_text
from awsir_tui.events.naming import (
    Counted,
    load_mark,
    loaded_counts,
    loaded_naming,
    naming_filters,
)
from awsir_tui.events.sources import ArchiveSource
from awsir_tui.text import clean, count_of
from awsir_tui.ui.base import app_of, cell
from awsir_tui.ui.detail_pane import (
    DetailedTableView,
    DetailPane,
    FieldLines,
    field_lines,
    joined,
)
from awsir_tui.ui.dialogs import Confirm
from awsir_tui.ui.events_detail import bounded_pivot
from awsir_tui.ui.events_view import default_source
from awsir_tui.ui.fitting import fill_table
from awsir_tui.ui.pacing import FOLLOW_EVERY, RefreshPacer
from awsir_tui.ui.path_lines import exports_said, path_lines
from awsir_tui.ui.time_columns import span_words, time_format
from awsir_tui.ui.typeahead import ReleasesKeys

#: The most events naming an indicator its pane lists, oldest first: once a few findings
#: are kept an address names hundreds, and the pane's count says how many there are.
PANE_EVENTS = 20
#: The value column's narrowest: the common values a responder collects show whole at 80
#: columns, an IPv6 address written with its IPv4 (45) the longest; a principal ID with
#: an instance's session is 41, an event ID 36, an access key or group ID 20. The times
#: after it give way (l scrolls to them; the pane under the table gives them); at 20, the
#: longest ID's, a principal's session and an event ID were cut to keep them in sight.
WHOLE_VALUE = 41
#: The pane's events line for an indicator no event of the case names: the case holds
#: only the events marked and those of the findings kept, not every event read.
NO_EVENT = "none in the case yet (m marks one in :events, K keeps a finding's)"
#: The pane's label of the loaded events naming an indicator (:func:`loaded_words`).
LOADED = "loaded"
#: What the pane says of them while they are being counted for the first time.
COUNTING = "counting\u2026"
#: What the pane says of them when the count failed (the status line says why).
NOT_COUNTED = "not counted: the store failed (the status line says why)"
#: What the pane says while the case holds no indicator.
EMPTY_HINT = """m marks the value under the cursor in any view (an ID, an address, a key...)
m on an event (:events, or its page) marks its ID and puts it on the timeline"""


class TextPrompt(ReleasesKeys, ModalScreen[str | None]):
    """One line of text (a note); Enter keeps it, Esc drops it."""

    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical { width: 70; height: auto; border: round $accent; }
    TextPrompt Input { border: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, value: str = "") -> None:
        super().__init__()
        self._title = title
        self._value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self._title, style="bold"))
            yield Input(value=self._value, id="prompt-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceList(OptionList):
    """An OptionList that j/k, g/G move through as they move every other list of the app
    (a responder's fingers go to j, and Textual's list knows only the arrows)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]


class PivotMenu(ModalScreen[Pivot | None]):
    """Where to go from one indicator (the most direct place first)."""

    DEFAULT_CSS = """
    PivotMenu { align: center middle; }
    PivotMenu > Vertical {
        width: 70; max-width: 100%; height: auto; max-height: 80%; border: round $accent;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, indicator: Indicator, choices: list[Pivot]) -> None:
        super().__init__()
        self._indicator = indicator
        self._choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"{self._indicator.kind} {safe_text(self._indicator.shown(), 50)}",
                              style="bold"))
            yield ChoiceList(*(
                Option(Text(f":{p.view}  {clean(p.label)}")) for p in self._choices
            ))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._choices[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)


class IndicatorsView(DetailedTableView):
    """`:indicators`: what the responder marked, where it was seen, and pivots from it."""

    crumb = "indicators"
    empty_hint = EMPTY_HINT
    help_text = """
The indicators of this case: every value marked with m in any view (instance IDs,
groups, keys, access keys, IPs, users, event IDs...), merged by kind and value, with
where each was seen (# how many places), when the data shows it (first/last seen: the
first and last of the events this case holds, marked or of a finding kept, in which the
value is the source IP, access key, user, ARN, principal, event ID or a resource, and
an instance's launch or a key pair's creation when marked in its list; "unknown" when
none names it and it was marked where no time goes with it, such as a security group
or a details page) and when you marked it ("unknown" in a case saved before that was
kept). With events loaded (--source, --store), the first/last seen columns are the
wider of the case's span and the loaded events': the first and last of every loaded
event naming it, those Enter's :events lists (an access key marked from a :stack group
of thousands is dated by all of them). The pane under the table gives both apart:
"first ... last" the case's, "loaded" how many loaded events name it and from when to
when (counted in the background, "counting..." meanwhile; again as a load goes on;
none for a kind Enter opens no events of, such as a fingerprint). The times are in
UTC, or local time as o chose in :events (the headers say which); the pane under the
table gives the case's in UTC, the loaded events' as the table does. x's exports give
both apart too: the case's first/last seen, and each indicator's loaded events (how
many, their first and last time, in UTC), the pane's counts where the load has not
moved since, counted again where it has or for an indicator marked since, with the
archives and store they were counted in.
The case is saved after every change.

Enter pivots to what the indicator is (events of an access key or IP, the instance,
instances in a group). n writes a note on the indicator, N a note on the case, d removes
it (and the events on the timeline for its sake alone: one marked with it on an event's
page, or the event whose ID it is), x exports the case (txt, csv, json, and md, the
report), and its values alone (<case>-values.txt: sweep logs with grep -F -f, fixed
strings), into the case's export folder, <case>-export/ beside the case file
($XDG_DATA_HOME/awsir-tui/cases/), where the events' exports (events-<time>.jsonl/.csv)
and yanked values (yank-<time>.txt) go too; the top of this help gives its whole path.
The journal of every AWS call the app made is <case>.journal.jsonl beside the case file;
x copies it, redacted, into the export folder, and the exports hold its account-changing
calls.
h/l scroll by whole columns, l to the first one not wholly in sight (at 80 columns
"where" and "note" are to the right).
The pane below shows the indicator under the cursor whole: its value, every place it
was seen (source, region, ref), its times, its note, where Enter goes from it and the
case's events that name it (those marked with m and of the findings kept with K, not
every event read: Enter's :events searches CloudTrail, or the loaded events, counted on
the "loaded" line); J/K scroll it.
"""
    DEFAULT_CSS = """
    IndicatorsView #indicators-table { height: 1fr; }
    IndicatorsView #indicators-detail { height: 9; }
    IndicatorsView #indicators-status { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "pivot", "Pivot", id="indicators.pivot", priority=True),
        Binding("n", "note", "Note", id="indicators.note"),
        Binding("d", "remove", "Remove", id="indicators.remove"),
        Binding("x", "export", "Export", id="indicators.export"),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: The indicators as shown, and their first/last seen (see :meth:`_read`).
        self._shown: list[Indicator] = []
        self._spans: dict[tuple[str, str], Span] = {}
        self._naming: Naming = {}
        #: The loaded events naming each indicator, as last counted (see
        #: :meth:`count_loaded`); kept while a new count runs or after one failed.
        self._loaded: dict[tuple[str, str], Loaded] = {}
        #: The archive the last count was of, the filters it counted, how far its load
        #: had got (:func:`load_mark`), whether it still ran then (it is counted again
        #: as it goes on, and once it is done).
        self._counted: tuple[ArchiveSource | None, dict[tuple[str, str], str]] = (None, {})
        self._counted_mark: tuple[object, ...] = ()
        self._counted_loading = False
        #: The last count done, for an export to take the counts still current (a
        #: count running meanwhile shows some indicators' and an older count's others).
        self._last_count: Counted | None = None
        #: A count runs (the pane says "counting…" where it has none yet); which one
        #: is the newest (an older one's answer, come late, is dropped).
        self._counting: Worker[None] | None = None
        self._generation = 0
        #: The last count's failure as said: paced recounts failing alike say it once.
        self._failure = ""
        #: Spaces the counts that follow a running load (see ui.pacing).
        self._recounts = RefreshPacer()

    def compose_body(self) -> Iterable[Widget]:
        yield DataTable(id="indicators-table", cursor_type="row", zebra_stripes=True)
        yield DetailPane(id="indicators-detail")
        yield Static(id="indicators-status")

    def on_mount(self) -> None:
        self.refresh_rows()
        self.set_interval(FOLLOW_EVERY, self._follow_load)

    def help_intro(self) -> str:
        """`?` says where the exports are, whole (the notice breaks it to fit)."""
        return exports_said(app_of(self).export_folder())

    def on_resize(self) -> None:
        """The columns are sized to the width: size them again for the new one."""
        self.refresh_rows()

    def on_screen_resume(self) -> None:
        """Shown again: marks and notes may have changed meanwhile. (View's own handler
        runs too: Textual calls each class's in the MRO.)"""
        self.refresh_rows()

    def _archive(self) -> ArchiveSource | None:
        """The session's loaded events (``--source``, ``--store``), if it has any:
        Event history's reads are each view's own, gone with its next filter."""
        return app_of(self).archive

    def _count_if_stale(self) -> None:
        """Count the loaded events naming each indicator, unless the last count is of
        these indicators over events that have not changed since (or a count runs)."""
        archive = self._archive()
        if archive is None:
            self._loaded, self._counted = {}, (None, {})
            return
        filters = naming_filters(self._shown)
        # Indicators removed (d) leave the others' counts as they were.
        counted = archive is self._counted[0] and filters.items() <= self._counted[1].items()
        if counted and not self._counted_loading and not self._failure and (
                self._counted_mark == load_mark(archive)):
            return
        if counted and self._counting is not None and not self._counting.is_finished:
            return
        self.count_loaded(archive, filters)

    def _follow_load(self) -> None:
        """Timer: while the load runs, count again as often as the count's cost leaves
        room for (:class:`RefreshPacer`), and once when it is done; only while on
        screen (a million events' full-text count is seconds of the cores the load
        needs)."""
        archive = self._archive()
        if (archive is None or not self._counted_loading or self.app.screen is not self
                or (self._counting is not None and not self._counting.is_finished)):
            return
        if not archive.loading or self._recounts.may_start(time.monotonic()):
            self.count_loaded(archive, self._counted[1])

    def count_loaded(self, archive: ArchiveSource, filters: dict[tuple[str, str], str]) -> None:
        """Count, in a worker; the pane says "counting…" where it has no count yet."""
        self._generation += 1
        self._counted, self._counted_loading = (archive, filters), archive.loading
        self._counted_mark = load_mark(archive)
        self._counting = self._count(archive, filters, self._generation)
        self._show_status()
        self.show_detail()

    @work(thread=True, exclusive=True, group="indicators-loaded", exit_on_error=False)
    def _count(self, archive: ArchiveSource, filters: dict[tuple[str, str], str],
               generation: int) -> None:
        """A query of the store for each indicator (never on the UI thread: over a
        million events a full-text filter takes seconds), shown as they come, at most
        every :data:`FOLLOW_EVERY`: the access keys' counts need not wait for an
        instance's full-text one."""
        worker = get_current_worker()
        started = posted = time.monotonic()
        found: dict[tuple[str, str], Loaded] = {}
        try:
            for key, loaded in loaded_naming(filters, archive):
                if worker.is_cancelled:
                    return  # a newer count was asked for
                found[key] = loaded
                if time.monotonic() - posted >= FOLLOW_EVERY:
                    posted = time.monotonic()
                    self.app.call_from_thread(self._show_loaded, dict(found), generation,
                                              False)
        finally:  # what it cost, failed or not, spaces the next count of a load
            self._recounts.ran(started, time.monotonic())
        self.app.call_from_thread(self._show_loaded, found, generation, True)

    def _show_loaded(
        self, found: dict[tuple[str, str], Loaded], generation: int, done: bool
    ) -> None:
        """Show a count's answers: some (``done`` False: the others keep the last
        count's, or say "counting…"), or all."""
        if generation != self._generation:
            return  # an older count, come after a newer one was asked for
        self._loaded = found if done else {**self._loaded, **found}
        archive, filters = self._counted
        if done and archive is not None:
            self._last_count = Counted(archive, self._counted_mark, filters, found)
        if done:
            self._failure, self._counting = "", None
        self.refresh_rows(count=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A count that failed says so once (a load's paced recounts failing alike are
        not said again) and keeps the rows and the counts it had."""
        if event.worker.group != "indicators-loaded" or event.worker is not self._counting:
            return
        if event.state is WorkerState.ERROR:
            said = clean(event.worker.error, 300) or type(event.worker.error).__name__
            if said != self._failure:
                self.notify(f"the loaded events were not counted: {said}",
                            title="indicators", severity="error")
            self._failure, self._counting = said, None
            self._show_status()
            self.show_detail()

    def _indicators(self) -> list[Indicator]:
        """The indicators as the rows show them (the cursor's row indexes this list)."""
        return self._shown

    def _read(self) -> None:
        """The indicators, the first and last seen of each as every export gives them
        and, for the pane, the timeline's events by the values they name, read under the
        case's lock, once per refresh (:meth:`CaseSession.indicators_seen`): indexing
        the timeline walks all of it, too much for every key or move of the cursor."""
        session = app_of(self).case
        self._shown, self._spans, self._naming = (
            session.indicators_seen() if session else ([], {}, {}))

    def refresh_rows(self, count: bool = True) -> None:
        """Show the case's indicators (after any change); ``count``: and count the
        loaded events naming them, if they or the events changed since the last count."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        self._read()
        if count:
            self._count_if_stale()
        indicators = self._shown
        spans = {item.key: self._span(item) for item in indicators}
        # The times as every table writes them (time_format: the year in the header
        # when a column's rows share it, in each row when they span more): the year in
        # every row cost the value five cells at 80 columns.
        seen = [spans.get(item.key, (None, None)) for item in indicators]
        times = {"first seen": [first for first, _ in seen],
                 "last seen": [last for _, last in seen],
                 "marked at": [item.marked for item in indicators]}
        local = app_of(self).local_time
        shapes = [time_format(column, local, seconds=False) for column in times.values()]
        rows = [
            (cell(item.kind), cell(safe_text(item.shown()), 60), cell(len(item.sightings)),
             *(cell(shape.text(when) or NO_TIME)
               for shape, when in zip(shapes, (first, last, item.marked), strict=True)),
             cell(safe_text("; ".join(s.label() for s in item.sightings[-3:])), 60),
             cell(safe_text(item.note), 60))
            for item, (first, last) in zip(indicators, seen, strict=True)
        ]
        first, last, marked = (shape.header(name)
                               for shape, name in zip(shapes, times, strict=True))
        # The value gives way only past the common values' length (cut with …; the pane
        # says it whole): it is what the responder collects, so the count of sightings
        # has a header as narrow as its digits. No time is cut by the screen's edge: one
        # that does not fit starts past it (l scrolls to it), the value widened to the
        # edge (an ARN shows as far as it can). The value gives way to the first and
        # last seen only: at 120 columns an ARN was cut to keep "marked at" on screen,
        # with "where" and "note" past the edge all the same.
        fill_table(table, ("kind", "value", "#", first, last, marked, "where", "note"),
                   rows, (1,), (0, WHOLE_VALUE), keep=5)
        if indicators:
            table.move_cursor(row=min(max(row, 0), len(indicators) - 1))
        self.show_detail()
        self._show_status()

    def _span(self, item: Indicator) -> Span:
        """The table's first and last seen of ``item``: the wider of the case's (its
        events, its own times) and the loaded events' naming it."""
        loaded = self._loaded.get(item.key)
        first, last = self._spans.get(item.key, (None, None))
        if loaded is None:
            return first, last
        return (_earliest(first, loaded.first), _latest(last, loaded.last))

    def _show_status(self) -> None:
        """The case's name and file; first, a count of the loaded events running (the
        first one: a load's paced recounts would say it twice a second) or failed."""
        session = app_of(self).case
        status = (
            f"{count_of(len(self._shown), 'indicator')} in case {session.case.name} "
            f"({session.path})"
            if session else "no case open (the account identity is not known yet)"
        )
        if self._failure:
            status = f"loaded events not counted: {self._failure} \u00b7 {status}"
        elif self._counting is not None and not self._loaded:
            status = f"counting the loaded events\u2026 \u00b7 {status}"
        self.query_one("#indicators-status", Static).update(Text(clean(status), style="dim"))

    def current(self) -> Indicator | None:
        """The indicator under the cursor."""
        indicators = self._indicators()
        row = self.query_one(DataTable).cursor_row
        return indicators[row] if 0 <= row < len(indicators) else None

    def detail(self, row: int) -> FieldLines | None:
        if not 0 <= row < len(self._shown):
            return None
        item = self._shown[row]
        return indicator_text(item, self._spans.get(item.key, (None, None)),
                              self._naming.get(item.value, []), self._loaded_words(item))

    def _loaded_words(self, item: Indicator) -> str:
        """The pane's line of the loaded events naming ``item`` ("" for none: no
        events loaded, or no pivot of its kind to the events)."""
        archive, filters = self._counted
        if archive is None or item.key not in filters:
            return ""
        loaded = self._loaded.get(item.key)
        if loaded is None:
            return NOT_COUNTED if self._failure else COUNTING
        return loaded_words(loaded, app_of(self).local_time, archive.loading)

    def indicator_at_cursor(self) -> tuple[str, str] | None:
        item = self.current()
        return (item.value, "indicators") if item else None

    def action_pivot(self) -> None:
        """Enter: the pivots of the indicator under the cursor, once the keys typed
        before it have moved the cursor (a priority key: View.after_keys)."""
        self.after_keys(self._pivot)

    def _pivot(self) -> None:
        item = self.current()
        if item is None:
            return
        choices = pivots(item)
        if not choices:
            self.notify(f"nothing to pivot to from a {item.kind}", severity="warning")
            return

        def go(choice: Pivot | None) -> None:
            if choice is None:
                return
            filter_text = choice.filter
            first, last = self._spans.get(item.key, (None, None))
            if choice.view == "events" and first is not None:
                filter_text = bounded_pivot(self, default_source(self), filter_text,
                                            first, last)
            # (Its events are a pivot's: / keeps its terms.)
            pivot = {"pivot": True} if choice.view == "events" else {}
            app_of(self).open_view(choice.view, filter_text=filter_text, **pivot)

        if len(choices) == 1:
            go(choices[0])
        else:
            self.app.push_screen(PivotMenu(item, choices), go)

    def action_note(self) -> None:
        item = self.current()
        session = app_of(self).case
        if item is None or session is None:
            return

        def keep(text: str | None) -> None:
            if text is not None:
                session.note(text, item.kind, item.value)
                self.refresh_rows()

        self.app.push_screen(TextPrompt(f"note on {item.kind} {safe_text(item.value, 40)}",
                                        safe_text(item.note)), keep)

    def action_remove(self) -> None:
        """d: remove the indicator, once confirmed (its sightings and note go with it,
        and there is no undo)."""
        item = self.current()
        session = app_of(self).case
        if item is None or session is None:
            return

        leaving = session.evidence_leaving(item.kind, item.value)
        brought = [i for i in leaving if item.kind != "event-id" or i != item.value]
        events = (f", and {count_of(len(brought), 'event')} it was marked in"
                  if brought else "")

        def remove(confirmed: bool | None) -> None:
            if confirmed:
                session.unmark(item.kind, item.value)
                self.notify(f"removed {item.kind} {safe_text(item.value, 60)}{events}")
                self.refresh_rows()

        if item.kind == "event-id" and item.value in session.case.timeline:
            event = (" (its event leaves the timeline)" if item.value in leaving else
                     " (its event stays on the timeline: a finding or a marked value "
                     "keeps it there)")
        else:
            event = (f" (the timeline loses {count_of(len(brought), 'event')} it was "
                     "marked in, kept for it alone, and its ID unless noted)"
                     if brought else "")
        question = Text(f"Remove {item.kind} {safe_text(item.value, 60)} from the case, with "
                        f"{count_of(len(item.sightings), 'sighting')}"
                        f"{' and its note' if item.note else ''}{event}?")
        self.app.push_screen(Confirm(question, yes="Yes, remove it"), remove)

    def action_export(self) -> None:
        """x: said at once; a case with thousands of timeline events takes seconds to
        write in every format (QA saw nothing for 1-2 s with 6,452)."""
        self.notify("exporting the case\u2026", title="export", timeout=3)
        self.export(self._last_count)

    @work(thread=True, exclusive=True, group="case-export", exit_on_error=False)
    def export(self, counted: Counted | None = None) -> None:
        """Write every export format, the values for a sweep and the journal's copy
        beside the case file; say where. With events loaded, each indicator's loaded
        events are counted as the pane counts them, for the exports to carry what the
        screen shows: the pane's own ``counted`` where still current, the others (an
        indicator marked since, a load that went on since or still runs) counted again
        here; a store that fails the count costs the counts, said, not the case's
        export, which never needed the store."""
        app = app_of(self)
        session = app.case
        if session is None:
            return
        folder = app.export_folder()
        identity = app.identity.arn if app.identity else ""
        case = session.snapshot()  # `m` and `n` go on changing the case meanwhile
        # Named as the case file is (a --case name may hold '/' or '..'); the journal
        # goes with them, for whoever is handed the folder alone.
        archive = self._archive()
        loaded, uncounted = None, ""
        if archive is not None:
            try:
                loaded = loaded_counts(case.indicators.values(), archive, counted)
            except Exception as exc:  # the store failed: the case is exported without them
                uncounted = (f"\n(the loaded events not counted: "
                             f"{clean(exc, 200) or type(exc).__name__}; the case's span only)")
        try:
            write_exports(case, folder, session.path.stem, session.journal.path,
                          identity=identity, loaded=loaded)
        except Exception as exc:  # any: said, never lost in the worker
            # Said as the events' exports say it: the worker's error alone was shown
            # nowhere, and "exporting the case…" read as the case written. A failure
            # leaves none of this export's files (write_exports).
            why = clean(exc, 300) or type(exc).__name__
            app.call_from_thread(app.notify, f"export failed, nothing written: {why}",
                                 title="export", severity="error", timeout=30)
            return
        app.call_from_thread(app.notify, f"case exported ({', '.join(EXPORTS)}) to\n"
                             f"{path_lines(folder, folder=True)}{uncounted}", title="export",
                             severity="warning" if uncounted else "information", timeout=15)


def _earliest(*times: datetime | None) -> datetime | None:
    known = [when for when in times if when is not None]
    return min(known) if known else None


def _latest(*times: datetime | None) -> datetime | None:
    known = [when for when in times if when is not None]
    return max(known) if known else None


def loaded_words(loaded: Loaded, local: bool, loading: bool = False) -> str:
    """``312 events, 2024-11-26 02:13:05 – 03:40:11 UTC``: how many loaded events name
    an indicator and from when to when (in UTC or local time, as ``o`` chose); ``so
    far`` while the load runs."""
    so_far = " so far (loading)" if loading else ""
    if loaded.count == 0:
        return f"no event names it{so_far}"
    when = (span_words(loaded.first, loaded.last, local)
            if loaded.first is not None and loaded.last is not None else "none dated")
    return f"{count_of(loaded.count, 'event')}{so_far}, {when}"


def indicator_text(item: Indicator, span: Span, events: Sequence[TimelineEntry],
                   loaded: str = "") -> FieldLines:
    """All the case holds of one indicator, one field a line (the value whole: the pane
    wraps it): its kind, its times (UTC; ``unknown`` where the case does not know one),
    each place it was seen, its note and where Enter goes from it, then, last, the
    first :data:`PANE_EVENTS` of the case's events that name it (by which its
    first/last seen are dated; how many more, past them): at 80x24 the pane shows 8
    lines, and Enter's line came after 20 events, 20 presses of J away. The count says
    it is of the case's events: a bare "0 events naming it" read as CloudTrail never
    naming a key pair whose ImportKeyPair no one had marked yet. ``loaded``: the line of
    the loaded events naming it (:func:`loaded_words`), under the case's times."""
    first, last = span
    sightings = [("seen in", sighting.label()) for sighting in item.sightings]
    named = [("event", joined((seen_text(entry.time), entry.event_name, entry.outcome_text,
                               entry.region, entry.event_id)))
             for entry in events[:PANE_EVENTS]]
    if len(events) > PANE_EVENTS:
        named.append(("", f"+{len(events) - PANE_EVENTS} more"))
    if not events:
        named.append(("event", NO_EVENT))
    choices = [f"{choice.label}  :{choice.view} {choice.filter}" for choice in pivots(item)]
    enter = [("Enter", "a menu of these:"), *(("", choice) for choice in choices)] if len(
        choices) > 1 else [("Enter", choice) for choice in choices]
    return field_lines([
        ("value", item.value),
        ("kind", f"{item.kind}  {count_of(len(item.sightings), 'sighting')}  "
                 f"{count_of(len(events), 'event')} naming it in the case"),
        ("first", f"{seen_text(first)}  last {seen_text(last)}"),
        (LOADED, loaded),
        ("marked", seen_text(item.marked)),
        *sightings, ("note", item.note), *enter, *named,
        ("keys", "n note on it  d remove it  x export the case  J/K scroll this pane"),
    ])

