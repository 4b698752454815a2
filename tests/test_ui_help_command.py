"""`:help` at 80x24 opens the help `?` and F1 show (it said "no view 'help'")."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.ui.base import View
from awsir_tui.ui.dialogs import HelpScreen
from tests.helpers_app import composed, screen_text, wait_for
from tests.helpers_ui_events import account_ready, offline_app


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


async def test_colon_help_shows_the_help_of_the_view_under_it() -> None:
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "the first view")
        view = app.screen
        assert isinstance(view, View)
        await pilot.press("colon", *"help", "enter")
        await wait_for(pilot, lambda: composed(app, HelpScreen, "Static")
                       or "no view" in screen_text(app), "the help")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Keys (binding id in brackets" in text
        assert app.screen.body.plain.startswith(f"{view.crumb}\n")  # the view's own
        await pilot.press("escape")  # as the help `?` opens: Esc back to the view
        await wait_for(pilot, lambda: app.screen is view, "back to the view")


async def test_the_start_of_help_opens_it_as_the_start_of_a_view_s_name_does() -> None:
    """`:he` Enter: the prompt suggests "help", and a start of a view's name opens the
    view (`:insta`); it said "no view 'he'". A name it does not know lists help too."""
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "the first view")
        view = app.screen
        await pilot.press("colon", *"nosuch", "enter")
        await wait_for(pilot, lambda: "no view 'nosuch'" in screen_text(app), "the hint")
        assert " help " in screen_text(app).split("no view 'nosuch'", 1)[1]
        await pilot.press(*["backspace"] * len("nosuch"), *"he", "enter")
        await wait_for(pilot, lambda: composed(app, HelpScreen, "Static")
                       or "no view 'he'" in screen_text(app), "the help")
        assert isinstance(app.screen, HelpScreen)
        assert isinstance(view, View) and app.screen.body.plain.startswith(f"{view.crumb}\n")


async def test_the_start_of_two_views_names_both() -> None:
    """`:s` starts sg and stack: the prompt says so and stays open, where "no view 's'"
    read as if neither existed; one more letter opens the view. `:ev` opens events as
    it did before :evidence came, `:evi` evidence."""
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "the first view")
        await pilot.press("colon", *"s", "enter")
        await wait_for(pilot, lambda: "'s' starts sg and stack: type more"
                       in " ".join(screen_text(app).split()), "the hint")
        await pilot.press("escape", "colon", *"ev", "enter")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "EventsView",
                       "the events")
        await pilot.press("colon", *"evi", "enter")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "EvidenceView",
                       "the evidence")
