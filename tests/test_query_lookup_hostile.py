"""The LookupEvents planner on a pasted value that is almost an event name.

Its event-name check cut a run of capitals into words every way there is before saying
no, twice the time for each capital more: ``name:Aa`` and 22 capitals and a ``!`` took
0.26 s, and the 40 below would take some 19 hours, on every filter applied.
"""

from __future__ import annotations

from datetime import UTC, datetime

from awsir_tui.query import EVENT_FIELDS, parse, plan_lookup

NOW = datetime(2019, 8, 10, 12, 0, tzinfo=UTC)
CAPITALS = "A" * 40


def test_capitals_ending_in_what_no_event_name_holds_stay_local() -> None:
    plan = plan_lookup(parse(f"name:Aa{CAPITALS}!", EVENT_FIELDS, now=NOW))
    assert plan.attribute is None


def test_capitals_that_end_an_event_name_are_sent() -> None:
    value = f"Aa{CAPITALS}b"
    assert plan_lookup(parse(f"name:{value}", EVENT_FIELDS, now=NOW)).attribute == (
        "EventName", value)
