"""`:evidence` at 80x24 (#5, responder review): `l` scrolled the copy's ID out of
sight (``> completed  12-02 04:31  xvda i-…``), the ID a responder hands over; and
Enter on a snapshot, the footer offering ``⏎ Details``, showed nothing. The ID and
state stay at the left while the other columns scroll by whole columns, and Enter on
a snapshot names its state, when it began, its volume, device and instance."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from awsir_tui.app import AwsirApp
from awsir_tui.aws.evidence import Copy
from awsir_tui.ui.evidence import details_text
from tests.helpers_app import demo_app, screen_text, wait_for
from tests.helpers_evidence import made
from tests.test_ui_evidence_reads import line_of, shown


def detail_of(app: AwsirApp) -> str:
    """The lines under the table, as shown."""
    return str(app.screen.query_one("#evidence-detail").render())


async def test_l_keeps_the_id_and_state_in_sight(demo: Any) -> None:
    _, snapshot, image = made(demo, "case-fixed-id")
    app = demo_app(demo, first_view="evidence")
    async with app.run_test(size=(80, 24)) as pilot:
        view = await shown(pilot, app, snapshot, image)
        table: DataTable[Text] = view.query_one(DataTable)
        # Its own region: the demo is the session's, other tests' copies listed too.
        region = next(c.region for c in view.rows if c.copy_id == snapshot)
        header = screen_text(app).splitlines()[table.region.y]
        assert region not in line_of(app, snapshot), screen_text(app)
        for _ in range(4):  # to the last column (the region), and no further
            await pilot.press("l")
            await pilot.pause()
            assert line_of(app, snapshot).split()[:2] == [snapshot, "completed"], (
                screen_text(app))
        assert line_of(app, snapshot).split()[-2:] == ["case-fixed-id", region], (
            screen_text(app))
        scrolled = screen_text(app).splitlines()[table.region.y]
        assert scrolled.split()[:2] == ["ID", "state"] and scrolled != header
        await pilot.press("h", "h", "h", "h")
        await wait_for(pilot, lambda: table.scroll_x == 0, "back at the first column")
        assert screen_text(app).splitlines()[table.region.y] == header


async def test_enter_on_a_snapshot_shows_its_details(demo: Any) -> None:
    _, snapshot, image = made(demo, "case-snapshot-details")
    app = demo_app(demo, first_view="evidence")
    async with app.run_test(size=(80, 24)) as pilot:
        view = await shown(pilot, app, snapshot, image)
        row = [c.copy_id for c in view.rows].index(snapshot)
        copy = view.rows[row]
        assert copy.volume and copy.device
        await pilot.press("g", *(["j"] * row), "enter")
        await wait_for(pilot, lambda: "state completed" in detail_of(app), "its details")
        shown_text = screen_text(app)
        assert f"volume {copy.volume}, device {copy.device}" in shown_text, shown_text
        assert "started 20" in detail_of(app)


def test_a_snapshot_row_says_enter_shows_its_details() -> None:
    """The line under the table offers Enter on a snapshot as on an image."""
    snapshot = Copy("snapshot", "snap-1", "eu-west-1", "pending", "42%", instance="i-1",
                    volume="vol-1", device="/dev/xvda")
    assert details_text(snapshot, full=False).plain.endswith("Enter: its details")
    full = details_text(snapshot, full=True).plain
    assert "Enter" not in full
    assert full.splitlines()[-2:] == [
        "state pending 42%, started ? UTC",
        "volume vol-1, device /dev/xvda, instance i-1"]
