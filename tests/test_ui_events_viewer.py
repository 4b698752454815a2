"""The events viewer driven by keys in an 80x24 terminal, against the demo account.

Filter, drill-down, pivots and back, presets, export and yank go through real key
presses; expected rows come from the demo's own records.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from awsir_tui.app import AwsirApp
from awsir_tui.aws.context import AwsContext, AwsTarget
from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.record import resources_of, user_name_of
from awsir_tui.events.sources import HistorySource
from awsir_tui.ui.base import TextScroll
from awsir_tui.ui.events_detail import EventDetailView
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ui_events import account_ready

SIZE = (80, 24)


def make_app(server: DemoServer) -> AwsirApp:
    ctx = AwsContext(
        AwsTarget(
            regions=tuple(server.regions),
            endpoint_url=server.endpoint_url,
            static_credentials=("testing", "testing"),
        )
    )
    return AwsirApp(Options(), ctx, first_view="regions")


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cases (and the view they reopen) go to a fresh folder per test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))




def loaded(app: AwsirApp) -> bool:
    screen = app.screen
    if not isinstance(screen, EventsView) or screen.selection is None:
        return False
    feed = screen.selection.feed
    progress = screen._progress
    done = feed is None or (progress is not None and not progress.running
                            and progress.regions_done == progress.regions)
    return done and screen.table.row_count == screen.selection.count()



def table_ids(view: EventsView) -> list[str]:
    return [view.table.row(i).event_id for i in range(view.table.row_count)]


@pytest.fixture(autouse=True)
def export_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path))
    return tmp_path


async def open_events(pilot: Pilot[Any], app: AwsirApp, filter_text: str) -> EventsView:
    await wait_for(pilot, lambda: account_ready(app), "regions view")
    app.open_view("events", filter_text=filter_text)
    await wait_for(pilot, lambda: loaded(app), f"events for {filter_text!r}")
    assert isinstance(app.screen, EventsView)
    return app.screen


async def open_detail(pilot: Pilot[Any], app: AwsirApp) -> EventDetailView:
    """Enter on the events row under the cursor: its JSON, once on screen."""
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, EventDetailView), "detail view")
    assert isinstance(app.screen, EventDetailView)
    return app.screen


async def search_tree(
    pilot: Pilot[Any], detail: EventDetailView, text: str, found: Callable[[Any], bool]
) -> None:
    """`/` ``text`` in the event's tree, until the cursor's value is ``found``."""
    await pilot.press("slash", *text, "enter")
    tree = detail.json_tree
    await wait_for(pilot, lambda: tree.cursor_node is not None and tree.cursor_node.data is not None
                and found(tree.cursor_node.data), f"the search for {text}")


async def test_filter_drill_down_pivot_and_back(demo: DemoServer) -> None:
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_events(pilot, app, "name:RunInstances error:*")
        failed = {r["eventID"] for r in demo.records
                  if r.get("eventName") == "RunInstances" and r.get("errorCode")}
        assert set(table_ids(view)) == failed
        assert "EventName = RunInstances" in screen_text(app)
        assert view.table.row_style is not None
        assert view.table.row_style(view.table.row(0)) == "virtual-table--error"

        # A new filter typed in the bar replaces the rows.
        await pilot.press("slash")
        await pilot.press("ctrl+a", "ctrl+k")
        await pilot.press(*f"user:{facts.proxy_instance_id}", "enter")
        await wait_for(pilot, lambda: loaded(app) and view.filter_text.startswith("user:"),
                    "user filter")
        mine = {r["eventID"] for r in demo.records if r.get("managementEvent", True)
                and user_name_of(r.get("userIdentity") or {}) == facts.proxy_instance_id}
        ids = table_ids(view)
        assert set(ids) == mine
        times = [view.table.row(i).event_time for i in range(len(ids))]
        assert times == sorted(times, reverse=True)

        # Drill down into the newest attacker event and pivot on its source IP.
        index = next(i for i in range(len(ids))
                     if view.table.row(i).source_ip == facts.attacker_ip)
        view.table.cursor_row = index
        detail = await open_detail(pilot, app)
        await search_tree(pilot, detail, "sourceIPAddress",
                          lambda node: node.key == "sourceIPAddress")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView) and app.screen is not view
                    and loaded(app), "pivot on IP")
        pivot = app.screen
        assert isinstance(pivot, EventsView)
        # LookupEvents cannot look up an IP: Event history reads the day either side
        # of the event, not 90 days of every event.
        when = detail.event.event_time
        assert pivot.filter_text == (
            f"ip:={facts.attacker_ip} after:{when - timedelta(days=1):%Y-%m-%dT%H:%M:%SZ}"
            f" before:{when + timedelta(days=1):%Y-%m-%dT%H:%M:%SZ}")
        assert any("only the days around where it was seen" in str(n.message)
                   for n in app._notifications)
        attacker = {r["eventID"] for r in demo.records if r.get("managementEvent", True)
                    and r.get("sourceIPAddress") == facts.attacker_ip}
        assert set(table_ids(pivot)) == attacker  # (the attack took hours)

        # Esc twice: back to the event, then to the list as it was.
        await pilot.press("escape")
        assert app.screen is detail
        await pilot.press("escape")
        assert app.screen is view
        assert set(table_ids(view)) == mine


async def test_instance_value_opens_the_ec2_view_and_instance_events(demo: DemoServer) -> None:
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await open_events(pilot, app, f"name:RunInstances ip:{facts.attacker_ip} -error:*")
        detail = await open_detail(pilot, app)
        await search_tree(pilot, detail, facts.malicious_instance_id,
                          lambda node: node.value == facts.malicious_instance_id)
        # E: every event of the instance (its sessions merged with events naming it).
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView) and loaded(app),
                    "instance events")
        events_of = app.screen
        assert isinstance(events_of, EventsView)
        assert "events of" in events_of.crumb
        ids = table_ids(events_of)
        instance = facts.malicious_instance_id
        expected = {r["eventID"] for r in demo.records if r.get("managementEvent", True) and (
            user_name_of(r.get("userIdentity") or {}) == instance or instance in resources_of(r))}
        assert sorted(ids) == sorted(expected)
        await pilot.press("escape")
        # Enter on the instance ID: the EC2 instances view filtered to it.
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "InstancesView",
                    "EC2 instances view")
        assert getattr(app.screen, "filter_text", "") == f"id:={facts.malicious_instance_id}"


async def test_presets_local_time_export_and_yank(demo: DemoServer, export_dir: Path) -> None:
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_events(pilot, app, f"user:{facts.proxy_instance_id}")
        await pilot.press("2")
        await wait_for(pilot, lambda: "since:24h" in view.filter_text and loaded(app), "preset")
        assert view.filter_text == f"user:{facts.proxy_instance_id} since:24h"
        await pilot.press("3")
        await wait_for(pilot, lambda: view.filter_text.endswith("since:7d") and loaded(app),
                    "second preset replaces the first")
        assert view.filter_text.count("since:") == 1

        assert "time (UTC)" in screen_text(app)
        await pilot.press("o")
        await pilot.pause()
        assert "time (UTC)" not in screen_text(app)
        # A time read on screen and typed back was taken as UTC: o says so, and how.
        said = [str(note.message) for note in app._notifications]
        assert any("a time typed in a filter stays UTC unless it ends with an offset"
                   in note for note in said), said

        count = view.table.row_count
        await pilot.press("x")
        await wait_for(pilot, lambda: "exported" in view._export_note, "export")
        (exported,) = export_dir.glob("events-*.jsonl")
        lines = exported.read_text().splitlines()
        assert len(lines) == count
        assert {json.loads(line)["eventID"] for line in lines} == set(table_ids(view))
        assert f"to {exported.name}" in view._export_note

        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventDetailView), "detail")
        await pilot.press("Y")
        await wait_for(pilot, lambda: any(export_dir.glob("yank-*.json")), "the yank file")
        (yanked,) = export_dir.glob("yank-*.json")
        assert json.loads(yanked.read_text())["eventID"] == view.table.row(0).event_id
        assert app.clipboard == yanked.read_text()


async def test_bad_filter_keeps_rows_and_points_at_the_term(demo: DemoServer) -> None:
    app = make_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_events(pilot, app, "name:RunInstances error:*")
        before = table_ids(view)
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"name:Run port:22", "enter")
        await pilot.pause()
        assert "for security groups, not for events" in screen_text(app)
        assert table_ids(view) == before
        # Esc closes the bar, which has the focus back to fix the filter; the view stays.
        assert isinstance(app.focused, Input)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is view and app.focused is view.table


async def test_denied_region_is_marked_on_screen(demo: DemoServer) -> None:
    denied = next(r for r in demo.regions if r != demo.facts.proxy_region)
    app = make_app(demo)
    with demo.denying(denied):
        async with app.run_test(size=SIZE) as pilot:
            view = await open_events(pilot, app, "name:RunInstances error:*")
            # The status line is redrawn on the view's timer, after the read it reports.
            await wait_for(pilot, lambda: f"{denied}: DENIED" in screen_text(app),
                           "the denied region in the status")
            assert f"{denied}: DENIED" in screen_text(app)
            await wait_for(pilot, lambda: app.region_status.get(denied) == "events: denied",
                        "the region's status for :regions")
            assert all(view.table.row(i).aws_region != denied
                       for i in range(view.table.row_count))



async def test_cap_says_more_and_L_loads_the_rest(demo: DemoServer, export_dir: Path) -> None:
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "regions view")
        source = HistorySource(app.ctx, lambda: list(app.regions), cap=20)
        view = EventsView(filter_text=f"user:{facts.proxy_instance_id}", source=source)
        await app.push_screen(view)
        # The status catches up with the finished read on the view's timer: wait for it.
        # Every line read in one drawing of the screen (under load a read between two
        # repaints caught the screen half drawn).
        await wait_for(pilot, lambda: view._progress is not None and not view._progress.running
                    and view.table.row_count == 20
                    and all(said in screen_text(app) for said in (
                        "complete after", "20 of >20 events", "L: load more",
                        "L Load more")), "first 20, their status and L")
        # The regions stopped at different depths: how far back the rows are whole.
        after = view._progress.complete_after
        assert after is not None
        assert f"complete after {after:%m-%d %H:%M:%S} UTC" in screen_text(app)
        await pilot.press("x")  # an export of the 20 says it is not all there is
        await wait_for(pilot, lambda: any("only complete after" in str(n.message)
                                       for n in app._notifications), "the export's warning")
        await pilot.press("L")
        await wait_for(pilot, lambda: loaded(app) and view.table.row_count > 20, "the rest")
        mine = {r["eventID"] for r in demo.records if r.get("managementEvent", True)
                and user_name_of(r.get("userIdentity") or {}) == facts.proxy_instance_id}
        assert sorted(table_ids(view)) == sorted(mine)


async def test_E_on_a_role_session_principal_opens_its_instance_events(
    demo: DemoServer,
) -> None:
    """The stolen credentials' events name the instance only inside the principal ID
    (``AROA...:i-...``): E there must find the instance, not ask for a bare ID."""
    instance = demo.facts.proxy_instance_id
    app = make_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await open_events(pilot, app, f"user:={instance}")
        detail = await open_detail(pilot, app)
        await search_tree(pilot, detail, "principalId",
                          lambda node: str(node.value).endswith(f":{instance}"))
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView) and loaded(app),
                    "instance events")
        assert app.screen.crumb == f"events of {instance}"


async def test_a_part_of_a_name_that_AWS_matches_whole_says_what_to_type(
    demo: DemoServer,
) -> None:
    """name:InstanceInformation is sent to AWS, which matches event names whole: nothing
    comes back (it is the end of UpdateInstanceInformation, the start of no known name).
    The status line says the filter to type that finds the names containing it. (A
    start of one known name, name:RunInst, is sent as it: test_ui_events_name_start.)"""
    app = make_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_events(pilot, app, "name:InstanceInformation since:1d")
        assert view.table.row_count == 0
        hint = "try name:INSTANCEINFORMATION since:1d  0 events"
        await wait_for(pilot, lambda: hint in screen_text(app), "the hint")
        typed = "name:INSTANCEINFORMATION since:1d"
        await pilot.press("slash", "ctrl+a", "ctrl+k", *typed, "enter")
        await wait_for(pilot, lambda: loaded(app) and view.table.row_count > 0, "the names")
        assert {view.table.row(i).event_name for i in range(view.table.row_count)} == {
            "UpdateInstanceInformation"}
        assert "try name:" not in screen_text(app)


def footer(app: AwsirApp) -> str:
    """The footer's line: the keys the view advertises."""
    return screen_text(app).splitlines()[-1]


async def test_the_event_tree_moves_like_every_list_and_pivot_is_shown_where_it_works(
    demo: DemoServer,
) -> None:
    app = make_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await open_events(pilot, app, "name:RunInstances error:*")
        detail = await open_detail(pilot, app)
        tree = detail.json_tree
        await pilot.press("G")
        assert tree.cursor_line == tree.last_line > 5
        await pilot.press("g", "j", "j")
        assert tree.cursor_line == 2
        await pilot.press("k")
        assert tree.cursor_line == 1
        await wait_for(pilot, lambda: "⏎ Pivot" in footer(app), "Pivot in the tree's footer")
        await pilot.press("t")  # the text has no values to follow: Enter is not offered
        await wait_for(pilot, lambda: "Tree/text" in footer(app)
                       and "Pivot" not in footer(app), "no Pivot in the text's footer")
        await pilot.press("slash")  # the search box's Enter searches
        await wait_for(pilot, lambda: "Pivot" not in footer(app)
                       and isinstance(app.focused, Input), "no Pivot in the search box")
        await pilot.press(*"eventName", "enter")  # in the text: no Pivot still
        await wait_for(pilot, lambda: isinstance(app.focused, TextScroll)
                       and "Tree/text" in footer(app) and "Pivot" not in footer(app),
                       "the text searched")
        await pilot.press("t", "slash", *"eventName", "enter")
        await wait_for(pilot, lambda: "⏎ Pivot" in footer(app), "Pivot back with the tree")
        await pilot.press("enter")  # on eventName: its events
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and app.screen.filter_text.startswith("name:="), "the pivot")
