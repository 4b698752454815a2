"""`m` on a secret the event's tree shows redacted marks nothing (QA, #4): the literal
``**REDACTED**`` went into the case as an indicator of kind other, and from there into
the txt export's grep list.

Over an archive holding one GetSessionToken record as CloudTrail writes it, its issued
credentials in responseElements, opened and searched by keys at 80x24.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.cli import Options
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import said_after, screen_text, wait_for
from tests.helpers_ui_events import offline_app
from tests.test_ui_events_viewer import open_detail

ISSUED_KEY = "ASIASTJKC5GCM7ZE6LUP"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"


def session_token_record() -> dict[str, Any]:
    """GetSessionToken by an IAM user: the response holds the new key, its secret and
    its session token."""
    return {
        "eventVersion": "1.08",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDAN7SEM6PEVTNQR8M4",
                         "arn": "arn:aws:iam::742491224508:user/alice",
                         "accountId": "742491224508", "accessKeyId": "AKIA6V1GNZTT65XQH36M",
                         "userName": "alice"},
        "eventTime": "2024-11-30T08:43:17Z",
        "eventSource": "sts.amazonaws.com",
        "eventName": "GetSessionToken",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.7",
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": {"durationSeconds": 129600},
        "responseElements": {"credentials": {
            "accessKeyId": ISSUED_KEY,
            "secretAccessKey": SECRET,
            "sessionToken": "IQoJb3JpZ2luX2VjEOH//////////wEaCXVzLWVhc3QtMSJIMEYCIQDzpomG",
            "expiration": "Dec 1, 2024, 8:43:17 PM",
        }},
        "requestID": "e2de7fd1-2a86-4837-b15a-96fff1388061",
        "eventID": "6e882b9d-2af8-4c67-b91f-aeac6a0e5e71",
        "readOnly": True,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": "742491224508",
        "eventCategory": "Management",
    }


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the record in a CloudTrail file; cases go to a fresh folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "session-token.json").write_text(json.dumps({"Records": [session_token_record()]}))
    return folder


async def search_and_mark(pilot: Pilot[Any], app: AwsirApp, needle: str, key: str) -> str:
    """`/needle⏎`, which finds the credentials' ``key``, then `m`: what it says."""
    await pilot.press("slash", *needle, "enter")
    await wait_for(pilot, lambda: f"credentials.{key}" in screen_text(app), f"{key} found")
    return await said_after(pilot, app, "m")


async def test_m_on_a_redacted_secret_marks_nothing(archive: Path) -> None:
    app = offline_app(Options(sources=[str(archive)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and app.screen.table.row_count == 1
                       and app.screen.table.peek_row(0) is not None
                       and app.case is not None
                       and "loaded" in screen_text(app)
                       and all(w.is_finished for w in app.workers if w.group == "account"),
                       "the archive read, a case open")
        await open_detail(pilot, app)
        assert app.case is not None
        indicators = app.case.case.indicators

        said = await search_and_mark(pilot, app, "secretAccessKey", "secretAccessKey")
        assert "nothing to mark" in said
        assert "secretAccessKey: \"**REDACTED**\"" in screen_text(app)
        assert not indicators
        # Enter there offered y, which would yank "**REDACTED**": it says what it is.
        said = await said_after(pilot, app, "enter")
        assert "redacted" in said and "y yanks" not in said

        # The issued key beside it is the indicator to keep, and m keeps it.
        said = await search_and_mark(pilot, app, ISSUED_KEY, "accessKeyId")
        assert "marked" in said and ISSUED_KEY in said
        # (with the event it was read in: the evidence where it was seen)
        assert [kind for kind, _ in indicators] == ["event-id", "access-key"]
        assert ("access-key", ISSUED_KEY) in indicators
