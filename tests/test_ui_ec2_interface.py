"""A network interface's page reads as a designed page (what a responder needs first,
its groups one Enter from their pages), and `m` keeps an interface as an interface,
through the case file and back to the events mentioning it."""

from __future__ import annotations

import re

from awsir_tui.case import Case, CaseStore
from awsir_tui.case.pivot import Pivot, pivots
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_details import InterfaceView
from awsir_tui.ui.ec2_groups import SecurityGroupView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ec2 import (
    last_notification,
    lines_of,
    make_app,
    move_to,
    open_edge_proxy,
    sheet,
)


async def test_the_interface_page_shows_what_a_responder_needs_and_opens_its_groups(
    demo: DemoServer
) -> None:
    """It was a raw dump at 80x24 (``Association.IpOwnerId``, ``Groups[0].GroupId``,
    ``Attachment.InstanceId`` cut), and `m` on its row kept "other". `y` on the public
    row copied the whole line."""
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_edge_proxy(pilot, app)
        instance = app.screen.instance  # type: ignore[attr-defined]
        instance_id, public_ip = str(instance["InstanceId"]), str(instance["PublicIpAddress"])
        group_id = str(instance["SecurityGroups"][0]["GroupId"])
        await move_to(pilot, app, "eni-")
        eni_id = app.screen.sheet.target()[1]  # type: ignore[attr-defined,index]
        await pilot.press("m")  # an interface, not "other"
        assert last_notification(app) == f"marked interface {eni_id}"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InterfaceView), "the interface")
        await wait_for(pilot, lambda: "Attachments" in screen_text(app), "the page")
        shown = lines_of(screen_text(app))
        heads = [line for line in shown if line][2:5]
        assert heads == ["Interface", f"ID {eni_id}", "Status in-use"], shown
        # The public address with its owner and DNS name is too long to sit beside its
        # label at 80 columns: it goes whole on the line under it, each part uncut.
        at = shown.index("public")
        dns = rf"\S*{public_ip.replace('.', '-')}\S*"  # its name: the address, dashed
        assert re.fullmatch(rf"{re.escape(public_ip)} owner {demo.account_id} {dns}",
                            shown[at + 1]), shown
        group_row = next(line for line in shown if line.startswith(group_id))
        rows = sheet(app)
        assert not [row for row in rows if "[0]." in row or row.startswith("Association")], rows

        await move_to(pilot, app, f"public {public_ip}")
        await pilot.press("m")  # the public address, as the instance page marks it
        assert last_notification(app) == f"marked ip {public_ip}"
        await pilot.press("y")  # the address, not its owner and DNS name after it
        assert app.clipboard == public_ip
        await move_to(pilot, app, instance_id)  # its attachment, below the first screen
        await wait_for(pilot, lambda: "device index" in screen_text(app), "the attachment")
        # Too long beside its instance: the ID whole on its line, the rest under it.
        shown = lines_of(screen_text(app))
        at = shown.index(f"{instance_id} \u25b8")
        assert re.fullmatch(r"device index 0 since 20\d\d-\S+Z (kept|deleted) on termination",
                            shown[at + 1]), shown
        await move_to(pilot, app, group_id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SecurityGroupView), group_row)
        assert app.screen.group["GroupId"] == group_id  # type: ignore[attr-defined]

        assert app.case is not None
        indicators = app.case.case.indicators
        assert indicators[("interface", eni_id)].sightings[0].region == "eu-west-1"
        assert ("ip", public_ip) in indicators


def test_an_interface_indicator_round_trips_and_pivots_to_the_events_mentioning_it() -> None:
    case = Case("default")
    case.mark("eni-33fafa644c73705e7", "interface", source="instance details")
    case.mark("eni-0a1b2c3d4e5f60718", source="events")  # guessed from its ID
    CaseStore().save(case)
    loaded = CaseStore().load("default")
    kinds = {value: kind for kind, value in loaded.indicators}
    assert kinds == {"eni-33fafa644c73705e7": "interface", "eni-0a1b2c3d4e5f60718": "interface"}
    indicator = loaded.indicators[("interface", "eni-33fafa644c73705e7")]
    assert pivots(indicator) == [
        Pivot("events", "eni-33fafa644c73705e7", "events mentioning it")]
