"""`:evidence` at 80x24 as it reads again: a read updates the rows in place (the
columns scrolled to with `l` and the cursor's row stay), a read that breaks says so and
still follows a pending copy, and a region denied on a later read keeps its earlier rows
dimmed, said to be as of their read (its day too when not today's); one whose image read
is denied shows its snapshots as read now, the failed read named."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from rich.text import Text
from textual.widgets import DataTable

from awsir_tui.aws.context import AwsContext
from awsir_tui.aws.evidence import RegionCopies, scan_evidence
from awsir_tui.aws.fanout import RegionOutcome
from awsir_tui.ui import evidence
from awsir_tui.ui.evidence import EvidenceView
from tests.helpers_app import demo_app, screen_text, wait_for
from tests.helpers_evidence import made, still_copying


def line_of(app: Any, copy_id: str) -> str:
    """The screen line that shows ``copy_id`` ('' if none does)."""
    return next((line for line in screen_text(app).splitlines() if copy_id in line), "")


def summary_of(view: EvidenceView) -> str:
    return str(view.query_one("#evidence-summary").render())


async def shown(pilot: Any, app: Any, *copy_ids: str) -> EvidenceView:
    """`:evidence`, once every region answered with ``copy_ids`` among the rows."""
    await wait_for(pilot, lambda: isinstance(app.screen, EvidenceView), ":evidence")
    view = app.screen
    assert isinstance(view, EvidenceView)
    await wait_for(pilot, lambda: not view.waiting and all(
        line_of(app, copy_id) for copy_id in copy_ids), "every region read")
    return view


async def read_again(pilot: Any, app: Any, view: EvidenceView) -> None:
    """r, and the read it starts ended: AWS asked again, no region still reading."""
    asked = len(app.ctx.guard.calls)
    await pilot.press("r")
    await wait_for(pilot, lambda: len(app.ctx.guard.calls) > asked and not view.waiting,
                   "read again")


async def test_a_read_keeps_the_columns_scrolled_to_and_the_cursor_row(demo: Any) -> None:
    _, snapshot, image = made(demo, "case-scroll")
    app = demo_app(demo, first_view="evidence")
    async with app.run_test(size=(80, 24)) as pilot:
        view = await shown(pilot, app, snapshot, image)
        # At 80 columns when it was made and what it copies (the instance's ID whole)
        # are in sight, its case one l away.
        assert demo.facts.proxy_instance_id in line_of(app, snapshot)
        table: DataTable[Text] = view.query_one(DataTable)
        await pilot.press("j", "l")
        await wait_for(pilot, lambda: table.scroll_x > 0, "scrolled right")
        assert "case-scroll" in line_of(app, "case-scroll")
        scrolled, under = table.scroll_x, view.rows[table.cursor_row].copy_id
        await read_again(pilot, app, view)
        await pilot.pause()
        assert table.scroll_x == scrolled
        assert view.rows[table.cursor_row].copy_id == under


async def test_a_read_that_breaks_says_so_and_still_follows(
    demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    region = demo.facts.proxy_region
    _, snapshot, image = made(demo, "case-broken")

    def broken(ctx: AwsContext, regions: Any, limit: int = 8
               ) -> AsyncIterator[RegionOutcome[RegionCopies]]:
        async def answers() -> AsyncIterator[RegionOutcome[RegionCopies]]:
            async for outcome in scan_evidence(ctx, [region], limit):
                yield outcome
            raise RuntimeError("the redraw broke")
        return answers()

    monkeypatch.setattr(evidence, "scan_evidence", broken)
    app = demo_app(demo, first_view="evidence")
    async with app.run_test(size=(80, 24)) as pilot:
        with still_copying(demo, region, snapshot, image, monkeypatch):
            await wait_for(pilot, lambda: "the redraw broke" in screen_text(app),
                           "the failure said", seconds=30)
            view = app.screen
            assert isinstance(view, EvidenceView)
            assert "pending 42%" in line_of(app, snapshot)
            assert "reading" not in summary_of(view).replace("reading again", "")
            assert not view.waiting and view.following


async def test_a_region_denied_on_a_later_read_keeps_its_rows_dimmed_as_of(
    demo: Any
) -> None:
    region = demo.facts.proxy_region
    _, snapshot, image = made(demo, "case-stale")
    app = demo_app(demo, first_view="evidence")
    async with app.run_test(size=(80, 24)) as pilot:
        view = await shown(pilot, app, snapshot, image)
        assert " as of " not in screen_text(app)
        with demo.denying(region):
            await read_again(pilot, app, view)
        assert line_of(app, snapshot) and region in view.failures
        assert f"{region} (" in summary_of(view) and " as of " in summary_of(view)
        assert " UTC)" in summary_of(view)
        table: DataTable[Text] = view.query_one(DataTable)
        for copy_id in (snapshot, image):
            row = table.get_row_at([c.copy_id for c in view.rows].index(copy_id))
            assert all("dim" in str(value.style) for value in row)
        await read_again(pilot, app, view)  # answered again: no longer stale
        assert " as of " not in summary_of(view)
        row = table.get_row_at([c.copy_id for c in view.rows].index(snapshot))
        assert not any("dim" in str(value.style) for value in row)


def dimmed(view: EvidenceView, copy_id: str) -> bool:
    """Whether every cell of ``copy_id``'s row is dimmed (it is as of an earlier read)."""
    table: DataTable[Text] = view.query_one(DataTable)
    row = table.get_row_at([c.copy_id for c in view.rows].index(copy_id))
    return all("dim" in str(value.style) for value in row)


async def test_a_region_whose_image_read_is_denied_shows_its_snapshots(demo: Any) -> None:
    region = demo.facts.proxy_region
    _, snapshot, image = made(demo, "case-half")
    app = demo_app(demo, first_view="evidence")
    async with app.run_test(size=(80, 24)) as pilot:
        view = await shown(pilot, app, snapshot, image)
        with demo.denying_call(region, "DescribeImages"):
            await read_again(pilot, app, view)
        assert region not in view.failures
        # The images' rows (other tests' too) as of the read before.
        assert f"{region} (" in summary_of(view) and " as of " in summary_of(view)
        assert "UTC) DescribeImages denied (UnauthorizedOperation)" in summary_of(view)
        # The snapshot as read now; the image kept from the read before, dimmed.
        assert line_of(app, snapshot) and not dimmed(view, snapshot)
        assert line_of(app, image) and dimmed(view, image)
        await read_again(pilot, app, view)  # allowed again: nothing stale or failed
        assert "DescribeImages" not in summary_of(view)
        assert not dimmed(view, image)


async def test_rows_as_of_another_day_say_its_date(
    demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    region = demo.facts.proxy_region
    _, snapshot, image = made(demo, "case-yesterday")
    yesterday = evidence.utc_now() - timedelta(days=1)
    monkeypatch.setattr(evidence, "utc_now", lambda: yesterday)
    app = demo_app(demo, first_view="evidence")
    async with app.run_test(size=(80, 24)) as pilot:
        view = await shown(pilot, app, snapshot, image)  # read "yesterday"
        monkeypatch.undo()
        with demo.denying(region):
            await read_again(pilot, app, view)
        assert f" as of {yesterday:%Y-%m-%d %H:%M} UTC)" in summary_of(view)
