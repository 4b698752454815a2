"""The help writes a key as it is typed: ``/`` where it said ``slash`` (QA, in :stack
and :findings: "slash  No filter here"), and keys with names by their names."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.stack_view import StackView
from tests.helpers_app import composed, wait_for
from tests.helpers_ui_events import account_ready, offline_app


async def test_the_help_writes_slash_as_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "the first view")
        await pilot.press("colon", *"stack", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StackView), ":stack")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: composed(app, HelpScreen, "Static"), "the help")
        assert isinstance(app.screen, HelpScreen)
        keys = app.screen.body.plain.split("Keys (binding id")[1].splitlines()
        lines = [" ".join(line.split()) for line in keys]
        assert "/ Filter events [filter.none]" in lines
        assert not any(line.startswith("slash") for line in lines)
        assert any(line.startswith("escape") for line in lines)  # a name stays a name
