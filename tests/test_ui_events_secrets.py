"""What the events viewer shows and exports of the credentials an event issued: the
access key ID (the next pivot) and its expiry, never the session token.

Over the real GetFederationToken record of the shared Stratus logs, through the keys a
responder presses: the event's JSON tree, ``x`` (JSON lines) and ``X`` (CSV).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from awsir_tui.cli import Options
from awsir_tui.ui.events_detail import EventDetailView
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ui_events import offline_app

STRATUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cloudtrail" / (
    "stratus-red-team"
)
FEDERATION = STRATUS / "aws.persistence.sts-federation-token.json"


@pytest.fixture
def exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Cases and exports go to a fresh folder per test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path / "exports"))
    return tmp_path / "exports"


async def test_issued_key_id_is_shown_and_exported_and_the_token_never(exports: Path) -> None:
    [record] = [r for r in json.loads(FEDERATION.read_text())
                if r["eventName"] == "GetFederationToken"]
    issued = record["responseElements"]["credentials"]
    key_id, token = issued["accessKeyId"], issued["sessionToken"]
    app = offline_app(Options(sources=[str(FEDERATION)]))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                    and "loaded" in screen_text(app), "archive loaded")
        view = app.screen
        assert isinstance(view, EventsView)
        await pilot.press("slash", *"name:GetFederationToken", "enter")
        # Counted is not read: the table's reader thread reads the store's row, and
        # Enter on a row still "…" only says it is still being read.
        await wait_for(pilot, lambda: view.table.row_count == 1
                       and view.table.peek_row(0) is not None, "the one event, read")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventDetailView), "its JSON tree")
        detail = app.screen
        assert isinstance(detail, EventDetailView)
        labels = [str(node.label) for node in detail.json_tree.walk()]
        assert any(key_id in label and "accessKeyId" in label for label in labels)
        assert any(issued["expiration"] in label for label in labels)
        assert any("sessionToken" in label and "**REDACTED**" in label for label in labels)
        assert not any(token[:20] in label for label in labels)

        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is view, "back to the events")
        for key, extension in (("x", "jsonl"), ("X", "csv")):
            await pilot.press(key)
            await wait_for(pilot, lambda ext=extension: len(list(exports.glob(f"*.{ext}"))) == 1,
                        f"{extension} export")
    (jsonl,) = exports.glob("events-*.jsonl")
    (line,) = jsonl.read_text().splitlines()
    assert json.loads(line)["responseElements"]["credentials"] == {
        "accessKeyId": key_id, "expiration": issued["expiration"], "sessionToken": "**REDACTED**"
    }
    (table,) = exports.glob("events-*.csv")
    with table.open(newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert key_id in row["resources"].split(", ")
    assert token[:20] not in jsonl.read_text() + table.read_text()
