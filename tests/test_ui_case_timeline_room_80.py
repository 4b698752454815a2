""":timeline at 80x24 shows what a forensic action acted on and made whole (#5,
responder review): a snapshot made read ``vol-1e388380a4932a076 →
snap-beefc436f25345088 (Cre…``, the call's name, 17 cells, past the room beside the
time and ``ok``. What it made (``snap-``, ``ami-``) says the call; why (``l`` away)
and the pane name it, and a call that made nothing is still named in what."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.case import Case, CaseStore
from awsir_tui.case.action import Action
from awsir_tui.case.model import Note, TimelineEntry
from awsir_tui.detect.finding import Finding
from awsir_tui.ui.case_timeline import TimelineTable, TimelineView
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_ui_events import account_ready, offline_app

TITLE = "Instance role credentials used outside the instance"
NOTE = "creds rotated at 13:40, i-b2547952490b7fe51 isolated"
VOLUME, SNAPSHOT = "vol-1e388380a4932a076", "snap-beefc436f25345088"
DECLINED = "vol-60eca6b5ed0493421"


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The case goes to a fresh XDG data directory, never the developer's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return tmp_path


def _at(minute: int) -> datetime:
    return datetime(2024, 11, 30, 13, minute, tzinfo=UTC)


def _snapshot(minute: int, volume: str, outcome: str, created: str = "") -> Action:
    return Action(_at(minute), "ec2", "us-east-1", "CreateSnapshot", True, outcome,
                  resource=volume, created=created,
                  who="arn:aws:sts::123456789012:assumed-role/IR/responder")


def _saved_case() -> None:
    """The demo's story after F: the finding's calls (all ok), the finding kept, a note,
    one snapshot declined and one made."""
    case = Case("default")  # the case an app that cannot learn its account opens
    case.timeline = {
        "e1": TimelineEntry("e1", _at(1), "GetCallerIdentity", user="i-b2547952490b7fe51",
                            why=f"flagged: {TITLE}"),
        "e2": TimelineEntry("e2", _at(8), "AuthorizeSecurityGroupIngress",
                            user="i-b2547952490b7fe51", why=f"flagged: {TITLE}"),
    }
    case.findings = [Finding("r1", TITLE, "critical", "T1552.005", ("e1", "e2"), "",
                             first_time=_at(1))]
    case.notes = [Note(_at(20), NOTE)]
    case.actions = [_snapshot(30, DECLINED, "declined"),
                    _snapshot(31, VOLUME, "ok", SNAPSHOT)]
    CaseStore().save(case)


def _rows(view: TimelineView) -> list[str]:
    """The table's lines on screen."""
    region = view.query_one(TimelineTable).region
    lines = screen_text(view.app).splitlines()[region.y:region.bottom]
    return [line[region.x:region.right] for line in lines]


async def _timeline(pilot: Pilot[Any], app: AwsirApp, shown: str) -> list[str]:
    """:timeline opened, once ``shown`` is on screen: the table's lines."""
    await wait_for(pilot, lambda: account_ready(app))
    view = await open_view(pilot, app, "timeline")
    assert isinstance(view, TimelineView)
    await wait_for(pilot, lambda: shown in screen_text(app), "the rows drawn")
    rows = _rows(view)
    assert rows[0].split()[2:4] == ["what", "outcome"], rows
    return rows


async def test_what_an_action_made_whole_at_80() -> None:
    _saved_case()
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        rows = await _timeline(pilot, app, SNAPSHOT[:8])
        # The snapshot made: what it acted on and what it made, whole, then ok.
        made = next(row for row in rows if VOLUME in row).split()
        assert made[2:] == [VOLUME, "→", SNAPSHOT, "ok"], made
        # The one declined made nothing: the call names it.
        declined = next(row for row in rows if DECLINED in row).split()
        assert declined[2:] == [DECLINED, "(CreateSnapshot)", "declined"], declined
        # Beside them, the kept finding's title and the note's words, whole.
        assert any(f" {TITLE} " in row for row in rows), rows
        assert any(f" {NOTE} " in row for row in rows), rows
        # l: who, then why names the call an action made.
        await pilot.press("l", "l")
        await wait_for(pilot, lambda: "forensic action: CreateSnapshot" in screen_text(app),
                       "why in sight")
