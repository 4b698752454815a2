"""Enter on an empty list says there is no row to open (80x24): QA pressed it on a list
that matched nothing, and the key did nothing at all, where `m` said why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.virtual_table import no_row
from tests.helpers_app import said_after, wait_for
from tests.helpers_ec2 import loaded_list, make_app, type_filter
from tests.helpers_events import all_records
from tests.helpers_ui_events import archive_loaded, offline_app


async def test_enter_on_an_empty_instances_list_says_so(demo: DemoServer) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await type_filter(pilot, "ip:198.51.100.251")
        await wait_for(pilot, lambda: app.screen.table.row_count == 0, "no row")  # type: ignore[attr-defined]
        assert await said_after(pilot, app, "enter") == no_row("open")


async def test_enter_on_an_empty_events_list_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    (tmp_path / "logs.json").write_text(json.dumps({"Records": all_records()}))
    app = offline_app(Options(sources=[str(tmp_path / "logs.json")]))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await archive_loaded(pilot, app)
        await pilot.press("slash", *"name:NoSuchCall", "enter")
        await wait_for(pilot, lambda: view.filter_text == "name:NoSuchCall"
                       and view.table.row_count == 0, "the empty list")
        assert await said_after(pilot, app, "enter") == no_row("open")
        # y said "a row still being read has none yet", of a list with no row at all.
        assert await said_after(pilot, app, "y") == no_row("copy")
