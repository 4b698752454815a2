"""A view shown runs View's on_screen_resume once: Textual calls every class's handler
up the MRO by itself, so a subclass's ``super().on_screen_resume()`` ran the base's
twice (the case's place remembered twice, the typed-ahead keys released twice)."""

from __future__ import annotations

from typing import Any

import pytest

from awsir_tui.app import AwsirApp
from awsir_tui.ui.base import View
from tests.helpers_app import demo_app, open_view, wait_for


@pytest.mark.parametrize("name", ["evidence", "indicators", "timeline"])
async def test_a_view_shown_runs_views_resume_once(
    demo: Any, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    remembered: list[View] = []
    remember = AwsirApp.remember_place_of

    def counted(app: AwsirApp, view: View) -> None:
        remembered.append(view)
        remember(app, view)

    monkeypatch.setattr(AwsirApp, "remember_place_of", counted)
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.case is not None, "case open")
        view = await open_view(pilot, app, name)
        # Every handler of one ScreenResume runs in one go: one call here means all.
        await wait_for(pilot, lambda: view in remembered, "shown")
        assert remembered.count(view) == 1
