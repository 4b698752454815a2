"""The Textual app: the shell that every view lives in.

It owns what all views share (the data layer's context, the selected regions, what
each kind of read last found in each region, the caller identity) and the global keys:
`:` to switch view, Ctrl+P for the palette, `m` to mark, `q` to quit (`?`/F1, help on
the view, is each view's own: second in its footer). Views do their I/O in workers; a
failure becomes a notification, never a dead app.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import Notify, SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.worker import get_current_worker

from awsir_tui.aws.context import FALL_BACK_ON, NOT_KNOWN, AwsContext, Identity, RegionInfo
from awsir_tui.aws.errors import Failure, classify
from awsir_tui.aws.event_names import event_names_now
from awsir_tui.aws.iam import ProfileRoles
from awsir_tui.aws.inventory import Inventory
from awsir_tui.case.session import (
    CaseSession,
    case_name_for,
    case_sources,
    default_case_name,
)
from awsir_tui.case.store import CaseStore, export_folder
from awsir_tui.crash_report import crash_text, write_crash_report
from awsir_tui.detect.engine import Detector
from awsir_tui.detect.marker import EventMarker
from awsir_tui.events.sources import ArchiveSource, open_archive
from awsir_tui.events.store import StoreUnavailable
from awsir_tui.settings import key_character, load_keymap
from awsir_tui.text import clean, count_of
from awsir_tui.typed_ahead import typed_keys_kept
from awsir_tui.ui.base import RegionsChanged, View
from awsir_tui.ui.case_said import case_line, continued_notice
from awsir_tui.ui.dialogs import HELP, ConfirmQuit, HelpScreen, SwitchView
from awsir_tui.ui.escape_keys import ALT, esc_and_key
from awsir_tui.ui.events_view import EventsView, continue_archive_load
from awsir_tui.ui.filter_bar import EventsFilter, FilterBar
from awsir_tui.ui.regions import status_kind, status_line
from awsir_tui.ui.registry import VIEWS, binding_ids, make_view, resolve, view_class
from awsir_tui.ui.typeahead import TypeAhead
from awsir_tui.ui.virtual_table import VirtualTable

if TYPE_CHECKING:
    from awsir_tui.cli import Options


#: Seconds within which a second quit stops a running export.
QUIT_AGAIN_SECONDS = 5.0
#: How often the first view looks again whether a prompt typed ahead has closed (s).
PROMPT_WAIT = 0.1


def _key_name(key: str) -> str:
    """A key as the help lists it: ``/`` for ``slash`` (the help said ``slash  No
    filter here``), a named key (``enter``, ``down``) by its name."""
    character = key_character(key) or ""
    visible = character.isascii() and character.isprintable() and not character.isspace()
    return character if character and visible else key


class AwsirApp(App[int]):
    """awsir-tui's application object."""

    TITLE = "awsir-tui"
    CSS = """
    #header-bar { height: 1; background: $primary-background; color: $text; }
    #breadcrumb { height: 1; color: $text-muted; }
    /* A view's table fills what the header, breadcrumb and footer leave: never taller
       than the terminal, so the screen itself never scrolls the header away. */
    View > DataTable { height: 1fr; }
    /* At 80x24 a notification is a note, not a panel: Textual's padding and margin gave
       each three rows more, and two export notices covered eight rows of events. One
       row under each is left: it parts two notes, and the footer covers the last's. */
    Toast { padding: 0 1 1 1; margin-top: 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("colon", "switch_view", "View", id="switch", key_display=":"),
        Binding("m", "mark", "Mark", id="mark"),
        # Where `m` is off (:meth:`check_action`) it falls through to this one: the key
        # says why rather than doing nothing at all.
        Binding("m", "nothing_to_mark", "Nothing to mark here", show=False, id="mark.none"),
        Binding("N", "case_note", "Case note", id="case.note", show=False),
        # Textual's own "^p palette", said shorter (every 80-column footer is full) and
        # for what it holds here: every key of the view beneath it, and every view.
        Binding("ctrl+p", "command_palette", "keys", show=False, priority=True,
                key_display="^p", id="palette"),
        # Views with a filter bind / themselves; in the others it filters the events.
        Binding("slash", "no_filter", "Filter events", show=False, id="filter.none"),
        # A cancelled load's notice, read over any view, says "L continues it": where L
        # means nothing else (the events views bind it themselves), it does.
        Binding("L", "continue_load", "Continue load", show=False, id="load.continue"),
    ]

    def __init__(self, options: Options, ctx: AwsContext, first_view: str = "instances") -> None:
        super().__init__()
        self.options = options
        self.ctx = ctx
        self.identity: Identity | None = None
        #: Why the identity call failed ("no credentials"), for the header; '' if not.
        self.identity_failure = ""
        #: The EC2 inventory every EC2 view shares: going back or pivoting reuses it.
        self.inventory = Inventory(ctx, ctx.target.regions or ())
        #: The account's regions are being listed (no --regions): a view opened
        #: meanwhile says so, and reads them once :meth:`set_regions` has them.
        self.listing_regions = not ctx.target.regions
        #: The roles of the instance profiles a list needed (role:), read once.
        self.profile_roles = ProfileRoles(ctx)
        #: The ``--source`` archive, loaded once and shared by every events view.
        self.archive: ArchiveSource | None = None
        self.known_regions: list[RegionInfo] = []
        #: What each kind of read last learned of each region, by region and kind
        #: (:func:`~awsir_tui.ui.regions.status_kind`), and all of it as one line.
        self.region_reads: dict[str, dict[str, str]] = {}
        self.region_status: dict[str, str] = {}
        #: Times in this machine's zone, not UTC (o), in every events list of the session.
        self.local_time = False
        #: The open case (indicators, notes, journal); None until the account is known.
        self.case: CaseSession | None = None
        #: Each top-level view made by `:`, by name, kept for the session (open_view).
        self._top_levels: dict[str, View] = {}
        #: Events exports being written, on threads that may outlive their view (Esc
        #: leaves a view; its export goes on): q warns while any runs.
        self._exports = 0
        self._exports_lock = threading.Lock()
        #: The events tables' "!" column: rules per row, and every findings run.
        self.marker = EventMarker()
        #: Keys typed while a prompt opens, held for it (see ui/typeahead.py).
        self.typeahead = TypeAhead(self)
        #: Set when the app quits: a running export stops and leaves no file.
        self.quitting = threading.Event()
        #: Until when a quit goes ahead although an export is running (monotonic).
        self._quit_anyway_until = 0.0
        if options.sources or options.store:  # archives, or a case's events: what the
            first_view = "events"  # user came for
        self.first_view = first_view if first_view in VIEWS else "regions"
        keymap = load_keymap()
        self._keymap_problem = keymap.problem
        self._keymap_ids = set(keymap.keys)
        if keymap.keys:
            self.set_keymap(keymap.keys)

    async def on_event(self, event: events.Event) -> None:
        """Every event, as Textual's App handles it, except keys held for a prompt that
        is opening (they come back when its input has the focus); and an Esc and a key
        that arrived together, read as Alt+key (ui/escape_keys.py), go on as the two
        keys they were typed as. (The second is bound where the Esc left the focus: a
        binding runs once its key is back at the app, after the Esc's.)"""
        # (Alt keys only: the bindings in force are worked out for them, not every key.)
        if isinstance(event, events.Key) and not event.is_forwarded and event.key.startswith(ALT):
            pair = esc_and_key(event, self.active_bindings)
            if pair is not None:
                for typed in pair:
                    typed.set_sender(self)  # as the terminal driver sends keys
                    await self.on_event(typed)
                return
        if self.typeahead.take(event):
            return
        first_pass = not event.is_forwarded
        self.typeahead.notice(event)
        await super().on_event(event)
        self.typeahead.after(event, first_pass)

    # -- start-up -----------------------------------------------------------------

    def session_archive(self) -> ArchiveSource | None:
        """The ``--source`` archives (or ``--store`` file alone) the session was started
        with, opened once; None for Event history. :func:`run_app` opens it before the
        app takes the terminal, so that a store that cannot be opened is a line on
        stderr; an app built without it (tests) opens it with its first events view."""
        if self.archive is None:
            options = self.options
            self.archive = open_archive(list(options.sources or ()), options.store, self.ctx,
                                        options.s3_cache, options.window)
        return self.archive

    def on_mount(self) -> None:
        if self._keymap_problem:
            self.notify(self._keymap_problem, title="keymap ignored", severity="warning")
        if self._keymap_ids:
            self.check_keymap()
        self._say_skipped_regions()
        if self.options.rules:
            self.load_marker_rules(self.options.rules)
        self.load_account()
        if self.regions:
            self.prepare_clients(list(self.regions))
        self.prepare_event_names()

    def _say_skipped_regions(self) -> None:
        """The regions of ``--regions`` that cannot be read, skipped at start
        (``cli.skip_unusable_regions``, which keeps why): said on stderr before the
        screen opened, so said again here, where the responder looks."""
        skipped = [r for r in self.options.regions or () if r not in self.regions]
        if skipped and not self._on_archives:
            why = self.ctx.skipped_regions
            self.notify("; ".join(f"{clean(r, 40)} is {why.get(r, NOT_KNOWN)}" for r in skipped)
                        + ": skipped", title="regions", severity="warning", timeout=15)

    def _fatal_error(self) -> None:
        """An unhandled exception ends the app, as in Textual, but its report names no
        variable's value and is kept in a file (see :mod:`awsir_tui.crash_report`).
        Textual has no public switch for the report's content: this overrides the one
        method that builds it (Textual 8)."""
        error = sys.exc_info()[1] or self._exception
        self.bell()
        try:
            if error is not None:
                path = write_crash_report(error)
                kept = (f"the report is in {clean(str(path))}" if path
                        else "the report could not be saved")
                # One renderable: Textual prints only the first unless in its debug mode.
                self._exit_renderables.append(
                    Text.assemble(crash_text(error), (f"awsir-tui failed ({kept}).", "bold")))
        finally:  # the app ends even if the report cannot be made: never a hung screen
            self._close_messages_no_wait()

    async def action_quit(self) -> None:
        """Quit, unless work would be lost: an export still being written (quitting
        stops it and it leaves no file, which the responder would otherwise find out
        only when looking for it), or an archive still loading (minutes of a big one,
        read again at the next start). Then say so, and quit on a second q. Events
        read that took time (an archive held in memory, Event history) are asked about
        first (:class:`ConfirmQuit`): q closes a pager in less and vim, and pressed on
        an event's page it lost them all. The case needs no asking: every change to it
        is saved as it is made."""
        busy = self._quitting_loses()
        if busy and time.monotonic() > self._quit_anyway_until:
            self._quit_anyway_until = time.monotonic() + QUIT_AGAIN_SECONDS
            title, text = busy
            self.notify(f"{text} (quit again within 5 s to quit)", title=title,
                        severity="warning")
            return
        if isinstance(self.screen, ConfirmQuit):  # the quit key again, rebound (keymap)
            self._quit_now()
            return
        lost = None if busy else self._events_lost()
        if lost:
            question = Text(f"Quit? It loses {' and '.join(lost)}.", style="bold")
            self.push_screen(ConfirmQuit(question), self._quit_if)
            return
        self._quit_now()

    def _quit_if(self, confirmed: bool | None) -> None:
        """The answer to :class:`ConfirmQuit`."""
        if confirmed:
            self._quit_now()

    def _quit_now(self) -> None:
        """Stop what runs and end the app."""
        self.quitting.set()
        if self.archive is not None:
            # Before the screens go: an events view leaving cancels the load as C does,
            # and a load that ended then would be kept as cancelled by the responder
            # rather than as one the app stopped during.
            self.archive.stop()
        self.exit()

    def _quitting_loses(self) -> tuple[str, str] | None:
        """What quitting now would lose, as a notification's title and text."""
        if self._exports:
            return ("export running",
                    "an export is still being written; quitting now stops it and leaves no file")
        sources = [self.archive, *(getattr(s, "source", None) for s in self.screen_stack)]
        for source in sources:
            if isinstance(source, ArchiveSource) and source.loading:
                done = source.progress.events if source.progress is not None else 0
                return ("archive loading",
                        f"the archive is still loading ({count_of(done, 'event')} so far); "
                        "quitting now stops it, and the next start reads it again")
        return None

    def _events_lost(self) -> list[str]:
        """The events quitting would lose that take time to read again, each said with
        how to keep it: an archive's store held in memory (no ``--store``; an S3
        archive took 30 s to load in the demo), and what the views read from Event
        history (LookupEvents, 2 calls/s per region). Nothing where only the AWS lists
        were read: they come back in seconds."""
        lost = []
        archive = self.archive
        loaded = archive.progress.events if archive and archive.progress else 0
        if archive is not None and loaded and archive.store.path == ":memory:":
            lost.append(f"the {count_of(loaded, 'event')} loaded from "
                        f"{clean(archive.label, 80)}, held in memory only (--store FILE "
                        "keeps them for the next start)")
        views = {id(v): v for v in (*self._top_levels.values(), *self.screen_stack)}
        read = sum(v.history_events() for v in views.values() if isinstance(v, View))
        if read:
            lost.append(f"the {count_of(read, 'event')} read from Event history this "
                        "session (LookupEvents reads them again 50 a call, 2 calls a "
                        "second a region)")
        return lost

    def action_help_quit(self) -> None:
        """ctrl+c: say which key quits. Textual's own hint is written in markup, which
        this app's notifications never read (they show AWS strings): it showed
        ``Press [b]ctrl+q[/b]``."""
        keys = [self.get_key_display(active.binding) for active in self.active_bindings.values()
                if active.binding.action in ("quit", "app.quit") and active.binding.show]
        self.notify(f"press {keys[0] if keys else 'q'} to quit", title="Do you want to quit?")

    @contextlib.contextmanager
    def exporting(self) -> Iterator[threading.Event]:
        """Around an export written on a thread: quitting warns while one runs. The
        event given is set when the app quits; the export should then stop."""
        with self._exports_lock:
            self._exports += 1
        try:
            yield self.quitting
        finally:
            with self._exports_lock:
                self._exports -= 1

    def export_folder(self) -> Path:
        """Where this session's exports go, every kind of them (events, the case, yanked
        values): the case's export folder, so that a responder finds all they exported
        in one place; before the case is open (it opens as the account is read, before
        the first view), that of the case named by --case, else the ``default`` case's,
        the case a session without an account would have."""
        session = self.case
        named = self.options.case or "default"
        return export_folder(session.path if session else CaseStore().path_for(named))

    def on_unmount(self) -> None:
        """Quitting: stop the archive's load and every query on its store now. Thread
        workers are waited for before the process ends; quitting during a 5M-event load
        waited 18 s for the batch in flight and the compaction after it."""
        self.quitting.set()
        if self.archive is not None:
            self.archive.stop()

    @work(thread=True, group="keymap", exit_on_error=False)
    def check_keymap(self) -> None:
        """Say which ids of keymap.toml name no binding (a typo rebinds nothing, and
        the responder would find out only when the key does not work)."""
        unknown = sorted(self._keymap_ids - binding_ids())
        if unknown:
            self.call_from_thread(
                self.notify,
                f"keymap.toml names no binding {', '.join(clean(i, 40) for i in unknown)}:"
                " ? lists each key's binding id",
                title="keymap", severity="warning", timeout=15,
            )

    @work(thread=True, group="marker-rules", exit_on_error=False)
    def load_marker_rules(self, rules_dir: str) -> None:
        """The events tables' `!` column judges rows by the user's ``--rules`` too, as
        `:findings` does: it knew the built-in rules only, so a row the user's rule
        flags stayed blank until a findings run. Rules that cannot run are said by
        `:findings`.

        The load stops between files when the app quits or the worker is cancelled: the
        process ends only when its thread workers have, and a SigmaHQ folder (seconds)
        held `q` for as long."""
        worker = get_current_worker()

        def stopping() -> bool:
            return worker.is_cancelled or self.quitting.is_set()

        detector = Detector.with_rules_dir(rules_dir, stop=stopping)
        if not stopping():
            self.call_from_thread(self._mark_by, detector)

    def _mark_by(self, detector: Detector) -> None:
        """Judge rows by ``detector`` from now on, the rows on screen too: the load
        ends after the first page is drawn (an archive opens straight on its events),
        and those rows would keep their old mark until a key redrew them."""
        self.marker.use(detector)
        for screen in self.screen_stack:
            for table in screen.query(VirtualTable):
                table.refresh()  # render_line asks the marker again for every row

    @work(thread=True, group="prepare", exit_on_error=False)
    def prepare_clients(self, regions: list[str]) -> None:
        """Build each region's EC2 client while the identity call is on the wire.

        botocore spends tens of ms of CPU per client; done here, the first view's
        all-region load starts with its clients ready.
        """
        for region in regions:
            self.ctx.client("ec2", region)

    @work(thread=True, group="prepare", exit_on_error=False)
    def prepare_event_names(self) -> None:
        """The known event names read (or their build from botocore's models begun) at
        start: Event history's planner, on the UI thread, takes only what is ready."""
        event_names_now()

    @work(thread=True, exclusive=True, group="account", exit_on_error=False)
    def load_account(self) -> None:
        """Identity and regions, then the first view (blocking calls in a thread)."""
        try:
            self.identity = self.ctx.caller_identity()
        except Exception as exc:
            failure = classify(exc)
            self.identity_failure = failure.kind.value
            self._account_failed("identity", failure)
        self.open_case()
        if self.listing_regions:
            self.call_from_thread(self._regions_listed, self._resolve_regions())
        # Read before the first view opens: opening a view remembers it as the place.
        place = dict(self.case.case.place) if self.case else {}
        self.call_from_thread(self._open_first_view, place)

    def _resolve_regions(self) -> list[str]:
        """Every enabled region, as a command reads them (``AwsContext.regions_to_read``):
        the home region alone when the list is refused or throttled, said, and every
        Event history read of it keeps why (``EventLookup.unlisted``). Any other failure
        (no credentials, no network) reads no region and says so: read alone, the home
        region's rows passed for every region's once the credentials were renewed."""
        try:
            regions, fallback = self.ctx.regions_to_read()
        except Exception as exc:
            self._regions_not_listed(classify(exc), "no region is read; once that is "
                                     "fixed, :regions lists them")
            return []
        if fallback is not None:
            self._regions_not_listed(fallback.failure, f"reading {fallback.region} only; "
                                     "--regions names others")
        return regions

    def _regions_listed(self, regions: list[str]) -> None:
        """The account's regions are known (or known not to be listable): a view typed
        ahead of them (`:sg` at start-up) reads them now, as after `:regions`."""
        self.listing_regions = False
        self.set_regions(regions)

    def _open_first_view(self, place: dict[str, Any]) -> None:
        """The first view, then the place the case was left at (:meth:`restore_place`);
        neither when the responder already opened a view during start-up: theirs wins,
        and the first view had opened over it. While a prompt typed ahead (`:events`
        before the screen was up) is open, it waits for it: opened over the prompt, the
        first view took its Enter, and Esc on it left the prompt alone on the screen."""
        if any(isinstance(screen, View) for screen in self.screen_stack):
            return
        if isinstance(self.screen, ModalScreen):
            self.set_timer(PROMPT_WAIT, lambda: self._open_first_view(place))
            return
        self.open_view(self.first_view)
        self.restore_place(place)

    def _regions_not_listed(self, failure: Failure, then: str) -> None:
        """Say why the regions could not be listed and what is read (``then``), for 15 s:
        it decides what every view shows (as :meth:`_account_failed`, not over an
        archive's rows)."""
        if self._on_archives:
            return
        severity: SeverityLevel = "error" if failure.kind not in FALL_BACK_ON else "warning"
        self.call_from_thread(self.notify, f"{clean(str(failure), 200)}: {then}",
                              title="regions not listed", severity=severity, timeout=15)

    def _account_failed(self, where: str, failure: Failure) -> None:
        """Say that the account could not be read, unless the session is about archives
        (``--source``/``--store``): a folder of logs handed over needs no credentials,
        and toasts over the rows loading would only hide them. The header says it (the
        first view opens after this)."""
        if not (self.options.sources or self.options.store):
            self.call_from_thread(self.notify_failure, where, failure)

    def open_case(self) -> None:
        """Open (or create) the case and journal every AWS call into it from now on.

        Blocking file I/O: called from the account worker.
        """
        account = self.identity.account if self.identity else ""
        sources, store = self.options.sources, self.options.store
        name = self.options.case or case_name_for(account, sources, store)
        session = CaseSession(name, account,
                              identity=self.identity.arn if self.identity else "",
                              sources=case_sources(sources, store))
        for call in list(self.ctx.guard.calls):  # the calls made before the case was open
            session.journal.record(call)
        self.ctx.guard.add_sink(session.journal.record)
        self.case = session
        if session.problem:
            self.call_from_thread(
                self.notify, session.problem, title="case file set aside", severity="error"
            )
        elif not self.options.case and name != default_case_name(account, sources, store):
            self.call_from_thread(self.notify, continued_notice(session), title="case continued",
                                  timeout=15)

    def restore_place(self, place: dict[str, Any]) -> None:
        """Reopen ``place``, the view the responder was in when the case was last used,
        with its filter (the first view's too); a list a pivot opened (``pivot``) as
        one, over the first view, so that `:` to its view shows the whole list; a
        pivot's events with the pivot's terms (``pivot_terms``), which `/` there keeps
        as it did before the restart. A place saved without them reopens as before.

        Only while the first view is all there is: if the user already moved on during
        start-up, their choice wins.
        """
        views = [screen for screen in self.screen_stack if isinstance(screen, View)]
        if len(views) != 1:
            return
        name = place.get("view")
        arguments = place.get("arguments", {})
        if bool(place.get("archive")) != self._on_archives:
            return  # an archive's view is not Event history's: :events would read AWS
        if not (isinstance(name, str) and resolve(name) and isinstance(arguments, dict)):
            return
        filter_text = arguments.get("filter_text", "")
        terms = arguments.get("pivot_terms", "")  # (not in a place saved before they were)
        if not (isinstance(filter_text, str) and isinstance(terms, str)):
            return
        if place.get("pivot") and filter_text:  # a pivot's list, as it was opened
            kept = {"pivot_terms": terms} if terms and view_class(name) is EventsView else {}
            self.open_view(name, filter_text=filter_text, **kept)
        elif filter_text or name != self.first_view:
            self.switch_to(name, filter_text)

    # -- shared state -------------------------------------------------------------
    @property
    def _on_archives(self) -> bool:
        """Whether this session reads archives (``--source``/``--store``), not AWS."""
        return bool(self.options.sources or self.options.store)

    @property
    def regions(self) -> list[str]:
        """The selected regions; the inventory always follows them."""
        return self.inventory.regions

    @regions.setter
    def regions(self, regions: Iterable[str]) -> None:
        self.inventory.regions = list(regions)

    def header_text(self) -> Text:
        """The header line: whether changes are allowed, account, identity, regions.
        The mode first: a long role session name must never cut "ACTIONS ALLOWED"."""
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" awsir-tui ", style="bold reverse")
        if self.ctx.target.allow_actions:
            text.append(" ACTIONS ALLOWED ", style="bold white on red")
        else:
            text.append(" read-only ", style="bold green")
        if self.identity:
            text.append(f" {clean(self.identity.account)} ", style="bold")
            text.append(clean(self.identity.arn.rsplit(":", 1)[-1], 40))
        elif self.identity_failure:
            text.append(f" no account ({self.identity_failure})", style="yellow")
        else:
            text.append(" identity: \u2026")
        if self.listing_regions:
            text.append("  regions: \u2026 ")
        else:
            text.append(f"  {count_of(len(self.regions), 'region')} ")
        return text

    def set_regions(self, regions: Iterable[str]) -> None:
        """Change the selection; every open view reloads for it, and every top-level
        view left earlier (kept for the session) reloads when it comes back."""
        self.regions = list(regions)
        for screen in self.screen_stack:
            if isinstance(screen, View):
                screen.post_message(RegionsChanged())
                for widget in screen.query("HeaderBar"):
                    widget.refresh()
        for view in self._top_levels.values():
            if view not in self.screen_stack:
                view.regions_stale = True

    def set_region_status(self, region: str, status: str) -> None:
        """What a read learned about a region (count, denied...), for :regions: it
        replaces what the last read of its kind said there, and no other kind's."""
        reads = self.region_reads.setdefault(region, {})
        reads[status_kind(status)] = status
        self.region_status[region] = status_line(reads)

    # -- navigation ---------------------------------------------------------------
    def open_view(self, name: str, **arguments: Any) -> None:
        """Open the view registered as ``name`` (see ui/registry.py).

        With arguments (a pivot, a filter) it is a drill-down: pushed, Esc comes back.
        Without, it is the top-level view of that kind, as `:` opens them (see
        :meth:`_to_top_level`).
        """
        resolved = resolve(name)
        if resolved is None:
            self.notify(f"no view named {name!r}", severity="warning")
            return
        if arguments:
            self.push_screen(make_view(resolved, **arguments))
        else:
            self._to_top_level(resolved)

    def _to_top_level(self, name: str, **arguments: str) -> None:
        """`:` to the view registered as ``name``: made once and kept for the session
        (installed), with ``arguments`` (a filter) when it is made. If it is open, the
        app goes back to it (the views above it closed, top-level ones kept); if it was
        left, it comes back as it was (its filter, its rows, its Event history read: a
        switch never reads again); else it is made and pushed, so Esc returns to where
        the responder was. A list of that kind a pivot opened (an instance's key in
        :keys, filtered to it) is the one open: it gives way to the whole list, in its
        place, with the views above it (:meth:`_pivoted`). Switching back and forth
        thus never piles up copies behind Esc, and `:keys` always shows the key pairs,
        not the one key a pivot (or the last session's) left. Pushed, never swapped
        in: :stack and :findings work on the events view beneath them.
        """
        kept = self._top_levels.get(name)
        if kept is not None and kept in self.screen_stack:
            if kept.works_on_events_beneath and self._events_above(kept):
                self._over_newest_events(kept, name)
            elif kept is not self.screen:
                kept.pop_until_active()
            return
        pivoted = self._pivoted(name)
        if pivoted is None:
            self._push_top_level(name, arguments)
            return
        self.screen_stack[self.screen_stack.index(pivoted) - 1].pop_until_active()
        self.call_later(self._push_top_level, name, arguments)  # once those are closed

    def push_events_view(self) -> None:
        """The events view `:events` keeps, pushed over the view in front as it is (made
        if new): L continuing the archive's load where none shows it. Not `:events`,
        which gives a drill-down's events way, with every view above them, and closed
        the list the responder was reading and the page L was pressed on."""
        self._push_top_level("events", {})

    def _pivoted(self, name: str) -> View | None:
        """The lowest view of the kind registered as ``name`` that is not the one `:`
        keeps (a pivot's list, a drill-down's events), if one is open."""
        kind = view_class(name)
        return next((s for s in self.screen_stack if isinstance(s, kind)
                     and isinstance(s, View) and not s.top_level), None)

    def _push_top_level(self, name: str, arguments: dict[str, str]) -> None:
        """Push the view `:` keeps as ``name``, made now (with ``arguments``) if new."""
        kept = self._top_levels.get(name)
        if kept is None:
            self._make_top_level(name, **arguments)
        else:
            self.push_screen(kept)

    def switch_to(self, name: str, filter_text: str = "") -> None:
        """`:` to a view, with the filter typed after its name (``:events user:i-0abc``):
        the view `:` keeps for the session (see :meth:`open_view`) with that filter, as
        if typed at its `/`. A later `:events` brings it back as it was; pushed as a
        drill-down, it was closed by the next `:` to a view beneath it, and `:events`
        then read everything again. A view not made yet is made with the filter: an
        Event history view made without one would first read every event of 90 days."""
        resolved = resolve(name)
        kept = self._top_levels.get(resolved) if resolved else None
        if resolved is not None and filter_text and kept is None:
            self._to_top_level(resolved, filter_text=filter_text)
            return
        self.open_view(name)
        if kept is not None and filter_text:
            if kept.is_mounted:
                for bar in kept.query(FilterBar):
                    bar.apply(filter_text)
            else:  # pushed a moment ago (the first view, then the case's place): it
                kept.filter_text = filter_text  # applies its filter as it mounts

    def _make_top_level(self, name: str, **arguments: str) -> None:
        """Make the view `:` keeps for the session as ``name``, and push it."""
        view = make_view(name, **arguments)
        view.top_level = name
        self.install_screen(view, name=f"top-level {name}")
        self._top_levels[name] = view
        self.push_screen(view)

    def remember_place_of(self, view: View) -> None:
        """``view`` is in front (shown, or its filter changed): the case keeps it as the
        place to reopen next time, unless the registry cannot make it again (a page,
        a list made for a pivot object). A list a pivot opened with a filter (an
        instance's key in :keys) is kept as one (``pivot``): reopened so, `:` to its
        view gives the whole list, not the one key (:meth:`_to_top_level`). A pivot's
        events (Enter on a value, a role's, an indicator's) are kept with the pivot's
        terms when `:events` lists them again (:meth:`EventsView.place_pivot_terms`):
        made for the pivot, not by name, they were not kept at all, and the next start
        reopened the list beneath them."""
        terms = view.place_pivot_terms() if isinstance(view, EventsView) else ""
        name = view.place_name or ("events" if terms else "")
        if self.case is None or not name:
            return
        arguments = {"filter_text": view.filter_text} if view.filter_text else {}
        if terms:
            arguments["pivot_terms"] = terms
        place = {"view": name, "arguments": arguments, "archive": self._on_archives}
        if not view.top_level and view.filter_text:
            place["pivot"] = True
        self.case.remember_place(place)

    def _events_above(self, view: Screen[Any]) -> bool:
        """Whether an events view was opened above ``view`` (a drill-down from it)."""
        above = self.screen_stack[self.screen_stack.index(view) + 1:]
        return any(isinstance(s, View) and s.shows_events for s in above)

    def _over_newest_events(self, kept: View, name: str) -> None:
        """`:` to a view that works on the events beneath it (``kept``, further down):
        back to the one of its kind over the newest events view, if there is one (no
        copies pile up behind Esc), else a new one there."""
        newest = max(i for i, s in enumerate(self.screen_stack)
                     if isinstance(s, View) and s.shows_events)
        same = [s for s in self.screen_stack[newest + 1:] if type(s) is type(kept)]
        if not same:
            self.push_screen(make_view(name))
        elif same[0] is not self.screen:
            same[0].pop_until_active()

    # -- the case -----------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`m` is offered only in views that have something to mark (View.marks_anything);
        L in a view (not a dialog) while the archive's load has something to continue."""
        if action == "mark" and isinstance(self.screen, View):
            return self.screen.marks_anything()
        if action == "continue_load":
            archive = self.archive
            return (isinstance(self.screen, View) and archive is not None
                    and bool(archive.to_continue()))
        return True

    def action_continue_load(self) -> None:
        """L in a view that does not bind it (:stack, :findings, :timeline…): go on with
        the archive's load in its events view, as L there does (opened for it, as
        `:events` opens it, when none is: :findings loaded the archive), and say where
        to watch."""
        if isinstance(self.screen, View):
            continue_archive_load(self.screen, " (:events shows the rows, :load the load)")

    def action_no_filter(self) -> None:
        """`/` in a view without a filter: a filter for the events, which Enter opens
        :events with; the keys typed after `/` go into it, not to this view's keys."""

        def chosen(text: str | None) -> None:
            if text is not None:
                self.open_view("events", **({"filter_text": text} if text else {}))

        screen = self.screen
        self.push_screen(EventsFilter(screen.events_scope() if isinstance(screen, View)
                                      else ""), chosen)

    def action_nothing_to_mark(self) -> None:
        """`m` in a view that holds nothing to mark (:regions, :posture, :load)."""
        self.notify("nothing to mark in this view: m keeps an ID, an address, a user or an "
                    "event from the lists and pages", title="indicator", severity="warning")

    def action_mark(self) -> None:
        """`m`: keep the value (or event) under the cursor as an indicator; saved at once."""
        screen = self.screen
        if self.case is None:
            self.notify("no case open yet (waiting for the account identity)", severity="warning")
            return
        if not isinstance(screen, View):
            return
        # Marking again only adds where it was seen: say so, or it looks like a new one.
        indicators = self.case.case.indicators
        known = len(indicators)

        def said(what: str) -> None:
            done = "marked" if len(indicators) > known else "already marked"
            self.notify(f"{done} {what}", title="indicator")

        event = screen.event_at_cursor()
        if event is not None:
            self.case.mark_event(event)
            said(f"event {clean(event.event_name)} {clean(event.event_id)}")
            return
        mark = screen.mark_at_cursor()

        def again() -> None:  # once the row is read, if this view is still on screen
            if self.screen is screen:
                self.action_mark()

        if mark is None or not mark.value:
            why = screen.unmarked(again)
            self.notify(why.reason or "nothing to mark here", title="indicator",
                        severity="information" if why.later else "warning")
            return
        try:
            indicator = self.case.mark(mark.value, source=mark.source, region=mark.region,
                                       ref=mark.ref, kind=mark.kind, seen=mark.seen,
                                       tag=mark.tag, evidence=mark.evidence)
        except ValueError as exc:
            self.notify(str(exc), severity="warning")
            return
        evidence = mark.evidence
        said(f"{indicator.kind} {clean(indicator.shown(), 80)}" + (
            f", and its event {clean(evidence.event_name, 40)} {clean(evidence.event_id, 40)}"
            if evidence is not None else ""))

    def action_case_note(self) -> None:
        """`N`: a free-text note on the case."""
        from awsir_tui.ui.case_views import TextPrompt

        def keep(text: str | None) -> None:
            if text and self.case is not None:
                self.case.note(text)
                self.notify("note saved", title="case")

        if self.case is not None:
            self.push_screen(TextPrompt("note on the case"), keep)

    def action_switch_view(self) -> None:
        """`:` asks for a view name; the keys typed right after `:` (a fast typist, one
        SSH packet) are held for it (ui/typeahead.py)."""

        def chosen(command: tuple[str, str] | None) -> None:
            name, filter_text = command or ("", "")
            if name == HELP:
                self.action_help()
            elif name:
                self.switch_to(name, filter_text)

        self.push_screen(SwitchView(), chosen)

    def action_help(self) -> None:
        """F1: the focused view's purpose, its keys (with ids for rebinding), its fields;
        in the events filter prompt, what it does and the filter's fields."""
        screen = self.screen
        body = Text()
        if isinstance(screen, View | EventsFilter):
            body.append(f"{screen.crumb or screen.__class__.__name__}\n", style="bold")
            intro = screen.help_intro()
            for paragraph in f"{intro}\n\n{screen.help_text}".strip().split("\n\n"):
                body.append(" ".join(paragraph.split()) + "\n\n")
        body.append("Keys (binding id in brackets, rebind in keymap.toml)\n", style="bold")
        # One line per binding: a binding on two keys ("question_mark,f1") is two active
        # bindings, and with one key_display they would show as the same line twice.
        keys: dict[tuple[str, str], list[str]] = {}
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if binding.show or binding.id:
                shown = keys.setdefault((binding.description, binding.id or ""), [])
                if (written := binding.key_display or _key_name(key)) not in shown:
                    shown.append(written)
        for (description, ident), shown in keys.items():
            body.append(f"  {', '.join(shown):>10}  {description}"
                        f"{f' [{ident}]' if ident else ''}\n")
        if isinstance(screen, View):  # in the filter prompt, `:` and `q` type themselves
            body.append(
                "\nGlobal: ':' switch view (" + ", ".join(sorted(VIEWS)) + "), "
                "Ctrl+P command palette, Esc back, q quit (it asks first when events "
                "read would go: an archive held in memory, Event history; the case is "
                "saved as it changes). Esc and a letter typed at once (or sent together "
                "over SSH) count as both keys, but for Esc b and Esc f (read as "
                "Ctrl+Left/Right) and Esc Tab (Shift+Tab); Esc and a digit, - or = are "
                "read as one macOS Option character (both lost), and an Esc right before "
                "space, / : ? or Enter is lost: leave a moment after Esc before those.\n"
            )
        if self.case is not None:
            body.append(f"\n{case_line(self.case)}\n")
        self.push_screen(HelpScreen(body))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette knows every view by name, every key of the view it was opened
        over (a footer at 80 columns shows only the first few: F, snapshot, was found in
        help alone), plus Textual's own commands."""
        yield from super().get_system_commands(screen)
        for name in sorted(VIEWS):
            yield SystemCommand(
                f":{name}", f"Open the {name} view", lambda n=name: self.open_view(n)
            )
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.description in seen or not active.enabled:
                continue
            seen.add(binding.description)
            yield SystemCommand(
                binding.description,
                f"key {self.get_key_display(binding)} in this view",
                partial(self.run_action, binding.action, active.node),
            )
        if "Case note" not in seen:  # N is the view's own there (the event page's search)
            yield SystemCommand("Case note", "a note on the case (N in other views)",
                                self.action_case_note)

    # -- errors -------------------------------------------------------------------
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications never interpret markup: their text often holds AWS strings.

        ``markup`` is ignored: Textual's ``Widget.notify`` (every screen's and widget's
        ``self.notify``) always passes its own default, which turns markup on, so
        honouring it would render a hostile file name or error text from any view."""
        del markup
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def _on_notify(self, event: Notify) -> None:
        """A note replaces the one on screen with its title: `m` on four rows stacked
        four "indicator" notes, sixteen rows of the table hidden at 80x24, where the
        newest says all there is to know. Notes of other titles (a region's failure, an
        export's file) stay. Here, not in :meth:`notify`: that one runs on any thread."""
        title = event.notification.title
        for shown in [note for note in self._notifications if title and note.title == title]:
            self._unnotify(shown, refresh=False)
        super()._on_notify(event)

    def notify_failure(self, where: str, failure: Failure) -> None:
        """One failure, one clear notification; the rest of the screen stays."""
        severity: SeverityLevel = "warning" if failure.kind.value == "throttled" else "error"
        self.notify(clean(str(failure), 300), title=clean(where, 60), severity=severity)


def run_app(options: Options) -> int:
    """Open the TUI for ``options`` (starting the demo account first if asked)."""
    from awsir_tui.cli import connect

    # Keys typed while the demo account starts (seconds) reach the app as typed: see
    # typed_ahead. Not for a real account, whose start may ask for an MFA code on
    # the terminal (botocore's getpass reads a line: held, Enter never ends it).
    with typed_keys_kept() if options.demo else contextlib.nullcontext():
        if options.demo:
            print("awsir-tui: starting the demo account\u2026", file=sys.stderr)
        with connect(options) as ctx:
            assert isinstance(ctx, AwsContext)
            app = AwsirApp(options, ctx)
            try:
                app.session_archive()
            except StoreUnavailable as exc:
                print(f"awsir-tui: {exc}", file=sys.stderr)
                return 2
            try:
                result = app.run()
            finally:  # a --store file written whole now, not whenever the store is collected
                if app.archive is not None:
                    app.archive.close()
    _spare_the_teardown()
    return app.return_code or result or 0  # 1 after a failure, which said why


def _spare_the_teardown() -> None:
    """Quitting took 1.2-3 s after the screen was gone (the terminal still said
    "starting the demo account…"): the interpreter's last garbage collections walk
    every object left, half a million with the demo account's state. Everything the
    session writes is closed by now (stores, case, journal, exports close their files
    themselves), so what is left needs no collecting: freeze it."""
    import gc

    gc.freeze()
