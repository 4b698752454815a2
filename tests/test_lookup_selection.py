"""The viewer's selections over the event store: order, tail reads, cursor anchoring."""

from __future__ import annotations

import json
from pathlib import Path

from awsir_tui.events.record import from_record
from awsir_tui.events.sources import StoreSource
from awsir_tui.events.store import EventStore
from awsir_tui.query import EVENT_FIELDS, parse

STRATUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cloudtrail" / (
    "stratus-red-team"
)


def store() -> EventStore:
    records = [r for p in sorted(STRATUS.glob("*.json")) for r in json.loads(p.read_text())]
    result = EventStore()
    result.add_events(from_record(r) for r in records)
    return result


def test_rows_by_offset_are_newest_first_and_the_tail_matches() -> None:
    selection = StoreSource(store(), "stratus").select(parse("error:*", EVENT_FIELDS))
    total = selection.count()
    assert total > 3
    everything = selection.fetch(0, total)
    keys = [(e.event_time, e.event_id) for e in everything]
    assert keys == sorted(keys, key=lambda k: (-k[0].timestamp(), k[1]))
    assert all(e.error_code for e in everything)
    # The last rows are read in reverse order and must equal the same slice read forward.
    assert selection.fetch(total - 3, 3) == everything[-3:]
    assert selection.fetch(total - 1, 50) == everything[-1:]


def test_position_of_finds_each_row_where_the_table_shows_it() -> None:
    selection = StoreSource(store(), "stratus").select(parse("", EVENT_FIELDS))
    rows = selection.fetch(0, selection.count())
    for index in (0, 1, len(rows) // 2, len(rows) - 1):
        assert selection.position_of(rows[index]) == index
