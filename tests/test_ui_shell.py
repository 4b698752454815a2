"""The app shell on the demo account, driven by real key presses at 80x24."""

from __future__ import annotations

import re
from typing import Any

from textual.app import App

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.base import TextScroll, View
from awsir_tui.ui.dialogs import Confirm, HelpScreen, SwitchView
from awsir_tui.ui.ec2_details import InstanceDetailsView
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.regions import RegionsView
from awsir_tui.ui.registry import VIEWS, resolve
from tests.helpers_app import composed, demo_app, open_view, said_after, screen_text, wait_for
from tests.helpers_ec2 import open_instance_details


async def test_app_opens_on_instances_of_every_demo_region(demo: DemoServer) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.identity is not None and all(
            region in app.region_status for region in demo.regions))
        await pilot.pause(0.2)
        text = screen_text(app)
        assert demo.account_id in text  # header: the account
        assert "read-only" in text
        assert "instances" in text.splitlines()[1]  # breadcrumb
        assert f"{len(demo.regions)}/{len(demo.regions)} regions" in text  # all answered
        # The instance IDs on screen are the ones EC2 has (read back over HTTP), in any
        # region: the newest launches come first, wherever they are.
        shown = set(re.findall(r"\bi-[0-9a-f]{17}\b", text))
        real = {
            instance["InstanceId"]
            for region in demo.regions
            for reservation in demo.client("ec2", region).describe_instances()["Reservations"]
            for instance in reservation["Instances"]
        }
        assert len(shown) >= 10
        assert shown <= real


async def test_colon_switches_view_and_regions_selection_applies(demo: DemoServer) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View))
        await pilot.press("colon")
        await wait_for(pilot, lambda: isinstance(app.screen, SwitchView))
        await pilot.press(*"regions", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RegionsView))
        screen = app.screen
        await wait_for(pilot, lambda: bool(screen._regions))  # type: ignore[attr-defined]
        assert "instances \u203a regions" in screen_text(app)
        await pilot.press("n")  # none selected
        await pilot.press("enter")  # refused: nothing selected, stays
        assert app.screen is screen
        # Select only the first region in the list that is a demo region.
        names = [info.name for info in screen._regions]  # type: ignore[attr-defined]
        target = sorted(demo.regions)[0]
        await pilot.press("g")  # top: the cursor starts on the first selected region
        await pilot.press(*["j"] * names.index(target), "space", "enter")
        await wait_for(pilot, lambda: app.regions == [target])
        assert not isinstance(app.screen, RegionsView)
        assert "1 region" in screen_text(app)


async def test_a_view_left_before_the_regions_changed_reads_them_when_it_comes_back(
    demo: DemoServer,
) -> None:
    """`:sg` is kept for the session once opened; after `:regions` picks one region it
    must not come back with every region's groups."""
    app = demo_app(demo)
    target = sorted(demo.regions)[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View))
        groups = await open_view(pilot, app, "sg")
        count = f"{len(demo.regions)}/{len(demo.regions)} regions"
        await wait_for(pilot, lambda: count in screen_text(app), "every region's groups")
        await open_view(pilot, app, "instances")
        assert groups not in app.screen_stack
        app.set_regions([target])
        assert await open_view(pilot, app, "sg") is groups
        await wait_for(pilot, lambda: "1/1 regions" in screen_text(app), "the one region")
        assert {row.get("Region") for row in groups.all_items()} == {target}


async def test_unknown_view_name_is_explained_not_fatal(demo: DemoServer) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View))
        await pilot.press("colon")
        await wait_for(pilot, lambda: isinstance(app.screen, SwitchView))
        await pilot.press(*"nosuch", "enter")
        await pilot.pause()
        assert "no view 'nosuch'" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, View)


async def test_f1_help_shows_view_purpose_and_binding_ids(demo: DemoServer) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View))
        await pilot.press("f1")
        # On top is not yet drawn: the help is laid out at the screen's next refresh.
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen)
                       and "Every EC2 instance" in screen_text(app), "the help, drawn")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        # The view's own purpose comes first (what filters it takes, further down).
        assert "Every EC2 instance of the selected regions" in screen_text(app)
        body = help_screen.body.plain
        # (Esc, back, does nothing on the first view: left out, as from its footer.)
        assert "[quit]" in body and "[mark]" in body
        assert body.count("[help]") == 1  # one binding on ? and F1: one line
        await pilot.press("escape")
        assert isinstance(app.screen, View)


async def test_a_views_notification_never_renders_markup(demo: DemoServer) -> None:
    """Widget.notify passes markup=True to the app: the app must still refuse it, since
    a file name or an error text from AWS in a notification is attacker-controlled."""
    app = demo_app(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View))
        app.screen.notify("[bold red]evil.json[/] could not be read: [link=x]")
        await pilot.pause(0.3)  # the toast is drawn: as text, whatever brackets it holds
        shown = list(app._notifications)[-1]
        assert not shown.markup and shown.message.startswith("[bold red]evil.json[/]")


async def test_colon_returns_to_open_views_instead_of_stacking_them(demo: DemoServer) -> None:
    """`:sg :keys :sg :keys` leaves each list once behind the first view, not four
    lists; `:` to a view on the stack goes back to it; after a drill-down, Esc still
    returns there; :stack still counts the events view beneath it."""
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View))
        first = app.screen
        for name in ("sg", "keys", "sg", "keys"):
            await open_view(pilot, app, name)
        crumbs = "instances \u203a security groups \u203a key pairs"
        assert screen_text(app).splitlines()[1].strip() == crumbs
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: app.screen is first)

        await open_view(pilot, app, "sg")
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False))
        await pilot.press("enter")  # a group's page: a drill-down
        await wait_for(pilot, lambda: app.screen.crumb.startswith("sg-"))  # type: ignore[attr-defined]
        group_page = app.screen
        await open_view(pilot, app, "keys")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is group_page)
        await open_view(pilot, app, "instances")  # on the stack: back to it
        await wait_for(pilot, lambda: app.screen is first)
        assert len(app.screen_stack) == 2

        events = await open_view(pilot, app, "events")
        await wait_for(pilot, lambda: getattr(events, "selection", None) is not None, seconds=60)
        stack = await open_view(pilot, app, "stack")
        assert getattr(stack, "selection", None) is getattr(events, "selection", None)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is events)

        # Leaving the events view for the first view keeps it alive: `:events` brings
        # back the same view, its rows, and its Event history read, not a new read.
        selection = getattr(events, "selection", None)
        assert selection is not None and selection.feed is not None
        await wait_for(pilot, lambda: not selection.feed.lookup.progress().running, seconds=60)
        reads = sum(c.operation == "LookupEvents" for c in app.ctx.guard.calls)
        await open_view(pilot, app, "instances")
        await wait_for(pilot, lambda: app.screen is first)
        assert await open_view(pilot, app, "events") is events
        assert getattr(events, "selection", None) is selection
        await pilot.pause(0.5)
        assert sum(c.operation == "LookupEvents" for c in app.ctx.guard.calls) == reads


async def test_the_palette_offers_every_key_of_the_view_beneath_it(demo: DemoServer) -> None:
    """At 80 columns the footer shows a view's first keys only; Ctrl+P finds the rest
    (an instance's Snapshot, F, was in the help alone) and runs it."""
    app = demo_app(demo, allow_actions=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView)
                       and app.screen.loaded)
        await pilot.press("enter")  # the first instance's details
        await wait_for(pilot, lambda: isinstance(app.screen, InstanceDetailsView))
        await pilot.press("ctrl+p")
        await pilot.press(*"Snapshot")
        await wait_for(pilot, lambda: "key F in this view" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm), seconds=30)
        await pilot.press("escape")  # No: nothing is created


def test_a_view_is_named_by_the_start_of_its_name_when_only_one_fits() -> None:
    """`:insta` Enter, as the prompt suggests it, opens the instances view."""
    assert resolve("insta") == resolve(":Instances") == "instances"
    assert resolve("fin") == "findings"
    assert resolve("in") is None  # instances or indicators: said, not guessed
    assert resolve("") is None and resolve("nosuchview") is None


async def test_a_regions_full_status_is_under_the_table_for_the_row_at_the_cursor(
    demo: DemoServer,
) -> None:
    """The status column cuts a failure's reason at 80 columns ("failed (ResponseParserEr");
    the line under the table says it whole for the region at the cursor."""
    app = demo_app(demo)
    target = sorted(demo.regions)[0]
    reason = ("instances: failed (ResponseParserError: Unable to parse response, invalid"
              " XML received from the endpoint)")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.region_status.get(target, "").startswith("instances"),
                       "the first view's read")
        app.set_region_status(target, reason)  # as a failed read would have set it
        screen = await open_view(pilot, app, "regions")
        await wait_for(pilot, lambda: bool(screen._regions), "the regions")  # type: ignore[attr-defined]
        names = [info.name for info in screen._regions]  # type: ignore[attr-defined]
        await pilot.press("g", *["j"] * names.index(target))
        await wait_for(pilot, lambda: "invalid XML received from the endpoint)"
                       in " ".join(screen_text(app).split()), "the whole reason")


async def test_the_first_views_footer_shows_quit_and_a_pushed_view_shows_back(
    demo: DemoServer,
) -> None:
    """Esc does nothing on the first view, so its footer leaves it out; at 80 columns
    that room is what shows `q Quit`."""
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView), "instances")
        await wait_for(pilot, lambda: "q Quit" in footer_line(app), "q Quit in the footer")
        assert "esc Back" not in footer_line(app)
        await open_view(pilot, app, "sg")
        await wait_for(pilot, lambda: "esc Back" in footer_line(app), "esc Back in the footer")


async def test_every_views_footer_shows_help_at_80(demo: DemoServer) -> None:
    """`?` was the app's binding, listed after every view's own, and at 80 columns it
    was past the footer's edge (`? He…`) on most views: the key to every other key was
    out of sight. It is second now, after the table's Enter, on every view."""
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView), "instances")
        for name in sorted(VIEWS):
            await open_view(pilot, app, name)
            await wait_for(pilot, lambda: "? Help" in screen_text(app).splitlines()[-1],
                           f"? Help in the footer of {name}")


def footer_line(app: App[Any]) -> str:
    """The screen's line of keys (the one that offers `/ Filter`), '' before it is drawn."""
    return next((line for line in screen_text(app).splitlines() if "/ Filter" in line), "")


async def test_help_scrolls_with_j_and_names_every_key_it_lists(demo: DemoServer) -> None:
    """Help scrolls with j/k/G like every page of the app, and no key in it is listed
    without saying what it does (j, k, g, G had an empty label)."""
    app = demo_app(demo, first_view="regions")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, RegionsView), "regions")
        await pilot.press("f1")
        await wait_for(pilot, lambda: composed(app, HelpScreen, "TextScroll") is not None, "help")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        body = help_screen.body.plain
        assert "Down [rows.down]" in body and "Last row [rows.bottom]" in body
        assert not re.search(r"^\s+\S+\s{2,}\[", body, re.MULTILINE)  # a key, no label
        scroll = help_screen.query_one(TextScroll)
        await wait_for(pilot, lambda: scroll.max_scroll_y > 0, "help taller than the screen")
        await pilot.press("j")
        await wait_for(pilot, lambda: scroll.scroll_y > 0, "j scrolled")
        await pilot.press("G")
        await wait_for(pilot, lambda: scroll.scroll_y == scroll.max_scroll_y, "G at the end")


async def test_an_instance_pages_footer_shows_the_evidence_keys_at_80(demo: DemoServer) -> None:
    """F (snapshot) and I (image) were past the footer's edge at 80 columns, found only
    by ? or Ctrl+P."""
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, demo.facts.malicious_instance_id)

        def keys() -> str:
            return next((line for line in screen_text(app).splitlines() if "E Events" in line),
                        "")

        await wait_for(pilot, lambda: "I Image" in keys(), "I in the footer")
        assert "F Snapshot" in keys()


async def test_the_events_footer_offers_export_at_80(demo: DemoServer) -> None:
    """The four time presets filled the events footer at 80 columns, past Export and
    Quit; they are said in the filter bar's hint instead."""
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View), "the first view")
        await open_view(pilot, app, "events")
        await wait_for(pilot, lambda: "x Export" in footer_line(app), "x in the footer")
        assert "q Quit" in footer_line(app) and "1h" not in footer_line(app)
        await pilot.press("slash")
        await wait_for(pilot, lambda: "1-4: last 1h/24h/7d/90d" in screen_text(app), "hint")


async def test_a_note_replaces_the_one_with_its_title_so_marks_do_not_cover_the_table(
    demo: DemoServer,
) -> None:
    """`m` on four rows stacked four "indicator" notes, sixteen of the table's rows
    hidden at 80x24; the newest says all there is to know, so it is the one shown."""
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView)
                       and app.screen.loaded and app.case is not None, "instances")
        for _ in range(3):
            await pilot.press("m", "j")
        await pilot.press("m")
        case = app.case.case  # type: ignore[union-attr]
        await wait_for(pilot, lambda: len(case.indicators) == 4, "four marks")
        marked = [value for _, value in case.indicators]

        def shown() -> list[str]:
            return [f"{note.title}: {note.message}" for note in app._notifications]

        await wait_for(pilot, lambda: any(marked[-1] in note for note in shown()), "its note")
        await pilot.pause(0.3)
        [note] = [note for note in shown() if note.startswith("indicator:")]
        assert marked[-1] in note
        app.notify("eu-west-1: denied", title="regions")  # another title stays beside it
        await wait_for(pilot, lambda: "regions: eu-west-1: denied" in shown(), "a region's")
        assert note in shown()


async def test_m_where_nothing_can_be_marked_says_so(demo: DemoServer) -> None:
    """`m` was off in :regions and :posture, and pressed there it did nothing at all:
    no mark, no word. It says why now, and the footer still leaves it out."""
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView)
                       and app.case is not None, "instances")
        for name in ("regions", "posture"):
            await open_view(pilot, app, name)
            await wait_for(pilot, lambda: "? Help" in screen_text(app).splitlines()[-1],
                           "the footer")
            assert "m Mark" not in screen_text(app).splitlines()[-1]
            said = await said_after(pilot, app, "m")
            assert said.startswith("nothing to mark in this view"), said
        assert not app.case.case.indicators  # type: ignore[union-attr]


async def test_a_filter_typed_after_the_views_name_opens_it_filtered(demo: DemoServer) -> None:
    """`:events name:RunInstances` answered "no view 'events name:RunInstances'": a vim
    or k9s user gives a command its argument on the same line."""
    from awsir_tui.ui.ec2_groups import SecurityGroupsView

    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView), "instances")
        await pilot.press("colon", *"sg open:22", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SecurityGroupsView)
                       and "/open:22" in screen_text(app), "the groups, filtered")
        groups = app.screen
        assert isinstance(groups, SecurityGroupsView)
        await wait_for(pilot, lambda: groups.loaded, "the groups read")
        counted = re.search(r"\b(\d+) of (\d+) groups", screen_text(app))
        assert counted and 0 < int(counted[1]) < int(counted[2]), screen_text(app)
        await pilot.press("colon", *"stack name:x", "enter")
        await wait_for(pilot, lambda: ":stack takes no filter" in screen_text(app), "refused")
        assert isinstance(app.screen, SwitchView)
