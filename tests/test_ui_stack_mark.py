"""`m` in `:stack` at 80x24 on the demo account (QA, #5 #6): on a group of event names
it kept ``AssumeRole`` in the case as an indicator of kind "other", and in the export's
list of values to grep the logs for. Each field's group is now kept as its field's kind
(a user as a user, though its name is an instance ID), or refused with a word on what
`m` keeps here: an event name, a region, an error, a service is no indicator."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.case.indicator import guess_kind
from awsir_tui.demo.server import DemoServer
from awsir_tui.detect.addresses import is_ip
from awsir_tui.ui.base import View
from awsir_tui.ui.stack_view import STACK_FIELDS, StackView
from tests.helpers_app import demo_app, open_view, said_after, screen_text, wait_for

#: What `m` keeps of a group of each field: its kind, or None where it keeps nothing.
#: A source IP that is a service's name and a resource take their value's shape.
KIND_OF_FIELD: dict[str, str | None] = {
    "name": None,
    "user": "user",
    "key": "access-key",
    "region": None,
    "error": None,
    "agent": "user-agent",
    "source": None,
    "type": None,
    "account": None,
}


def expected_kind(field: str, value: object) -> str | None:
    if not value:
        return None
    if field == "ip":
        return "ip" if is_ip(str(value)) else None
    if field == "resource":
        return guess_kind(str(value))
    return KIND_OF_FIELD[field]


async def stack_of_the_proxy(pilot: Pilot[Any], app: AwsirApp, demo: DemoServer) -> StackView:
    """`:stack` over the events of the compromised instance's role session."""
    await wait_for(pilot, lambda: isinstance(app.screen, View) and app.case is not None)
    await open_view(pilot, app, "events")
    events = app.screen
    await pilot.press("slash", *f"user:{demo.facts.proxy_instance_id}", "enter")
    await wait_for(pilot, lambda: events.selection is not None  # type: ignore[attr-defined]
                   and events.selection.count() > 0, "the session's events")  # type: ignore[attr-defined]
    stack = await open_view(pilot, app, "stack")
    assert isinstance(stack, StackView)
    return stack


async def test_m_keeps_each_fields_group_as_its_kind_or_says_why_not(demo: DemoServer) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        stack = await stack_of_the_proxy(pilot, app, demo)
        assert app.case is not None
        indicators = app.case.case.indicators
        seen: dict[str | None, int] = {}
        for column, field in STACK_FIELDS.items():
            await wait_for(pilot, lambda c=column: stack.shown.fields == (c,) and bool(stack.rows)
                           and f"count by {STACK_FIELDS[c]}" in screen_text(app), field)
            value = stack.rows[0][0]
            kind = expected_kind(field, value)
            before = dict(indicators)
            said = await said_after(pilot, app, "m", "endpoint URL")
            if kind is None:
                assert "marked" not in said, (field, said)
                assert "nothing to mark" in said or "is no indicator: m marks a user" in said, (
                    field, said)
                assert indicators == before, field
            else:
                assert said.endswith(f"marked {kind} {value}"), (field, said)
                assert (kind, value) in indicators, (field, indicators.keys())
            seen[kind] = seen.get(kind, 0) + 1
            await pilot.press("f")
        # Every field was tried, and both answers were given.
        assert sum(seen.values()) == len(STACK_FIELDS)
        assert seen.get(None) and len(seen) > 3, seen
        assert not any(kind == "other" for kind, _ in indicators), indicators.keys()

        # A time bucket is none either.
        await pilot.press("t")
        await wait_for(pilot, lambda: stack.shown.timeline and bool(stack.rows), "timeline")
        said = await said_after(pilot, app, "m", "endpoint URL")
        assert said.startswith("a time bucket is no indicator"), said
