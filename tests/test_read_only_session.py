"""A whole browsing session sends only read operations to the account."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.aws.guard import is_read_only
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.base import View
from awsir_tui.ui.registry import VIEWS
from tests.helpers_app import demo_app, open_view, wait_for


@pytest.mark.parametrize("allow_actions", [False, True])
async def test_browsing_every_view_only_reads(
    demo: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, allow_actions: bool
) -> None:
    """Even with actions allowed, nothing is written unless a call is confirmed."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    app = demo_app(demo, allow_actions=allow_actions)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View))
        for name in sorted(VIEWS):
            await open_view(pilot, app, name)
            await pilot.pause(1.0)
            # Move around and drill in, as a responder would, then come back.
            await pilot.press("j", "j", "enter")
            await pilot.pause(1.0)
            await pilot.press("escape", "escape", "escape")
            await pilot.pause(0.2)
        await pilot.pause(1.0)
    calls = app.ctx.guard.calls
    operations = {call.operation for call in calls}
    assert {"DescribeInstances", "LookupEvents", "DescribeSecurityGroups"} <= operations
    assert all(is_read_only(call.operation) for call in calls), sorted(operations)
    assert not any(call.mutating or call.outcome == "refused" for call in calls)
