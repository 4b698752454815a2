"""`:posture` at 80x24 with the demo's multi-region trail stopped (StopLogging): the
list said ``NO`` under multi-reg and the details "no multi-region trail" above the
very trail, without when it stopped. And ``y``'s script is the one `awsir-tui posture`
prints, guard on the logs' bucket included (the headless one had none)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from awsir_tui.cli import main
from awsir_tui.ui.posture import PostureDetailView, PostureView
from tests.helpers_app import saved_path, screen_text, wait_for
from tests.helpers_posture import make_app, notifications, run_script, trail_stopped


async def checked_view(pilot: Any, app: Any) -> PostureView:
    await wait_for(pilot, lambda: isinstance(app.screen, PostureView), "posture view")
    view = app.screen
    assert isinstance(view, PostureView)
    await wait_for(
        pilot,
        lambda: bool(view.results) and all(p is not None for p, _ in view.results.values()),
        "every region checked",
    )
    return view


async def details_of(pilot: Any, app: Any, view: PostureView, region: str) -> str:
    for _ in range(view._order.index(region)):
        await pilot.press("j")
    await pilot.press("enter")
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, PostureDetailView) and app.screen.query("#posture-detail"),
        "the details",
    )
    await wait_for(pilot, lambda: "Yank commands" in screen_text(app), "the footer")
    return str(app.screen.query_one("#posture-detail", Static).render())


async def test_a_stopped_multi_region_trail_is_stopped_with_when(demo: Any) -> None:
    name = demo.facts.trail_name
    app = make_app(demo)
    with trail_stopped(demo) as when:
        async with app.run_test(size=(80, 24)) as pilot:
            view = await checked_view(pilot, app)
            table = view.query_one(DataTable)
            column = {
                str(table.get_row_at(i)[0]): str(table.get_row_at(i)[2])
                for i in range(table.row_count)
            }
            assert column == dict.fromkeys(demo.regions, "stopped")
            details = await details_of(pilot, app, view, "eu-west-1")
            shown = screen_text(app)
    verdict = details.splitlines()[1]
    assert verdict.startswith(
        f"CloudTrail logging: no; multi-region trail {name} STOPPED at {when};"
    ), verdict
    assert "no multi-region trail" not in details
    assert f"    STOPPED at {when}; last delivery" in shown  # the trail's line, at 80
    assert f"# trail {name} STOPPED at {when}" in details


async def test_y_copies_the_script_awsir_tui_posture_prints(
    demo: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    region = "eu-west-1"
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await checked_view(pilot, app)
        await details_of(pilot, app, view, region)
        await pilot.press("y")
        await wait_for(pilot, lambda: any("saved to" in m for m in notifications(app)), "saved")
    yanked = saved_path(next(m for m in notifications(app) if "saved to" in m))
    capsys.readouterr()
    command = ["posture", "--endpoint-url", demo.endpoint_url, "--regions", region]
    assert await asyncio.to_thread(main, command) == 0  # it runs its own event loop
    out = capsys.readouterr().out
    printed = out[out.index("#!/bin/sh") :]
    assert printed == yanked.read_text()
    script = tmp_path / "printed.sh"
    script.write_text(printed)
    ran = run_script(script, tmp_path, {})  # no bucket set: stops before any command
    assert ran.returncode != 0 and "set LOG_BUCKET" in ran.stderr
    assert not (tmp_path / "aws-calls").exists()
