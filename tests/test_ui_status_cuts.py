"""Rows of a fixed height at 80x24 end with ``…`` when what they say is cut (#2).

Textual wraps a Static's Text whatever the Text's own ``no_wrap`` says, and a row of
fixed height shows the first wrapped lines alone: the header lost "read-only", the
indicators' status its case file, the findings' scope its filter, with no mark that
anything was left out."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual.widget import Widget

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.base import HeaderBar, View
from awsir_tui.ui.case_views import IndicatorsView
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.findings_view import FindingsView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for

SIZE = (80, 24)
#: An SSO role session's name, as the header shows it: 40 cells of it.
SSO_ARN = ("arn:aws:sts::123456789012:assumed-role/"
           "AWSReservedSSO_AdministratorAccess_0123456789abcdef/responder@example.com")


def rows_of(app: AwsirApp, widget: Widget) -> list[str]:
    """The screen's rows where ``widget`` is drawn, as a responder reads them."""
    region = widget.region
    lines = screen_text(app).splitlines()[region.y : region.y + region.height]
    return [line.rstrip() for line in lines]


def cut_at(app: AwsirApp, widget: Widget) -> bool:
    """``widget`` drawn, its last row ending with ``…``."""
    rows = rows_of(app, widget)
    return bool(rows) and rows[-1].endswith("\u2026")


async def test_header_and_indicators_status_end_with_an_ellipsis(
    demo: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A case folder deeper than the row is wide: the status names the case's file.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / ("incident-2024-" + "x" * 70)))
    app = demo_app(demo, allow_actions=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View) and app.identity is not None)
        assert app.identity is not None
        app.identity = replace(app.identity, arn=SSO_ARN)
        view = await open_view(pilot, app, "indicators")
        assert isinstance(view, IndicatorsView)
        header = view.query_one(HeaderBar)
        header.refresh()
        await wait_for(pilot, lambda: cut_at(app, header), "the header cut with …")
        # What is cut is the identity's end, never the mode (it came last, and went).
        assert "ACTIONS ALLOWED" in rows_of(app, header)[0]
        status = view.query_one("#indicators-status")
        await wait_for(pilot, lambda: cut_at(app, status), "the status cut with …")
        assert rows_of(app, status)[0].startswith("0 indicators in case")


async def test_findings_scope_of_a_long_filter_ends_with_an_ellipsis(
    demo: DemoServer,
) -> None:
    ids = [record["eventID"] for record in demo.records[:6]]
    filter_text = "id:=" + ",".join(ids)
    app = demo_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View))
        events = await open_view(pilot, app, "events")
        assert isinstance(events, EventsView)
        await pilot.press("slash", *filter_text, "enter")
        await wait_for(pilot, lambda: events.filter_text == filter_text, "the filter applied")
        view = await open_view(pilot, app, "findings")
        assert isinstance(view, FindingsView)
        scope = view.query_one("#findings-scope")
        await wait_for(pilot, lambda: cut_at(app, scope), "the scope cut with …")
        rows = rows_of(app, scope)
        assert len(rows) == 2
        assert all(len(row) <= SIZE[0] for row in rows)
        assert ids[-1] not in " ".join(rows)
