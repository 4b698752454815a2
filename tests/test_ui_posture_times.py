"""`:posture` details at 80x24 write a trail's last delivery in ``Z``, as every other
time the tool shows (it wrote ``+00:00``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.posture import PostureDetailView, PostureView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_posture import make_app


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


async def test_the_last_delivery_is_a_utc_time_in_z(demo: DemoServer) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PostureView), "posture view")
        view = app.screen
        assert isinstance(view, PostureView)
        await wait_for(pilot, lambda: view.results and all(
            p is not None for p, _ in view.results.values()), "every region checked")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PostureDetailView)
                       and "last delivery" in screen_text(app), "the details")
        line = next(x for x in screen_text(app).splitlines() if "last delivery" in x)
        assert re.search(r"last delivery \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ(;|\s*$)", line), line
        assert "+00:00" not in screen_text(app)
