"""Indicators marked from three views survive a restart and export as a report."""

from __future__ import annotations

import contextlib
import stat
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from awsir_tui.app import AwsirApp
from awsir_tui.case import Case, CaseStore
from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.base import Mark, View
from awsir_tui.ui.case_views import IndicatorsView
from awsir_tui.ui.cursor_table import column_offsets
from awsir_tui.ui.events_detail import EventDetailView
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for
from tests.helpers_ui_events import account_ready, offline_app

SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
FEDERATION = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cloudtrail" / (
    "stratus-red-team/aws.persistence.sts-federation-token.json"
)


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Cases go to a fresh XDG data dir, never the developer's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return tmp_path


@contextlib.asynccontextmanager
async def on_indicators(
    case: Case, size: tuple[int, int] = (100, 24)
) -> AsyncIterator[tuple[Pilot[Any], AwsirApp, IndicatorsView]]:
    """``case`` saved as the offline app's case, the app on :indicators, rows shown."""
    CaseStore().save(case)
    app = offline_app()
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: account_ready(app))
        view = await open_view(pilot, app, "indicators")
        assert isinstance(view, IndicatorsView)
        await wait_for(pilot, lambda: view.current() is not None, "the indicators")
        yield pilot, app, view



def all_exported(folder: Path, stem: str) -> bool:
    """Whether `x` has written the case's four formats (the journal's copy, named
    ``stem.journal.jsonl``, and the values file come beside them)."""
    return all((folder / f"{stem}.{ext}").exists() for ext in ("txt", "csv", "json", "md"))

async def test_marks_from_three_views_survive_restart_and_export(
    demo: DemoServer, data_home: Path
) -> None:
    facts = demo.facts
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.case is not None and isinstance(app.screen, View))
        # 1. the instances view, filtered on the attacker's key, then the instance itself
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False))
        await pilot.press("slash", *f"key:={facts.attacker_key_name}", "enter")
        await wait_for(pilot, lambda: facts.malicious_instance_id in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.crumb.startswith(facts.malicious_instance_id))
        await pilot.pause(0.3)
        await pilot.press("down", "m")  # the row under the "Instance" heading: its ID
        await wait_for(pilot, lambda: ("instance-id", facts.malicious_instance_id)
                       in app.case.case.indicators)  # type: ignore[union-attr]
        # 2. the events of the stolen credentials: mark the newest one
        await open_view(pilot, app, "events")
        await pilot.press("slash", *f"user:{facts.proxy_instance_id}", "enter")
        await wait_for(pilot, lambda: "RunInstances" in screen_text(app), seconds=60)
        await pilot.press("m")
        await wait_for(pilot, lambda: len(app.case.case.indicators) == 2)  # type: ignore[union-attr]
        # 3. the security groups view: the attacker's group
        await open_view(pilot, app, "sg")
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False))
        await pilot.press("slash", *f"id:={facts.attacker_group_id}", "enter")
        await wait_for(pilot, lambda: facts.attacker_group_name in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.crumb.startswith(facts.attacker_group_id))
        await pilot.pause(0.3)
        await pilot.press("down", "m")
        await wait_for(pilot, lambda: len(app.case.case.indicators) == 3)  # type: ignore[union-attr]
        await pilot.press("N")
        await pilot.pause(0.2)
        await pilot.press(*"proxy creds stolen", "enter")
        await wait_for(pilot, lambda: bool(app.case.case.notes))  # type: ignore[union-attr]
        case_file = app.case.path  # type: ignore[union-attr]
    assert case_file.is_file() and str(case_file).startswith(str(data_home))

    # A new app on the same account finds the case again.
    again = demo_app(demo)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: again.case is not None and isinstance(again.screen, View))
        await open_view(pilot, again, "indicators")
        # The table draws its rows once laid out, a moment after the view is on top.
        await wait_for(pilot, lambda: isinstance(again.screen, IndicatorsView) and all(
            kind in screen_text(again) for kind in ("instance-id", "security-group", "event-id")),
            "the indicators drawn")
        text = screen_text(again)
        assert "instance-id" in text and "security-group" in text and "event-id" in text
        assert "3 indicators" in text
        await pilot.press("x")
        folder = case_file.with_name(case_file.stem + "-export")
        await wait_for(pilot, lambda: (folder / f"{again.case.case.name}.md").exists())  # type: ignore[union-attr]
        report = (folder / f"{again.case.case.name}.md").read_text()  # type: ignore[union-attr]
        assert facts.malicious_instance_id in report and facts.attacker_group_id in report
        assert "proxy creds stolen" in report
        lines = (folder / f"{again.case.case.name}.txt").read_text().split()  # type: ignore[union-attr]
        assert facts.malicious_instance_id in lines
        journal = again.case.journal.read()  # type: ignore[union-attr]
        assert journal and not any(call.mutating for call in journal)


async def test_m_on_an_events_value_marks_it_and_on_the_event_keeps_the_event(
    demo: DemoServer, data_home: Path
) -> None:
    facts = demo.facts
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.case is not None and isinstance(app.screen, View))
        await open_view(pilot, app, "events")
        await pilot.press("slash", *f"ip:={facts.attacker_ip} name:ImportKeyPair", "enter")
        events = app.screen
        await wait_for(pilot, lambda: events.table.row_count == 1, seconds=60)  # type: ignore[attr-defined]
        await pilot.press("enter")  # the event's JSON
        await wait_for(pilot, lambda: app.screen.crumb == "event ImportKeyPair")
        await pilot.press("m")  # on the root: the whole event goes on the timeline
        session = app.case
        assert session is not None
        await wait_for(pilot, lambda: len(session.case.timeline) == 1)
        assert next(iter(session.case.timeline.values())).event_name == "ImportKeyPair"
        await pilot.press("slash", *facts.attacker_ip, "enter")  # search inside the event
        detail = app.screen
        assert isinstance(detail, EventDetailView)
        await wait_for(pilot, lambda: (detail.mark_at_cursor() or Mark("", "")).value
                       == facts.attacker_ip
                       and type(app.focused).__name__ == "JsonTree")  # back from the search
        await pilot.press("m")
        await wait_for(pilot, lambda: ("ip", facts.attacker_ip) in session.case.indicators)
        indicator = session.case.indicators[("ip", facts.attacker_ip)]
        sighting = indicator.sightings[0]
        assert "ImportKeyPair" in sighting.label()
        # Seen when the attacker used it, where, in which event: not when it was marked.
        assert indicator.first_seen == indicator.last_seen == detail.event.event_time
        assert sighting.region == detail.event.aws_region
        assert sighting.ref == detail.event.event_id


async def test_a_note_with_secrets_is_shown_and_exported_redacted(data_home: Path) -> None:
    """A responder pastes a secret into a note: the indicators view, the note prompt and
    every export show it redacted, as the case file holds it (the Markdown report used to
    escape ``_`` first, and the key name then no longer matched)."""
    case = Case("default")  # the case an app that cannot learn its account opens
    case.mark("18.236.253.47", source="events")
    async with on_indicators(case, size=(160, 24)) as (pilot, app, view):
        await wait_for(pilot, lambda: "18.236.253.47" in screen_text(app), "the row drawn")
        assert "18.236.253.47" in screen_text(app)
        await pilot.press("n")
        await wait_for(pilot, lambda: "note on ip" in screen_text(app))
        await pilot.press(*f"attacker aws_secret_access_key={SECRET_KEY} password=hunter2",
                          "enter")
        await wait_for(pilot, lambda: app.screen is view and "REDACTED" in screen_text(app))
        shown = screen_text(app)
        assert "aws_secret_access_key=**REDACTED**" in shown
        assert SECRET_KEY[:8] not in shown and "hunter2" not in shown
        await pilot.press("n")  # editing the note starts from what the screen shows
        await wait_for(pilot, lambda: "note on ip" in screen_text(app))
        assert SECRET_KEY[:8] not in screen_text(app) and "hunter2" not in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is view)
        await pilot.press("x")
        session = app.case
        assert session is not None
        folder = session.path.with_name(session.path.stem + "-export")
        await wait_for(pilot, lambda: all_exported(folder, "default"))
    for written in folder.iterdir():
        text = written.read_text()
        assert SECRET_KEY not in text and "hunter2" not in text, written.name
        if not written.name.endswith(".journal.jsonl"):  # the AWS calls, not the case
            assert "18.236.253.47" in text, written.name
    assert r"aws\_secret\_access\_key=\*\*REDACTED" in (folder / "default.md").read_text()


async def test_every_file_the_app_writes_is_its_owners_alone(data_home: Path) -> None:
    """Exports, yanks, the case and its journal are evidence: every file the app writes
    is 0600 and every folder it makes 0700 (the case's exports, the yanks and the
    journal were readable by all)."""
    data_home.chmod(0o755)
    app = offline_app(Options(sources=[str(FEDERATION)]))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and "loaded" in screen_text(app))
        exports = app.export_folder()  # the case's: its own exports go there too
        await pilot.press("x")
        await wait_for(pilot, lambda: any(exports.glob("events-*.jsonl")))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventDetailView))
        await pilot.press("m", "y", "Y")
        await wait_for(pilot, lambda: len(list(exports.glob("yank-*"))) == 2)
        await open_view(pilot, app, "indicators")
        await pilot.press("x")
        session = app.case
        assert session is not None and session.case.timeline
        folder = session.path.with_name(session.path.stem + "-export")
        case_name = session.path.stem  # the archive's case (archive-<folder>-<digest>)
        await wait_for(pilot, lambda: all_exported(folder, case_name))
    written = {str(p.relative_to(data_home)): p for p in data_home.rglob("*")}
    assert {f"awsir-tui/cases/{case_name}.json", f"awsir-tui/cases/{case_name}.journal.jsonl",
            f"awsir-tui/cases/{case_name}-export/{case_name}.md"} <= set(written)
    for name, path in written.items():
        expected = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == expected, name
    assert stat.S_IMODE(data_home.stat().st_mode) == 0o755  # not the app's to change


async def test_a_case_name_that_is_no_file_name_still_exports(data_home: Path) -> None:
    """``--case "ops/inc 42"``: the exports are named as the case file (made safe), not
    written under a folder that does not exist."""
    app = offline_app(Options(case="ops/inc 42"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: account_ready(app) and app.case is not None)
        session = app.case
        assert session is not None and "/" not in session.path.stem
        await open_view(pilot, app, "indicators")
        await pilot.press("x")
        folder = session.path.with_name(session.path.stem + "-export")
        await wait_for(pilot, lambda: all_exported(folder, session.path.stem))
        assert "inc 42" in (folder / f"{session.path.stem}.md").read_text()


async def test_d_removes_an_indicator_only_once_confirmed(data_home: Path) -> None:
    """An indicator and its note are case work: d asks first, and No keeps them."""
    case = Case("default")
    case.mark("18.236.253.47", source="events", note="the attacker")
    async with on_indicators(case) as (pilot, app, _view):
        await wait_for(pilot, lambda: "18.236.253.47" in screen_text(app), "the row drawn")
        assert "18.236.253.47" in screen_text(app)
        await pilot.press("d")
        await wait_for(pilot, lambda: "Remove ip 18.236.253.47" in screen_text(app))
        assert "1 sighting" in screen_text(app) and "note?" in screen_text(app)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, IndicatorsView))
        assert CaseStore().load("default").indicators
        await pilot.press("d")
        await wait_for(pilot, lambda: "Remove ip" in screen_text(app))
        await pilot.press("Y")
        await wait_for(pilot, lambda: not CaseStore().load("default").indicators)
        assert "18.236.253.47" not in screen_text(app)


async def test_g_and_G_go_to_the_first_and_last_indicator(data_home: Path) -> None:
    """j/k/g/G move in the indicators as in every list of the app."""
    case = Case("default")
    for value in ("18.236.253.47", "AKIAIOSFODNN7EXAMPLE", "i-0123456789abcdef0"):
        case.mark(value, source="events")
    async with on_indicators(case) as (pilot, _app, view):
        values = [item.value for item in view._indicators()]
        assert len(values) == 3
        await pilot.press("G")
        assert view.current().value == values[-1]
        await pilot.press("k")
        assert view.current().value == values[1]
        await pilot.press("g")
        assert view.current().value == values[0]
        await pilot.press("j")
        assert view.current().value == values[1]


async def test_l_and_h_scroll_the_indicators_by_whole_columns_at_80(data_home: Path) -> None:
    """At 80 columns a role ARN (cut with "…" now, the times whole) pushes "where" off
    the screen; l brings the first column not wholly in sight wholly into it, a column's
    start at the left edge (not one character further, nor one column a press as
    before: four presses to "where"), h goes back by a column."""
    case = Case("default")
    case.mark("arn:aws:iam::123456789012:role/a-rather-long-instance-role-name",
              source="instance i-0123456789abcdef0")
    async with on_indicators(case, size=(80, 24)) as (pilot, _app, view):
        table = view.query_one(DataTable)
        # The table draws its rows once laid out: only then is what it leaves out meant.
        await wait_for(pilot, lambda: "arn:aws:iam::" in screen_text(view.app), "the row drawn")
        assert "where" not in screen_text(view.app)
        starts, total, _ = column_offsets(table)
        ends = [*starts[1:], total]
        room = table.scrollable_content_region.width
        cut = next(n for n, end in enumerate(ends) if end > room)
        await pilot.press("l")
        # The table scrolls after the next refresh, not within the key's handler.
        await wait_for(pilot, lambda: table.scroll_x > 0, "scrolled")
        before = table.scroll_x
        assert before in starts and starts[cut] >= before and ends[cut] <= before + room
        presses = 1
        while "where" not in screen_text(view.app):
            presses += 1
            await pilot.press("l")
            await wait_for(pilot, lambda was=before: table.scroll_x > was, "scrolled again")
            before = table.scroll_x
            assert before in starts
        assert presses < 5, presses  # l went one column a press: five to "where"
        back = max(start for start in starts if start < before)
        await pilot.press("h")
        await wait_for(pilot, lambda: table.scroll_x == back, "back by a column")


async def test_the_app_reopens_the_view_the_responder_left(
    demo: DemoServer, data_home: Path
) -> None:
    """The case remembers the last view; the next start opens it (the first view used
    to overwrite the place before it was read)."""
    from awsir_tui.ui.ec2_groups import SecurityGroupsView

    case = Case("placed")
    case.place = {"view": "sg", "arguments": {}}
    CaseStore().save(case)
    app = demo_app(demo, case="placed")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SecurityGroupsView), ":sg reopened")
        await wait_for(pilot, lambda: CaseStore().load("placed").place == {
            "view": "sg", "arguments": {}, "archive": False}, "the place kept")
        await pilot.press("escape")  # back to where a fresh start begins
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "InstancesView")

    # A place left in a session over archives is not reopened in one on AWS: its
    # :events would read Event history, which nobody asked for.
    case = Case("archived")
    case.place = {"view": "sg", "arguments": {}, "archive": True}
    CaseStore().save(case)
    app = demo_app(demo, case="archived")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "InstancesView")
        await wait_for(pilot, lambda: not [w for w in app.workers if w.group == "account"
                                           and not w.is_finished], "the start-up")
        await pilot.pause(0.3)
        assert app.screen.__class__.__name__ == "InstancesView"


async def test_an_ip_indicator_pivots_to_the_days_it_was_seen_not_90_days(
    data_home: Path,
) -> None:
    """LookupEvents cannot look up an IP: following it from :indicators read every
    event of 90 days (hours in a busy account), while from an event it read two days."""
    from datetime import UTC, datetime, timedelta

    first, last = datetime(2026, 11, 20, 9, tzinfo=UTC), datetime(2026, 11, 22, 17, tzinfo=UTC)
    case = Case("default")
    case.mark("203.0.113.66", source="events", seen=first)
    case.mark("203.0.113.66", source="events", seen=last)
    async with on_indicators(case) as (pilot, app, _view):
        await wait_for(pilot, lambda: "203.0.113.66" in screen_text(app), "the row drawn")
        assert "203.0.113.66" in screen_text(app)
        await pilot.press("enter")  # the menu: its events first, then its instances
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "PivotMenu", "the menu")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "the IP's events")
        after, before = first - timedelta(days=1), last + timedelta(days=1)
        assert app.screen.filter_text == (
            f"ip:203.0.113.66 after:{after:%Y-%m-%dT%H:%M:%SZ}"
            f" before:{before:%Y-%m-%dT%H:%M:%SZ}")
        assert any("only the days around where it was seen" in str(n.message)
                   for n in app._notifications)


async def test_a_time_the_case_does_not_know_is_unknown_as_in_the_exports(
    data_home: Path
) -> None:
    """The view showed ``-`` where every export says ``unknown``: a group marked in its
    list (no time in the data) and an event ID saved before marking times were kept."""
    from datetime import UTC, datetime

    case = Case("default")
    case.mark("sg-0a1b2c3d4e5f60718", "security-group", source="security groups",
              marked=datetime(2026, 11, 29, 13, 8, tzinfo=UTC))
    old = case.mark("0d3b1a2c-1111-2222-3333-444455556666", "event-id", source="events",
                    seen=datetime(2026, 11, 29, 12, 24, tzinfo=UTC))
    old.marked = None
    async with on_indicators(case, size=(160, 24)) as (_pilot, _app, view):
        table = view.query_one(DataTable)
        rows = {table.get_row_at(n)[1].plain: [c.plain for c in table.get_row_at(n)][3:6]
                for n in range(table.row_count)}
    assert rows == {
        "sg-0a1b2c3d4e5f60718": ["unknown", "unknown", "11-29 13:08"],
        "0d3b1a2c-1111-2222-3333-444455556666": ["11-29 12:24", "11-29 12:24",
                                                 "unknown"],
    }


#: A role session's ARN longer than the 80-column pane's line: it wraps, whole.
LONG_ARN = ("arn:aws:sts::123456789012:assumed-role/a-rather-long-instance-role-name-for-etl"
            "/i-0123456789abcdef0")
#: A user agent as an attacker writes it: markup, an escape, a bell.
HOSTILE_AGENT = "aws-cli/2.9.0 [bold red]x[/] \x1b[31mPython/3.8\x1b[0m\x07"


def pane_lines(view: View) -> list[str]:
    """The lines the detail pane shows now (the scrollbar's column left out)."""
    from awsir_tui.ui.detail_pane import DetailPane

    region = view.query_one(DetailPane).scrollable_content_region
    lines = screen_text(view.app).splitlines()[region.y:region.bottom]
    return [line[region.x:region.right].rstrip() for line in lines]


def pane_text(view: View) -> str:
    """The pane's lines as one string, each line's label column dropped and a value's
    line under its label read without its indent (a value broken there reads back
    whole)."""
    from awsir_tui.ui.detail_pane import PANE_LABEL_WIDTH

    return "".join(line.lstrip() if line.startswith(" ") else line[PANE_LABEL_WIDTH:]
                   for line in pane_lines(view))


def indicator_case() -> Case:
    """A case holding a long ARN seen in two regions, with a note and an event on the
    timeline that names it, and a hostile user agent."""
    from datetime import UTC, datetime

    from awsir_tui.case.model import TimelineEntry

    case = Case("default")
    case.mark(HOSTILE_AGENT, "user-agent", source="event RunInstances e-1", region="eu-west-1",
              ref="e-1")
    case.mark(LONG_ARN, source="event DescribeInstances e-2", region="eu-west-1", ref="e-2",
              seen=datetime(2026, 11, 20, 9, 15, 2, tzinfo=UTC), note="the stolen session")
    case.mark(LONG_ARN, source="instance i-0123456789abcdef0", region="us-east-2",
              ref="i-0123456789abcdef0")
    case.timeline = {"e-3": TimelineEntry("e-3", datetime(2026, 11, 22, 17, 4, 5, tzinfo=UTC),
                                          "CreateAccessKey", user_arn=LONG_ARN,
                                          region="ap-south-1")}
    return case


async def test_the_pane_shows_the_indicator_under_the_cursor_whole_at_80(
    data_home: Path,
) -> None:
    """At 80x24 the table cuts a long ARN and leaves where, when and the note to the
    right: the pane under it shows them all, for the row the cursor moves to."""
    async with on_indicators(indicator_case(), size=(80, 24)) as (pilot, _app, view):
        await wait_for(pilot, lambda: "instance i-0123456789abcdef0" in pane_text(view),
                       "the ARN's pane")
        lines = pane_lines(view)
        # too long to sit beside its label: whole under it, broken after a "/" only
        assert lines[:3] == ["value", "  arn:aws:sts::123456789012:assumed-role/",
                             "  a-rather-long-instance-role-name-for-etl/i-0123456789abcdef0"]
        assert pane_text(view).startswith(f"{LONG_ARN}arn  2 sightings  1 event naming it")
        assert "seen in   event DescribeInstances e-2 eu-west-1" in lines
        assert "seen in   instance i-0123456789abcdef0 us-east-2" in lines
        assert "first     2026-11-20 09:15:02Z  last 2026-11-22 17:04:05Z" in lines
        await pilot.press(*"J" * 6)  # the rest of it, below
        await wait_for(pilot, lambda: "note      the stolen session" in pane_lines(view)
                       and "events mentioning it  :events" in pane_text(view), "the note")
        lines = pane_lines(view)
        # a role session's: its events (by its user name), then those mentioning it
        assert lines[lines.index("Enter     a menu of these:") + 1].lstrip().startswith(
            "events of this role session  :events user:=i-0123456789abcdef0"), lines
        await pilot.press(*"J" * 4)
        await wait_for(pilot, lambda: "keys" in "".join(pane_lines(view)), "the pane's end")
        lines = pane_lines(view)
        assert "event     2026-11-22 17:04:05Z  CreateAccessKey  unknown  ap-south-1  e-3" in lines
        await pilot.press("j")  # kinds sort arn before user-agent
        await wait_for(pilot, lambda: "aws-cli/2.9.0" in pane_text(view), "the agent's pane")
        shown = pane_text(view)  # back at the top of the pane, for the new row
        assert shown.startswith("aws-cli/2.9.0 [bold red]x[/] \\x1b[31mPython/3.8\\x1b[0m\\x07")
        assert "event RunInstances e-1 eu-west-1" in shown and "stolen" not in shown


async def test_the_pane_follows_a_note_and_a_removal_and_says_how_rows_come(
    data_home: Path,
) -> None:
    """n on an indicator shows the note in the pane at once; d on the last one leaves
    the pane saying how indicators come, not the one removed."""
    case = Case("default")
    case.mark("203.0.113.66", source="events", region="eu-west-1", ref="e-9")
    async with on_indicators(case, size=(80, 24)) as (pilot, app, view):
        await wait_for(pilot, lambda: "203.0.113.66" in pane_text(view), "the pane")
        assert "seen in   events eu-west-1 e-9" in pane_lines(view)
        await pilot.press("n")
        await wait_for(pilot, lambda: "note on ip" in screen_text(app))
        await pilot.press(*"proxy exit node", "enter")
        await wait_for(pilot, lambda: app.screen is view
                       and "note      proxy exit node" in pane_lines(view), "the note")
        await pilot.press("d")
        await wait_for(pilot, lambda: "Remove ip 203.0.113.66" in screen_text(app))
        await pilot.press("Y")
        await wait_for(pilot, lambda: app.screen is view
                       and "m marks the value under the cursor" in screen_text(app), "the hint")
        assert "203.0.113.66" not in pane_text(view)


async def test_keys_typed_at_once_scroll_the_pane_by_as_many_lines(data_home: Path) -> None:
    """Over SSH `jkJJJ` can come in one read: each J scrolls a line, after the cursor's
    moves (three J at once went one line, and a row's new text took the pane back to
    its top after them)."""
    from textual import events

    async with on_indicators(indicator_case(), size=(80, 24)) as (pilot, app, view):
        await wait_for(pilot, lambda: "instance i-0123456789abcdef0" in pane_text(view),
                       "the ARN's pane")
        for key in ("j", "k", "J", "J", "J", "J"):
            app.post_message(events.Key(key, key))
        # value (three lines) and kind scrolled past: first/last seen at the top
        await wait_for(pilot, lambda: pane_lines(view)[0].startswith("first "), "3 lines down")


async def test_the_pane_lists_the_first_events_naming_a_value_and_counts_the_rest(
    data_home: Path,
) -> None:
    """Kept findings can put hundreds of events naming one address on the timeline: the
    pane lists the first PANE_EVENTS, oldest first, and says how many more there are."""
    from datetime import UTC, datetime, timedelta

    from awsir_tui.case.model import TimelineEntry
    from awsir_tui.ui.case_views import PANE_EVENTS

    start = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    case = Case("default")
    case.mark("203.0.113.66", source="events", region="eu-west-1", ref="e-0")
    case.timeline = {f"e-{n}": TimelineEntry(f"e-{n}", start + timedelta(minutes=n),
                                             "DescribeInstances", source_ip="203.0.113.66")
                     for n in range(PANE_EVENTS + 7)}
    async with on_indicators(case, size=(80, 24)) as (pilot, _app, view):
        await wait_for(pilot, lambda: f"{PANE_EVENTS + 7} events naming it" in pane_text(view),
                       "the pane")
        await pilot.press(*"J" * (PANE_EVENTS + 8))
        await wait_for(pilot, lambda: "          +7 more" in pane_lines(view), "the cap line")
        shown = pane_text(view)
        assert f"e-{PANE_EVENTS - 1}+7 more" in shown and f"e-{PANE_EVENTS}" not in shown


async def test_the_pivot_menu_fits_a_narrow_terminal(data_home: Path) -> None:
    """At 40 columns the menu's fixed 70-column box was cut: its right border and the
    options' ends off screen."""
    case = Case("default")
    case.mark("i-0a1b2c3d4e5f60718", "instance", source="instances")
    async with on_indicators(case, size=(40, 24)) as (pilot, app, _view):
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "PivotMenu", "the menu")
        await pilot.pause(0.2)
        lines = screen_text(app).splitlines()
        top = next(line for line in lines if "\u256d" in line)
        assert top.rstrip().endswith("\u256e"), top  # the box closes on screen
        joined = " ".join(" ".join(line.strip("\u2502 ") for line in lines).split())
        assert "session's name" in joined, joined  # the label's end: wrapped, not cut


async def test_d_on_a_marked_events_id_says_and_takes_the_event_off_the_timeline(
    data_home: Path,
) -> None:
    """The event stayed on :timeline, "marked", and in every export after its ID went."""
    from tests.helpers_detect import technique_events

    [event, *_] = technique_events("credential-access.ec2-steal-instance-credentials")
    case = Case("default")
    case.mark_event(event)
    async with on_indicators(case, size=(80, 24)) as (pilot, app, view):
        await wait_for(pilot, lambda: event.event_id in pane_text(view), "the event's ID")
        await pilot.press("d")
        await wait_for(pilot, lambda: "its event leaves the timeline" in screen_text(app),
                       "the question")
        await pilot.press("Y")
        await wait_for(pilot, lambda: app.screen is view and app.case is not None
                       and not app.case.case.timeline, "the event off the timeline")
        assert not CaseStore().load("default").timeline
