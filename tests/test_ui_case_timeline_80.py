""":timeline at 80x24 shows a note's words, and who made each call one `l` away, as the
events table does: the year in the header, not in each row. With the year in every
row (20 cells a time), the names whole and the outcomes readable, who and why were
pushed past the right edge, and a note (its text in why) showed ``mallory=…`` or
nothing. (Since #5's review the outcome's codes show whole before who.)"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from awsir_tui.case import Case, CaseStore
from awsir_tui.case.model import Note, TimelineEntry
from awsir_tui.detect.finding import Finding
from awsir_tui.ui.case_timeline import TimelineView
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_ui_events import account_ready, offline_app

#: The responder's words, longer than any column at 80.
NOTE = "mallory=attacker; creds rotated at 13:40, i-b2547952490b7fe51 isolated"


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The case goes to a fresh XDG data directory, never the developer's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return tmp_path


def _at(minute: int, second: int = 0, year: int = 2024) -> datetime:
    return datetime(year, 11, 30, 13, minute, second, tzinfo=UTC)


def _saved_case() -> None:
    """A case as the demo's makes it: the calls of a finding kept (the longest name
    29 letters, two failed), the finding and a note, all of 2024."""
    case = Case("default")  # the case an app that cannot learn its account opens
    case.timeline = {
        "e1": TimelineEntry("e1", _at(1, 40), "GetCallerIdentity", user="mallory",
                            why="flagged: Instance role credentials used outside"),
        "e2": TimelineEntry("e2", _at(5, 22), "RunInstances", user="mallory",
                            outcome="InstanceLimitExceeded"),
        "e3": TimelineEntry("e3", _at(8, 27), "AuthorizeSecurityGroupIngress",
                            user="mallory"),
        "e4": TimelineEntry("e4", _at(9, 41), "RunInstances", user="mallory",
                            outcome="Client.UnauthorizedOperation"),
    }
    case.findings = [Finding("r1", "Instance role credentials used outside the instance",
                             "critical", "T1552.005", ("e1", "e2", "e3", "e4"), "",
                             first_time=_at(1, 40))]
    case.notes = [Note(_at(54, 26), NOTE)]
    CaseStore().save(case)


async def test_who_and_a_notes_words_in_sight_at_80() -> None:
    _saved_case()
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app))
        view = await open_view(pilot, app, "timeline")
        assert isinstance(view, TimelineView)
        await wait_for(pilot, lambda: "AuthorizeSecurityGroupIngress" in screen_text(app),
                       "the rows drawn")
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if "what" in line)
        # The year said once; the outcome in sight (its codes whole), who and why
        # `l` away.
        assert header.split()[:4] == ["2024", "(UTC)", "what", "outcome"], header
        # Every row's time to the second, without the year.
        call = next(line for line in lines if "AuthorizeSecurityGroupIngress" in line)
        assert call.split()[:2] == ["11-30", "13:08:27"], call
        # The note's words readable in its row (whole in the pane under it).
        note = next(line for line in lines if "13:54:26" in line)
        assert "mallory=attacker; creds rota" in note, note
        # l: the caller and the finding's technique shown.
        await pilot.press("l")
        await wait_for(pilot, lambda: "who" in screen_text(app), "who in sight")
        lines = screen_text(app).splitlines()
        assert "mallory" in next(line for line in lines if "AuthorizeSecurityGroupIn" in line)
        assert "T1552.005" in next(line for line in lines if "critical" in line)
