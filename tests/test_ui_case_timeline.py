""":timeline lists the case's marked events, kept findings and notes, oldest first."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from awsir_tui.case import Case, CaseStore
from awsir_tui.case.model import Note, TimelineEntry
from awsir_tui.cli import Options
from awsir_tui.detect.finding import Finding
from awsir_tui.query.times import utc_minute
from awsir_tui.ui.case_timeline import TimelineItemView, TimelineView, in_order
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_ui_events import account_ready, offline_app

FEDERATION = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cloudtrail" / (
    "stratus-red-team/aws.persistence.sts-federation-token.json"
)
#: Markup an attacker (or a paste) may put in a note or an event's name.
MARKUP = "[bold red]pwned[/]"


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Cases go to a fresh XDG data dir, never the developer's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return tmp_path


def _at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 1, hour, minute, tzinfo=UTC)


def test_in_order_is_oldest_first_a_finding_at_its_first_event() -> None:
    late = TimelineEntry("e-late", _at(12), "RunInstances")
    early = TimelineEntry("e-early", _at(9), "ImportKeyPair")
    note = Note(_at(10), "key imported from the proxy")
    dated = Finding("r1", "dated", "high", "T1", ("x",), "", first_time=_at(11))
    undated = Finding("r2", "by its events", "low", "T2", ("e-late", "e-early"), "")
    unknown = Finding("r3", "nothing known", "low", "T3", ("gone",), "")
    shown = in_order([late, early], [note], [unknown, dated, undated])
    assert [item for _, item in shown] == [early, undated, note, dated, late, unknown]
    assert [when for when, _ in shown] == [_at(9), _at(9), _at(10), _at(11), _at(12), None]


async def test_a_marked_event_and_a_note_show_in_order_and_open(data_home: Path) -> None:
    """m on an event and N write the case; :timeline, opened before and kept, shows both
    when it comes back, the event (2022) above the note (now); Enter on the event opens
    the events view on its ID, on the note the note whole, its markup as typed."""
    app = offline_app(Options(sources=[str(FEDERATION)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and "loaded" in screen_text(app))
        events = app.screen
        assert isinstance(events, EventsView)
        timeline = await open_view(pilot, app, "timeline")
        assert isinstance(timeline, TimelineView)
        await wait_for(pilot, lambda: "nothing on the timeline" in screen_text(app)
                       and "N writes a note" in screen_text(app), "the empty case")
        await open_view(pilot, app, "events")
        event = events.event_at_cursor()
        assert event is not None
        await pilot.press("m")
        session = app.case
        assert session is not None
        await wait_for(pilot, lambda: event.event_id in session.case.timeline)
        await pilot.press("N")
        await wait_for(pilot, lambda: "note on the case" in screen_text(app))
        await pilot.press(*f"proxy {MARKUP}", "enter")
        await wait_for(pilot, lambda: bool(session.case.notes))

        await open_view(pilot, app, "timeline")
        # The note's row, its text as typed (its end may be cut: the time column
        # holds seconds and the year when the rows span 2024 and today's year).
        note_cell = f"proxy {MARKUP[:-3]}"
        await wait_for(pilot, lambda: app.screen is timeline
                       and note_cell in screen_text(app), "both rows drawn")
        lines = screen_text(app).splitlines()
        # The rows span 2022 and now: each says its year, to the minute.
        when = utc_minute(event.event_time)
        event_line = next(i for i, line in enumerate(lines) if when in line)
        note_line = next(i for i, line in enumerate(lines) if note_cell in line)
        assert event_line < note_line
        assert "1 event, 0 findings, 1 note" in screen_text(app)

        await pilot.press("g", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and app.screen is not events and app.screen.table.row_count == 1,
                       "the event's own row")
        opened = app.screen
        assert isinstance(opened, EventsView)
        assert opened.filter_text == f"id:={event.event_id}"
        assert opened.event_at_cursor() == event

        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is timeline)
        await pilot.press("G", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TimelineItemView)
                       and "proxy [bold red]pwned[/]" in screen_text(app), "the note whole")


async def test_a_kept_finding_and_notes_written_here_show_at_their_time(
    data_home: Path,
) -> None:
    """A case saved with a kept finding: its row sits at its first event, among the
    events, and Enter shows it whole; N written over :timeline shows at once."""
    case = Case("default")  # the case an app that cannot learn its account opens
    case.timeline = {
        "e1": TimelineEntry("e1", _at(9), "ImportKeyPair", user="mallory", why="marked"),
        "e2": TimelineEntry("e2", _at(12), "RunInstances", outcome="Client.Unauthorized"),
    }
    case.findings = [Finding("r1", "Key pair imported", "medium", "T1098.004", ("e1",),
                             "a key from outside", detail="imported by mallory",
                             first_time=_at(10))]
    CaseStore().save(case)
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app))
        timeline = await open_view(pilot, app, "timeline")
        await wait_for(pilot, lambda: "RunInstances" in screen_text(app), "the rows drawn")
        lines = screen_text(app).splitlines()
        order = [next(i for i, line in enumerate(lines) if text in line)
                 for text in ("ImportKeyPair", "Key pair impor", "RunInstances")]
        assert order == sorted(order)
        await pilot.press("N")
        await wait_for(pilot, lambda: "note on the case" in screen_text(app))
        await pilot.press(*"mallory=proxy", "enter")
        # Its row shows its text, in "what" (at 80 columns why is past the edge).
        await wait_for(pilot, lambda: app.screen is timeline
                       and "mallory=proxy  " in screen_text(app), "the new note")
        await pilot.press("j", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TimelineItemView)
                       and "imported by mallory" in screen_text(app), "the finding whole")


#: A caller's ARN and a finding's summary longer than a line of the 80-column pane.
EDGE_ARN = ("arn:aws:sts::123456789012:assumed-role/edge-proxy-role-for-the-ingress-tier"
            "/i-0123456789abcdef0")
LONG_SUMMARY = ("ConsoleLogin without MFA from 203.0.113.66, an address no one in the "
                "organisation has used before, at 03:12 UTC: the session then made an access "
                "key for the edge user, attached AdministratorAccess to its role, read the "
                "secrets of the payments service and turned the trail of the region off "
                "before it logged out, all within four minutes of the login: 203.0.113.66")


async def test_the_pane_shows_a_long_arn_and_summary_whole_at_80(data_home: Path) -> None:
    """At 80x24 the pane under :timeline wraps a long value, not cut it at its edge:
    the caller's whole ARN, and a finding's whole summary once J scrolls to it."""
    from tests.test_ui_case import pane_lines, pane_text

    case = Case("default")
    case.timeline = {"e1": TimelineEntry("e1", _at(9), "ConsoleLogin", user="edge",
                                         user_arn=EDGE_ARN, region="us-east-1")}
    case.findings = [Finding("r1", "Login without MFA", "high", "T1078", ("e1",),
                             LONG_SUMMARY, first_time=_at(10))]
    CaseStore().save(case)
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app))
        view = await open_view(pilot, app, "timeline")
        assert isinstance(view, TimelineView)
        await wait_for(pilot, lambda: "ConsoleLogin" in pane_text(view), "the event's pane")
        assert EDGE_ARN in pane_text(view)
        await pilot.press("j")
        await wait_for(pilot, lambda: "Login without MFA" in pane_text(view), "the finding's")
        await pilot.press("J", "J")  # finding and title scrolled past: the summary on top
        await wait_for(pilot, lambda: pane_lines(view)[:1] == ["summary"],
                       "scrolled to the summary")
        # wrapped at spaces, which the pane's lines read back without
        assert LONG_SUMMARY.replace(" ", "") in pane_text(view).replace(" ", "")


def test_the_why_of_a_value_marked_in_an_event_keeps_its_secret_redacted() -> None:
    """Code review: an event marked with a value of its page is on the timeline as
    'evidence of <kind> <value>'; the row drew that why cleaned only, so a user agent
    with a password in it went on screen in clear (the pane and exports redact it)."""
    from awsir_tui.events.record import from_record
    from awsir_tui.ui.case_timeline import row_cells
    from tests.helpers_events import federation_token_record

    event = from_record(federation_token_record())
    case = Case("c")
    case.mark("curl/8 password=hunter2secret", "user-agent", evidence=event)
    why = row_cells("12:00", case.timeline[event.event_id])[-1].plain
    assert why.startswith("evidence of user-agent curl/8 password="), why
    assert "hunter2secret" not in why
