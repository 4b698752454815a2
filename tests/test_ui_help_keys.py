"""`?` lists the keys that work where it is opened, and only those: the EC2 lists' vim
keys (j/k/g/G/h/l, as :regions lists them), an instance page's Enter (its main pivot),
and no J/K in the event page's text view, which has no pane for them to scroll. Keys
pressed at 80x24 on the demo account and on a real CloudTrail record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.record import from_record
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.ec2_details import InstanceDetailsView
from awsir_tui.ui.ec2_groups import SecurityGroupsView
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.ec2_keys import KeyPairsView
from awsir_tui.ui.events_detail import EventDetailView
from tests.helpers_app import composed, open_view, screen_text, wait_for
from tests.helpers_ec2 import loaded_list, make_app, open_instance_details
from tests.helpers_events import federation_token_record
from tests.helpers_ui_events import account_ready, offline_app

#: What the lists' help must say of each vim key.
ROW_KEYS = {"j": "rows.down", "k": "rows.up", "g": "rows.top", "G": "rows.bottom",
            "l": "rows.right", "h": "rows.left"}


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cases go to a fresh folder per test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


async def help_keys(pilot: Pilot[Any], app: AwsirApp) -> dict[str, str]:
    """`?` over the view on top: each key its help lists, with the binding id beside it
    (``j`` -> ``rows.down``); the help closed again."""
    await pilot.press("question_mark")
    await wait_for(pilot, lambda: composed(app, HelpScreen, "Static"), "the help")
    assert isinstance(app.screen, HelpScreen)
    keys = {}
    for line in app.screen.body.plain.split("Keys (binding id")[1].splitlines():
        # "         j  Down [rows.down]": the keys, two spaces, what they do, the id
        if line.rstrip().endswith("]") and "  " in line.strip():
            shown = line.strip().split("  ", 1)[0]
            for key in shown.split(", "):
                keys[key] = line.rstrip()[:-1].rsplit("[", 1)[1]
    await pilot.press("escape")
    await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen), "the help closed")
    return keys


async def test_the_ec2_lists_and_the_instance_page_list_the_keys_that_move(
    demo: DemoServer,
) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        keys = await help_keys(pilot, app)
        assert {key: keys.get(key) for key in ROW_KEYS} == ROW_KEYS
        for name, view in (("sg", SecurityGroupsView), ("keys", KeyPairsView)):
            await open_view(pilot, app, name)
            await loaded_list(pilot, app, view)
            keys = await help_keys(pilot, app)
            assert {key: keys.get(key) for key in ROW_KEYS} == ROW_KEYS, name
        await open_view(pilot, app, "instances")
        await open_instance_details(pilot, app, demo.facts.malicious_instance_id)
        assert isinstance(app.screen, InstanceDetailsView)
        keys = await help_keys(pilot, app)
        assert keys.get("enter") == "page.open"  # its rows marked ▸ open what they name
        assert keys.get("j") == "rows.down" and keys.get("E") == "details.events"


async def test_the_event_pages_text_view_leaves_out_j_k_of_the_hidden_pane() -> None:
    record = federation_token_record()
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "regions")
        page = EventDetailView(from_record(record))
        await app.push_screen(page)
        await wait_for(pilot, lambda: "requestParameters" in screen_text(app), "the tree")
        keys = await help_keys(pilot, app)
        assert keys.get("J") == "pane.down" and keys.get("K") == "pane.up"  # the tree's
        await pilot.press("t")
        await wait_for(pilot, lambda: page.has_class("-text"), "the text view")
        keys = await help_keys(pilot, app)
        assert "J" not in keys and "K" not in keys, keys
        assert keys.get("t") == "event.text"
