"""The events view's plan line at 80x24: what ran on AWS and what is re-checked here is
never cut silently. A pivot's filter of several event IDs makes a plan longer than the
lines it has: the last line ends with ``…``, and ``?`` shows the whole filter and plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.demo.server import DemoServer
from awsir_tui.events.sources import Subject
from awsir_tui.ui.base import View
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.events_view import EventsView, PlanLine
from tests.helpers_app import composed, demo_app, open_view, screen_text, wait_for

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def plan_lines(view: EventsView) -> list[str]:
    """The plan as the screen shows it: the lines between the breadcrumb and the status."""
    plan = view.query_one("#events-plan", PlanLine)
    region = plan.region
    lines = screen_text(view.app).splitlines()[region.y : region.y + region.height]
    return [line.rstrip() for line in lines]


async def test_a_long_plan_ends_with_an_ellipsis_and_help_shows_it_whole(
    demo: DemoServer,
) -> None:
    ids = [r["eventID"] for r in demo.records[:6]]
    filter_text = "id:=" + ",".join(ids)
    app = demo_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View))
        view = await open_view(pilot, app, "events")
        assert isinstance(view, EventsView)
        await pilot.press("slash", *filter_text, "enter")
        await wait_for(pilot, lambda: view.filter_text == filter_text, "the filter applied")
        await wait_for(pilot, lambda: plan_lines(view)[-1].endswith("\u2026"), "the plan cut")
        lines = plan_lines(view)
        assert len(lines) == PlanLine.MAX_LINES
        assert all(len(line) <= SIZE[0] for line in lines)
        assert lines[0].startswith("On AWS:")
        assert ids[-1] not in " ".join(lines)  # cut on screen, whole in the help
        # The whole filter and plan are a key away.
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: composed(app, HelpScreen, "Static"), "the help")
        assert isinstance(app.screen, HelpScreen)
        shown = app.screen.body.plain
        assert f"Filter: {filter_text}\n" in shown
        plan = view.selection.explain if view.selection else ""
        assert f"Plan: {' '.join(plan.split())}\n" in shown
        assert "Source: Event history" in shown


async def test_a_plan_that_fits_wraps_whole_without_an_ellipsis(demo: DemoServer) -> None:
    """A security group's events (E): three lines at 80 columns, every word of it."""
    app = demo_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View))
        view = await open_view(pilot, app, "events")
        assert isinstance(view, EventsView)
        group = "sg-0123456789abcdef0"
        await pilot.press("slash", *f"resource:={group}", "enter")
        await wait_for(pilot, lambda: "(Event history)" in "".join(plan_lines(view)),
                       "the plan drawn")
        text = " ".join(plan_lines(view))
        assert "\u2026" not in text
        assert " ".join(text.split()).endswith(
            f"Here: every term re-checked: resource:={group} (Event history)"
        )


def breadcrumb(app: object) -> str:
    """The breadcrumb's line as the screen shows it (the second line)."""
    return screen_text(app).splitlines()[1]  # type: ignore[arg-type]


async def test_the_breadcrumb_names_the_filter_the_rows_answer(demo: DemoServer) -> None:
    """A pivot's filter typed over must not stay in the breadcrumb above the rows of
    another: a responder would take every RunInstances for the stolen key's."""
    instance = demo.facts.proxy_instance_id
    app = demo_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View))
        view = EventsView(filter_text="key:=ASIAEXAMPLEKEY0001")
        await app.push_screen(view)
        await wait_for(pilot, lambda: "events key:=ASIAEXAMPLEKEY0001" in breadcrumb(app),
                       "the pivot in the breadcrumb")
        await pilot.press("slash", *"name:RunInstances", "enter")
        await wait_for(pilot, lambda: "events name:RunInstances" in breadcrumb(app),
                       "the new filter in the breadcrumb")
        assert "key:=" not in breadcrumb(app)

        # An instance's events keep its name while the filter still scopes them to it.
        scoped = EventsView(subject=Subject("instance", instance))
        await app.push_screen(scoped)
        await wait_for(pilot, lambda: f"events of {instance}" in breadcrumb(app))
        # (/ over a pivot's rows keeps its terms, the cursor after them.)
        await pilot.press("slash", *"name:RunInstances", "enter")
        await wait_for(pilot, lambda: f"events of {instance} name:RunInstances"
                       in breadcrumb(app), "the refined filter in the breadcrumb")
        await pilot.press("slash", "ctrl+u", *"ip:203.0.113.66", "enter")
        await wait_for(pilot, lambda: breadcrumb(app).rstrip().endswith(
            "\u203a events ip:203.0.113.66"), "the instance's scope gone from the breadcrumb")


async def test_the_help_names_every_field_the_filter_takes(demo: DemoServer) -> None:
    """The help's field list is the filter's own: it had left out message: and time:,
    which worked. And it says what a bare word searches."""
    from awsir_tui.query import EVENT_FIELDS

    app = demo_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View))
        await open_view(pilot, app, "events")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: composed(app, HelpScreen, "Static"), "the help")
        assert isinstance(app.screen, HelpScreen)
        shown = app.screen.body.plain
        assert all(f"{spec.name}:" in shown for spec in EVENT_FIELDS)
        assert "message:" in shown and "time:" in shown
        # QA found a row matching inside a redacted token, with nothing to say why.
        assert "the secrets its page shows as **REDACTED** included" in " ".join(shown.split())
