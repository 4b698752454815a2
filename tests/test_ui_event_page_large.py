"""The event page of a record too large to show whole, at 80x24 (QA, #4): DeleteObjects
with 3,000 keys in its request. The tree hid every field after the request, and its
note sent the responder to a text view that is cut too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.events.record import from_record
from awsir_tui.ui.events_detail import EventDetailView
from tests.helpers_app import said_after, saved_path, screen_text, wait_for
from tests.helpers_ui_events import account_ready, offline_app

SIZE = (80, 24)
KEYS = 3_000
#: The top-level fields after ``requestParameters``, which the tree left out.
AFTER = ("responseElements", "requestID", "eventID", "readOnly", "eventType",
         "recipientAccountId")


def delete_objects(keys: int = KEYS) -> dict[str, Any]:
    """S3 DeleteObjects of ``keys`` objects, as a data event records it (53 KB)."""
    return {
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "userName": "alice",
                         "accessKeyId": "AKIAIOSFODNN7EXAMPLE"},
        "eventTime": "2025-03-02T10:00:00Z",
        "eventSource": "s3.amazonaws.com",
        "eventName": "DeleteObjects",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.9",
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": {"bucketName": "prod-data",
                              "delete": {"objects": [{"key": f"k{n}"} for n in range(keys)]}},
        "responseElements": None,
        "requestID": "B1D7E0A1C2F3",
        "eventID": "11111111-2222-3333-4444-555555555555",
        "readOnly": False,
        "eventType": "AwsApiCall",
        "recipientAccountId": "111122223333",
    }


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Cases and yanked files go to a fresh folder per test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


async def open_page(pilot: Pilot[Any], app: AwsirApp, shown: dict[str, Any]) -> None:
    await wait_for(pilot, lambda: account_ready(app), "regions")
    await app.push_screen(EventDetailView(from_record(shown)))
    await wait_for(pilot, lambda: "requestParameters" in screen_text(app), "the event's tree")


async def test_every_top_level_field_shows_after_a_request_of_3000_keys(
    isolated_dirs: Path,
) -> None:
    """The fields after the request are in the tree, in order; a key the tree had no
    room for says so on its line, and y there yanks it whole."""
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, delete_objects())
        rows = screen_text(app).splitlines()
        found = [next((n for n, row in enumerate(rows) if line in row), -1)
                 for line in ("\u25b6 requestParameters {2}", *(f" {key}: " for key in AFTER))]
        assert -1 not in found and found == sorted(found), screen_text(app)
        assert "more left out" not in screen_text(app)
        # The last key's object is left out of the tree (the budget went to the levels
        # above it): its line says so.
        await pilot.press("slash", *"[2999]", "enter")
        await wait_for(pilot, lambda: "[2999] {1} \u2026 1 left out: y yanks it whole"
                       in screen_text(app), "the last object's line")
        said = await said_after(pilot, app, "y", "endpoint URL")
        [saved] = isolated_dirs.rglob("yank-*.json")
        assert saved_path(said) == saved
        assert json.loads(saved.read_text()) == {"key": f"k{KEYS - 1}"}


async def test_the_text_view_cut_says_Y_yanks_it_all() -> None:
    """Cut at 200,000 characters, the text view said y yanks it all, but y yanks the
    value under the tree's cursor (the root's children were on screen before)."""
    shown = delete_objects(3)
    shown["requestParameters"]["bucketName"] = "b" * 300_000
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, shown)
        await pilot.press("t", "G")
        await wait_for(pilot, lambda: "characters; Y yanks it all" in screen_text(app),
                       "the cut note at the end")
