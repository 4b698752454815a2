"""The event page's tree at 80x24: an empty object or array is a leaf, ``{}`` / ``[]``,
not a node with an arrow that opens on nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.events.record import from_record
from awsir_tui.ui.events_detail import EventDetailView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ui_events import account_ready, offline_app

RECORD = {
    "eventVersion": "1.09",
    "requestParameters": {"blockDeviceMapping": {}, "groupSet": [], "instanceType": "p3.2xlarge"},
    "userIdentity": {"type": "AssumedRole"},
    "eventTime": "2026-11-29T16:24:22Z",
    "eventSource": "ec2.amazonaws.com",
    "eventName": "RunInstances",
    "awsRegion": "eu-west-1",
    "eventID": "29d97467-4037-48a7-9300-f9d01406c38e",
}


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def line_of(text: str, key: str) -> str:
    return next(line for line in text.splitlines() if key in line)


async def test_an_empty_object_or_array_is_a_leaf_with_no_arrow() -> None:
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "regions")
        page = EventDetailView(from_record(RECORD))
        await app.push_screen(page)
        await wait_for(pilot, lambda: "userIdentity" in screen_text(app), "the event's tree")
        await pilot.press("j", "j", "space")  # requestParameters, opened
        await wait_for(pilot, lambda: "blockDeviceMapping" in screen_text(app), "opened")
        text = screen_text(app)
        assert "\u25bc requestParameters {3}" in text  # a container that opens: its arrow
        for key, empty in (("blockDeviceMapping", "{}"), ("groupSet", "[]")):
            line = line_of(text, key)
            assert f"{key}: {empty}" in line
            assert "\u25b6" not in line and "\u25bc" not in line
        rows = len(list(page.json_tree.walk()))
        await pilot.press("j", "enter", "j", "space")  # Enter and space on them: no opening
        await pilot.pause()
        assert len(list(page.json_tree.walk())) == rows
        assert "\u25b6" not in line_of(screen_text(app), "blockDeviceMapping")
