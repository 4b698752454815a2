"""Esc in the event page's search closes the search, not the page (#5, responder review
at 80x24): it went back to the list, the folds opened and the place read lost, where the
list's own filter prompt says ``esc Close filter`` and closes only the prompt."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.app import AwsirApp
from awsir_tui.ui.regions import RegionsView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ui_events import federation_token_page, offline_app

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def footer(app: AwsirApp) -> str:
    return screen_text(app).splitlines()[-1]


def value_of(app: AwsirApp, path: str) -> bool:
    """Whether the value under the tree is ``path``'s (the cursor is on it)."""
    return f"\n{path} " in screen_text(app)


async def test_esc_closes_the_search_and_a_second_esc_leaves_the_page() -> None:
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        page = await federation_token_page(pilot, app)
        # userIdentity unfolded, the cursor on its arn: what Esc must not lose.
        await pilot.press("G", "space", "j", "j", "j")
        await wait_for(pilot, lambda: value_of(app, "userIdentity.arn"),
                       "the cursor on the caller's ARN")
        await pilot.press("slash", *"principal")
        await wait_for(pilot, lambda: "esc Close search" in footer(app), "the search's keys")
        assert "Back" not in footer(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: "esc Back" in footer(app), "the search closed")
        assert app.screen is page
        text = screen_text(app)
        assert "principal" not in text.splitlines()[-3]  # the prompt is gone
        assert "\u25bc userIdentity" in text
        assert value_of(app, "userIdentity.arn")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, RegionsView), "the page left")


async def test_keys_typed_after_esc_go_to_the_tree() -> None:
    """``/x`` Esc ``j`` at once, as over SSH: the search closed, j moved the cursor on
    the tree (it is neither typed into the search nor lost with the page)."""
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        page = await federation_token_page(pilot, app)
        await pilot.press("j", "j", "slash", "x", "escape", "j")
        await wait_for(pilot, lambda: value_of(app, "eventID"),
                       "the cursor a line down")
        assert app.screen is page
        assert "esc Back" in footer(app)
