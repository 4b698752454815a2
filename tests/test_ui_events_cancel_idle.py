"""C with nothing running says so, and L over a store: QA pressed them on a loaded
archive and nothing happened, nothing said why (keys at 80x24, the Stratus logs as
--source)."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.cli import Options
from tests.helpers_app import screen_text
from tests.helpers_events import STRATUS
from tests.helpers_ui_events import archive_loaded, offline_app


async def test_c_with_nothing_running_says_there_is_nothing_to_cancel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    app = offline_app(Options(sources=[str(STRATUS)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await archive_loaded(pilot, app)
        await pilot.press("C")
        notes = [str(n.message) for n in app._notifications]
        assert "nothing to cancel: no export, query or load is running" in notes
        assert app.archive is not None and not app.archive.report.cancelled  # type: ignore[union-attr]
        await pilot.press("L")
        notes = [str(n.message) for n in app._notifications]
        # Over a load that read every file, L (which continues a cancelled one) says so.
        assert notes[-1].startswith("nothing to continue: the load came to every file")
        assert "L Load more" not in screen_text(app)  # Event history's key, not shown here
