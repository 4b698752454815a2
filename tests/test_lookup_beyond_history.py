"""A range older than Event history's 90 days is said, not cut in silence (#5).

``before:`` four months ago read from 90 days ago to then (start = end), and ``after:``
four months ago from 90 days ago: "0 events", COMPLETE, as if nothing had happened in
the months Event history no longer keeps. The read, and its coverage, say it now.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from awsir_tui.aws.cloudtrail import collect, oldest_start
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.coverage import history_coverage
from awsir_tui.events.lookup_source import lookup_spec, new_lookup
from awsir_tui.query import EVENT_FIELDS, parse
from awsir_tui.query.times import utc_stamp
from tests.helpers_app import demo_context

#: A term LookupEvents looks up, so that each read is a few pages.
FILTER = "name:=ImportKeyPair"
ADVICE = "read the trail's archive with --source"


def covered(demo: DemoServer, typed: str) -> tuple[int, str, str, datetime]:
    """Read ``FILTER typed`` in two demo regions: how many events, the coverage's state
    and its file's first line, and the oldest start a read then asks for."""
    query = parse(f"{FILTER} {typed}", EVENT_FIELDS)
    now = datetime.now(UTC)
    read = new_lookup(demo_context(demo), demo.regions[:2], query, now=now)
    events = collect(read)
    assert not read.progress().failures
    coverage = history_coverage(read, query.text, lookup_spec(query, now).explain)
    first = coverage.text(Path("x.jsonl"), len(events)).splitlines()[0]
    return len(events), coverage.state(), first, oldest_start(now)


def test_a_range_wholly_before_the_90_days_is_not_kept_not_complete(
    demo: DemoServer,
) -> None:
    months_ago = utc_stamp(datetime.now(UTC) - timedelta(days=120))
    count, state, first, since = covered(demo, f"before:{months_ago}")
    assert count == 0 and state == "NOT KEPT", first
    assert first == (f"coverage: NOT KEPT: Event history keeps 90 days (since "
                     f"{utc_stamp(since)}): the range asked lies wholly before that; "
                     f"{ADVICE}")


def test_a_range_that_starts_before_the_90_days_is_partial(demo: DemoServer) -> None:
    months_ago = utc_stamp(datetime.now(UTC) - timedelta(days=120))
    count, state, first, since = covered(demo, f"after:{months_ago}")
    assert count > 0 and state == "PARTIAL", first  # what is kept is read, and said
    assert first == (f"coverage: PARTIAL: Event history keeps 90 days (since "
                     f"{utc_stamp(since)}): the range asked starts before that; {ADVICE}")


def test_the_90_days_themselves_are_complete(demo: DemoServer) -> None:
    """``since:90d`` (`4`), typed a moment before the read, and no time at all, ask for
    what Event history keeps: nothing is said of a start older than it."""
    for typed in ("since:90d", ""):
        count, state, first, _since = covered(demo, typed)
        assert count > 0 and state == "COMPLETE", (typed, first)


def test_the_plan_line_of_a_range_wholly_before_the_90_days_says_nothing_is_asked() -> None:
    """It said "from 2026-08-01 00:00:00Z to 2026-08-01 00:00:00Z": an empty range, as
    if that were what the responder had typed."""
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    query = parse("before:2026-08-01 user:alice", EVENT_FIELDS)
    line = lookup_spec(query, now).explain
    assert line == (
        "On AWS: nothing: the range ends 2026-08-01 00:00:00Z, before what Event history "
        "keeps (since 2026-09-02 09:00:00Z). Here: every term re-checked: "
        "before:2026-08-01 user:alice")
    kept = lookup_spec(parse("before:2026-11-01 user:=alice", EVENT_FIELDS), now).explain
    assert kept.startswith("On AWS: Username = alice (from user:=alice), from 2026-09-02"), kept


def test_a_range_wholly_before_the_90_days_sends_no_call(demo: DemoServer) -> None:
    """Its plan line says nothing is asked of AWS: so it is, where each region was sent
    an empty range, paced and open to throttles and denials shown beside NOT KEPT."""
    ctx = demo_context(demo)
    calls: list[str] = []
    ctx.guard.add_sink(lambda call: calls.append(call.operation))
    months_ago = utc_stamp(datetime.now(UTC) - timedelta(days=120))
    read = new_lookup(ctx, demo.regions[:2], parse(f"before:{months_ago}", EVENT_FIELDS))
    assert collect(read) == []
    progress = read.progress()
    assert read.beyond is not None and read.beyond.wholly
    assert progress.regions_done == 2 and not progress.failures and progress.pages == 0
    assert "LookupEvents" not in calls
    # A range Event history keeps is read as ever (the sink sees the calls).
    collect(new_lookup(ctx, demo.regions[:1], parse("since:1h", EVENT_FIELDS)))
    assert "LookupEvents" in calls
