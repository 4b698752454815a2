"""`:timeline` at 80x24 after the demo's findings are kept (#5, responder review):
``:findings⏎ K`` then ``:timeline⏎`` read ``RunInstances  i-b2547952490b7fe51
InstanceLimi…``, the error code the timeline exists to show cut, and the names
beside it too. The outcome is as wide as the longest code shown, right after what was
called; who, one `l` away where it does not fit whole beside them, keeps the instance's
ID whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.case_timeline import TimelineView
from awsir_tui.ui.findings_view import FindingsView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for
from tests.test_ui_case_timeline_outcome_80 import CODES, table_lines
from tests.test_ui_findings import findings_done


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The case goes to a fresh XDG data directory, never the developer's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return tmp_path


async def test_error_codes_whole_after_the_demo_findings_are_kept(demo: DemoServer) -> None:
    instance = demo.facts.proxy_instance_id
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.case is not None, "case open")
        view = await open_view(pilot, app, "findings")
        assert isinstance(view, FindingsView)
        await wait_for(pilot, lambda: findings_done(app) and bool(view.findings), "findings")
        await pilot.press("g", "K")
        session = app.case
        assert session is not None
        await wait_for(pilot, lambda: bool(session.case.findings), "the finding kept")
        timeline = await open_view(pilot, app, "timeline")
        assert isinstance(timeline, TimelineView)
        await wait_for(pilot, lambda: "RunInstances" in screen_text(app), "the rows")
        seen = table_lines(app)[1:]
        await pilot.press("G")
        await pilot.pause()
        seen += table_lines(app)[1:]
        for whole in (*CODES, "AuthorizeSecurityGroupIngress"):
            assert any(f" {whole} " in f"{line} " for line in seen), (whole, seen)
        assert table_lines(app)[0].split()[-3:] == ["(UTC)", "what", "outcome"], table_lines(app)
        # l: who beside what and the outcome where it fits, else one more l; whole.
        await pilot.press("l")
        await pilot.pause()
        if "who" not in table_lines(app)[0].split():
            await pilot.press("l")
        await wait_for(pilot, lambda: "who" in table_lines(app)[0].split(), "who in sight")
        rows = [line for line in table_lines(app)[1:] if instance in line]
        assert rows and all(f" {instance} " in f"{row} " for row in rows), table_lines(app)
