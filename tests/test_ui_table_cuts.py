"""At 80x24 no table value is cut by the screen's edge unmarked: a cell cut ends with "…"
(two users cut bare read as other users), and the findings show first and last."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from awsir_tui.cli import Options
from awsir_tui.ui.case_timeline import TimelineView
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.findings_view import FindingsView
from awsir_tui.ui.fitting import fitted_widths
from awsir_tui.ui.stack_view import NO_VALUE, StackView
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_ui_events import offline_app

CLOUDTRAIL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cloudtrail"


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Cases go to a fresh XDG data dir, never the developer's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return tmp_path


def test_the_widest_free_text_column_gives_way_and_none_straddles_the_edge() -> None:
    assert fitted_widths([7, 42, 25, 20], [1, 2], 78) == [7, 21, 22, 20]
    # A time column that cannot fit starts past the edge, whole, not cut by it.
    widths = fitted_widths([6, 20, 16, 16], [1], 40)
    assert widths == [6, 12, 16, 16]  # the fourth starts at 40, the edge


def _row_ends(text: str) -> list[str]:
    """Each line of the screen's table area, trailing blanks dropped."""
    return [line.rstrip() for line in text.splitlines()]


async def test_stack_two_fields_cut_with_an_ellipsis_and_no_error_is_none(
    data_home: Path,
) -> None:
    app = offline_app(Options(sources=[str(CLOUDTRAIL)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and "loaded" in screen_text(app))
        stack = await open_view(pilot, app, "stack")
        assert isinstance(stack, StackView)
        await pilot.press(*"f" * 5)  # user, access key, IP, region, error
        await wait_for(pilot, lambda: "count by error" in screen_text(app), "by error")
        await wait_for(pilot, lambda: NO_VALUE in screen_text(app), "the group of no error")
        await pilot.press(*"f" * 7, "F")  # agent ... account, name, user; then name
        await wait_for(pilot, lambda: "count by user and name" in screen_text(app)
                       and "DescribeInstanceInf" in screen_text(app), "the rows")
        # The table's rows (the line under it says the cursor's group whole).
        lines = [line for line in _row_ends(screen_text(app))
                 if "DescribeInstanceInf" in line and not line.startswith("user: ")]
        assert lines and all("DescribeInstanceInformation" in line or "\u2026" in line
                             for line in lines)
        assert all("\u2588" in line for line in lines)  # the bar still on screen


async def test_findings_show_when_at_80_columns(data_home: Path) -> None:
    app = offline_app(Options(sources=[str(CLOUDTRAIL)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and "loaded" in screen_text(app))
        findings = await open_view(pilot, app, "findings")
        assert isinstance(findings, FindingsView)
        await wait_for(pilot, lambda: findings.table.row_count > 0, "findings")
        # "when (UTC)", or with the year when the events are not this year's
        # ("when 2024 (UTC)"): whole either way.
        whole = re.compile(r"when (\d{4} )?\(UTC\)")
        await wait_for(pilot, lambda: whole.search(screen_text(app)) is not None,
                       "the header whole")


async def test_a_long_note_on_the_timeline_ends_with_an_ellipsis(data_home: Path) -> None:
    note = "attacker [red]creds[/red] stolen from the proxy instance " * 2
    app = offline_app(Options(sources=[str(CLOUDTRAIL)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and "loaded" in screen_text(app))
        timeline = await open_view(pilot, app, "timeline")
        assert isinstance(timeline, TimelineView)
        await pilot.press("N")
        await wait_for(pilot, lambda: "note on the case" in screen_text(app))
        await pilot.press(*note, "enter")
        await wait_for(pilot, lambda: app.screen is timeline
                       and "attacker [re" in screen_text(app), "the note's row")
        line = next(line for line in _row_ends(screen_text(app)) if "attacker [re" in line)
        # Cut in "what", before the note's (empty) who and its outcome ("note").
        assert re.search("\u2026 +note$", line), line
