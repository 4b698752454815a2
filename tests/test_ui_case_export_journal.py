"""x in :indicators puts the journal of every AWS call in the export folder beside the
exports, which name it there (responder check: the folder held no journal, and the
exports named it only as "beside the case file")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsir_tui.case.store import export_folder
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.case_views import IndicatorsView
from tests.helpers_app import demo_app, open_view
from tests.test_ui_case_export import exported_files, ready


async def test_x_writes_the_journal_into_the_export_folder(
    demo: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))  # never the developer's own cases
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await ready(pilot, app)
        assert isinstance(await open_view(pilot, app, "indicators"), IndicatorsView)
        files = await exported_files(pilot, session)
        name = session.journal.path.name
        copied = (export_folder(session.path) / name).read_text(encoding="utf-8")
    calls = [json.loads(line) for line in copied.splitlines()]
    assert "DescribeInstances" in {call["operation"] for call in calls}  # the first view's
    named = f"{name}, in this folder"
    assert json.loads(files["json"])["journal"] == named
    assert f"- Journal of every AWS call: {named}" in files["md"]
