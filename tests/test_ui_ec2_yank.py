"""`y` in the EC2 views (Textual Pilot, 80x24, the demo account): an instance ID, a
group ID or a key's name copied from a list, a row's value from a details page, to the
clipboard (OSC 52) and to a file, as the event view does; in the help and the palette."""

from __future__ import annotations

import json

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.ec2_groups import SecurityGroupsView, SecurityGroupView
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.ec2_keys import KeyPairsView
from tests.helpers_app import open_view, wait_for
from tests.helpers_ec2 import (
    last_notification,
    loaded_list,
    loaded_sheet,
    make_app,
    move_to,
    open_instance_details,
    type_filter,
)
from tests.helpers_iam import open_policy, open_role


def yanked(app: AwsirApp) -> list[str]:
    """What the yanks wrote, oldest first; each is also the clipboard when it was made."""
    return [path.read_text() for path in sorted(app.export_folder().glob("yank-*.txt"))]


async def press_y(pilot: Pilot[int], app: AwsirApp, expected: str) -> None:
    """`y`, then the clipboard, the newest yank file and the notification hold ``expected``."""
    before = len(yanked(app))
    await pilot.press("y")
    assert app.clipboard == expected
    await wait_for(pilot, lambda: len(yanked(app)) > before and "and saved to\n"
                   in last_notification(app), "the yank file")  # written in a thread
    assert yanked(app)[-1] == expected
    assert last_notification(app).startswith(expected[:59])
    assert "copied to the clipboard (OSC 52) and saved to\n" in last_notification(app)


async def test_y_copies_the_rows_id_in_every_list(demo: DemoServer) -> None:
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await type_filter(pilot, f"id:{facts.malicious_instance_id}")
        await press_y(pilot, app, facts.malicious_instance_id)

        await open_view(pilot, app, "sg")
        await loaded_list(pilot, app, SecurityGroupsView)
        await type_filter(pilot, f"id:{facts.attacker_group_id}")
        await press_y(pilot, app, facts.attacker_group_id)

        await open_view(pilot, app, "keys")
        await loaded_list(pilot, app, KeyPairsView)
        await type_filter(pilot, f"name:={facts.attacker_key_name}")
        await press_y(pilot, app, facts.attacker_key_name)
        assert len(yanked(app)) == 3

        await pilot.press("f1")  # said in the help, with its binding id, and the palette
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        assert isinstance(app.screen, HelpScreen)
        assert "Yank [list.yank]" in app.screen.body.plain
        await pilot.press("escape")
        commands = [command.title for command in app.get_system_commands(app.screen)]
        assert "Yank" in commands


async def test_y_copies_a_details_rows_value_or_the_id_it_stands_for(demo: DemoServer) -> None:
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, facts.malicious_instance_id)
        await move_to(pilot, app, "ID i-")
        await press_y(pilot, app, facts.malicious_instance_id)
        await move_to(pilot, app, f"{facts.attacker_group_id} \u25b8")  # ID, then the name
        await press_y(pilot, app, facts.attacker_group_id)
        await move_to(pilot, app, f"Name \u25b8 {facts.attacker_key_name}")
        await press_y(pilot, app, facts.attacker_key_name)
        await move_to(pilot, app, "Fingerprint")
        fingerprint = app.screen.sheet.value_at_cursor()  # type: ignore[attr-defined]
        await press_y(pilot, app, fingerprint)
        await move_to(pilot, app, "Security groups")  # a heading: its whole section
        before = len(yanked(app))
        await pilot.press("y")
        section = str(app.clipboard).splitlines()
        assert section[0].startswith("Security groups")
        assert any(line.startswith(facts.attacker_group_id) for line in section[1:])
        assert not any(line.startswith(("Key pair", "Name ")) for line in section)  # its own
        # Plain text for a ticket: the page's own mark of a row Enter opens is not in it.
        assert "\u25b8" not in str(app.clipboard)
        assert f"{facts.attacker_group_id}  " in str(app.clipboard)
        await wait_for(pilot, lambda: len(yanked(app)) > before, "the yank file")
        assert last_notification(app).startswith("the section Security groups copied")

        await move_to(pilot, app, f"{facts.attacker_group_id} \u25b8")
        await pilot.press("enter")
        await loaded_sheet(pilot, app, SecurityGroupView)
        await move_to(pilot, app, facts.malicious_instance_id)  # a user: its ID
        await press_y(pilot, app, facts.malicious_instance_id)


async def test_y_on_the_role_page_and_a_policy(demo: DemoServer) -> None:
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, facts.proxy_instance_id)
        await open_role(pilot, app)
        await move_to(pilot, app, "Arn")
        await press_y(pilot, app, f"arn:aws:iam::{facts.account_id}:role/{facts.role_name}")
        await open_policy(pilot, app, "inline")
        await pilot.press("y")  # on the document: all of it, as JSON
        assert json.loads(app.clipboard)["Statement"][0]["Action"] == ["ec2:*"]
        await wait_for(pilot, lambda: last_notification(app).startswith(
            "policy copied to the clipboard"), "the notification")
