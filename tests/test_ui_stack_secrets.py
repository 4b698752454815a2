"""`:stack` by user agent shows, details and yanks an agent with its secrets redacted:
the caller writes its user agent, and one carrying a session token or a password
showed them whole, where the headless `stack` and every export redact them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsir_tui.cli import Options
from awsir_tui.events.stacking import STACK_FIELDS
from tests.helpers_app import said_after, saved_path, screen_text, wait_for
from tests.helpers_events import all_records
from tests.helpers_ui_events import offline_app
from tests.test_ui_stack import stack_over_the_archive

TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD6EXAMPLE"
AGENT = f"curl/8.4 X-Amz-Security-Token={TOKEN} password=hunter2-correct"


async def test_an_agent_s_secrets_are_redacted_on_screen_and_in_a_yank(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    records = all_records()
    planted = [{**r, "userAgent": AGENT, "eventID": f"agent-{n}"}
               for n, r in enumerate(records[:40])]
    (tmp_path / "logs.json").write_text(json.dumps({"Records": records + planted}))
    app = offline_app(Options(sources=[str(tmp_path / "logs.json")]))
    async with app.run_test(size=(120, 30)) as pilot:
        stack = await stack_over_the_archive(pilot, app)
        await wait_for(pilot, lambda: bool(stack.rows), "counted")
        for _ in range(list(STACK_FIELDS).index("user_agent")):
            await pilot.press("f")
        await wait_for(pilot, lambda: "count by agent" in screen_text(app), "by agent")
        await wait_for(pilot, lambda: any(row[0] == AGENT for row in stack.rows), "the agent")
        stack.query_one("DataTable").move_cursor(
            row=next(n for n, row in enumerate(stack.rows) if row[0] == AGENT))
        await wait_for(pilot, lambda: "curl/8.4 X-Amz-Security-Token=**REDACTED**"
                       in screen_text(app), "the agent, redacted")
        assert TOKEN[:20] not in screen_text(app) and "hunter2" not in screen_text(app)
        said = await said_after(pilot, app, "y")
        saved = saved_path(said).read_text()
        assert "curl/8.4" in saved and TOKEN[:20] not in saved and "hunter2" not in saved
