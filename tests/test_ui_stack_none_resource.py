"""`:stack` by resource accounts for every event: one naming none is in "(none)" (#5).

Unnested as they were, the events naming no resource were in no group: by resource, the
Stratus archive's 310 events showed 150 in groups and 160 (the 112
DescribeInstanceInformation among them) nowhere.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from awsir_tui.events.files import events_of
from awsir_tui.events.store import EventStore
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_events import all_records


def test_stack_by_resource_counts_the_events_naming_none_under_null() -> None:
    events = list(events_of(all_records()))
    with EventStore() as store:
        store.add_events(events)
        counts = dict(store.stack(["resources"], limit=10_000))
        none = sum(1 for e in events if not e.resources)
        assert none > 100
        assert counts[None] == none
        # every event is in a group: once per resource it names, once if none
        assert sum(counts.values()) == sum(max(1, len(e.resources)) for e in events)
        by_name = Counter((e.event_name, r) for e in events for r in e.resources or [None])
        two = store.stack(["event_name", "resources"], limit=10_000)
        assert {(n, r): c for n, r, c in two} == dict(by_name)


async def test_enter_on_none_opens_the_events_naming_no_resource(tmp_path: Path) -> None:
    import json

    from awsir_tui.cli import Options
    from tests.helpers_ui_events import offline_app
    from tests.test_ui_stack import stack_by_resource

    records = all_records()
    (tmp_path / "logs.json").write_text(json.dumps({"Records": records}))
    none = sum(1 for e in events_of(records) if not e.resources)
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        stack = await stack_by_resource(pilot, app)
        assert "several resources counts in each" in screen_text(app)
        row = next(i for i, r in enumerate(stack.rows) if r[0] is None)
        assert stack.rows[row][-1] == none
        await pilot.press("g", *["j"] * row)
        await wait_for(pilot, lambda: "(none)" in screen_text(app), "(none) shown")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and f"{none:,} events" in screen_text(app), "the events naming none")
        assert app.screen.filter_text == "-resource:*"
