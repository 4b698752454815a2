"""Yanks from the event page carry no escape sequence of the log's (QA, #4 #6): the
clipboard and the file under the exports got the attacker's ESC and OSC 52 raw, which
ran when the file was ``cat`` or the value pasted into a terminal."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.events.record import from_record
from awsir_tui.ui.events_detail import EventDetailView
from awsir_tui.ui.json_view import JsonNode
from tests.helpers_app import said_after, screen_text, wait_for
from tests.helpers_ui_events import account_ready, offline_app

SIZE = (80, 24)
#: What a terminal acts on: C0 controls but line feed and tab, DEL, C1 (0x9b: CSI).
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Ends a colour, then opens rich markup: ESC raw in the file.
IP = "10.0.0.1\x1b[0m[red]"
#: OSC 52: writes the clipboard of the terminal that shows it.
USER_DATA = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGV8c2g=\x07"
#: The 8-bit CSI, which JSON may hold raw.
NOTE = "a\x9b2Jb"


def hostile_record() -> dict[str, Any]:
    return {
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "userName": "mallory"},
        "eventTime": "2025-03-02T10:00:00Z",
        "eventSource": "ec2.amazonaws.com",
        "eventName": "RunInstances",
        "awsRegion": "us-east-1",
        "sourceIPAddress": IP,
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": {"userData": USER_DATA, "description": NOTE},
        "eventID": "11111111-2222-3333-4444-555555555555",
    }


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Cases and yanked files go to a fresh folder per test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


def cursor_key(page: EventDetailView) -> str:
    node = page.json_tree.cursor_node
    return node.data.key if node is not None and isinstance(node.data, JsonNode) else ""


async def yanked(pilot: Pilot[Any], app: AwsirApp, key: str) -> tuple[str, str]:
    """Press ``key``: the file it saved and what went to the clipboard, both as text."""
    said = await said_after(pilot, app, key, "endpoint URL")
    path = Path("".join(said.rsplit("saved to\n", 1)[1].splitlines()))  # a folder a line
    return path.read_bytes().decode("utf-8"), app.clipboard


async def test_y_and_Y_yank_values_with_their_controls_made_inert() -> None:
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "regions")
        page = EventDetailView(from_record(hostile_record()))
        await app.push_screen(page)
        await wait_for(pilot, lambda: "requestParameters" in screen_text(app), "the tree")
        # A value: as the screen shows it, every control written one way.
        await pilot.press("slash", *"sourceIPAddress", "enter")
        await wait_for(pilot, lambda: cursor_key(page) == "sourceIPAddress", "the IP")
        saved, copied = await yanked(pilot, app, "y")
        assert saved == copied == "10.0.0.1\\x1b[0m[red]"
        await pilot.press("slash", *"userData", "enter")
        await wait_for(pilot, lambda: cursor_key(page) == "userData", "the user data")
        saved, copied = await yanked(pilot, app, "y")
        assert saved == copied == "\\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGV8c2g=\\x07"
        # An object, and the whole event: JSON that reads back as the record, with
        # JSON's escapes for what a terminal would act on.
        await pilot.press("k")
        await wait_for(pilot, lambda: cursor_key(page) == "requestParameters", "the request")
        saved, copied = await yanked(pilot, app, "y")
        assert saved == copied and not RAW_CONTROL.search(saved)
        assert json.loads(saved) == {"userData": USER_DATA, "description": NOTE}
        saved, copied = await yanked(pilot, app, "Y")
        assert saved == copied and not RAW_CONTROL.search(saved)
        assert json.loads(saved) == hostile_record()
