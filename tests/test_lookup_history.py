"""LookupEvents against the demo account over real HTTP: planning, pacing, merging, faults.

Expected answers are computed from the demo's own records (what a perfect reader of
Event history would return), never from the reader under test.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from awsir_tui.aws.cloudtrail import EventLookup, Pacer, collect, oldest_start
from awsir_tui.aws.context import AwsContext, AwsTarget
from awsir_tui.aws.errors import FailureKind
from awsir_tui.cli import main
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.lookup_source import instance_lookup, lookup_spec, new_lookup
from awsir_tui.events.record import from_record, resources_of, user_name_of
from awsir_tui.query import EVENT_FIELDS, parse

FAILED_RUN_CODES = {"InstanceLimitExceeded", "VcpuLimitExceeded", "Client.UnauthorizedOperation"}


def context(server: DemoServer) -> AwsContext:
    return AwsContext(
        AwsTarget(
            regions=tuple(server.regions),
            endpoint_url=server.endpoint_url,
            static_credentials=("testing", "testing"),
        )
    )


def history(server: DemoServer) -> list[dict[str, Any]]:
    """What Event history holds: the management events."""
    return [r for r in server.records if r.get("managementEvent", True)]


def ids_where(server: DemoServer, test: Any) -> set[str]:
    return {r["eventID"] for r in history(server) if test(r)}


def lookup(server: DemoServer, text: str, **kwargs: Any) -> EventLookup:
    return new_lookup(context(server), server.regions, parse(text, EVENT_FIELDS), **kwargs)


def test_user_is_the_proxy_gives_its_sessions_newest_first(demo: DemoServer) -> None:
    facts = demo.facts
    query = lookup(demo, f"user:{facts.proxy_instance_id}")
    assert query.attributes == [("Username", facts.proxy_instance_id)]
    events = collect(query)

    expected = ids_where(
        demo, lambda r: user_name_of(r.get("userIdentity") or {}) == facts.proxy_instance_id
    )
    assert [e.event_id for e in events if e.event_id in expected] == [e.event_id for e in events]
    assert {e.event_id for e in events} == expected
    assert len(events) == len(expected)
    times = [e.event_time for e in events]
    assert times == sorted(times, reverse=True)
    # From the attacker's address: exactly the attack, failed launches included.
    from_attacker = [e for e in events if e.source_ip == facts.attacker_ip]
    assert {e.event_id for e in from_attacker} == set(facts.attack_event_ids)
    failed = {e.error_code for e in from_attacker if e.event_name == "RunInstances"}
    assert failed >= FAILED_RUN_CODES
    assert all(e.access_key_id == facts.attacker_access_key_id for e in from_attacker)
    progress = query.progress()
    assert progress.regions_done == len(demo.regions) and not progress.failures


def test_failed_run_instances(demo: DemoServer) -> None:
    query = lookup(demo, "name:RunInstances error:*")
    assert query.attributes == [("EventName", "RunInstances")]
    events = collect(query)
    expected = ids_where(
        demo, lambda r: r.get("eventName") == "RunInstances" and r.get("errorCode")
    )
    assert {e.event_id for e in events} == expected
    assert {e.error_code for e in events} >= FAILED_RUN_CODES
    assert all(e.error_code for e in events)


@pytest.mark.parametrize("which", ["malicious_instance_id", "proxy_instance_id"])
def test_instance_pivot_merges_sessions_and_resource(demo: DemoServer, which: str) -> None:
    instance = getattr(demo.facts, which)
    query = instance_lookup(context(demo), demo.regions, instance)
    assert query.attributes == [("Username", instance), ("ResourceName", instance)]
    events = collect(query)
    expected = ids_where(
        demo,
        lambda r: user_name_of(r.get("userIdentity") or {}) == instance
        or instance in resources_of(r),
    )
    assert expected
    assert sorted(e.event_id for e in events) == sorted(expected)  # each event once
    if which == "malicious_instance_id":
        launches = [e for e in events if e.event_name == "RunInstances" and not e.error_code]
        assert [e.source_ip for e in launches] == [demo.facts.attacker_ip]


def test_overlapping_lookups_drop_duplicates(demo: DemoServer) -> None:
    """The proxy's own calls name it as user AND resource: fetched twice, kept once."""
    query = instance_lookup(context(demo), demo.regions, demo.facts.proxy_instance_id)
    events = collect(query)
    assert query.progress().duplicates > 0
    assert len({e.event_id for e in events}) == len(events)


def test_forced_throttling_completes_with_every_event(demo: DemoServer) -> None:
    """A server allowing 0.5 calls/s while the pacer starts at 2: throttled, never failed."""
    with DemoServer(lookup_rate=0.5) as slow:
        text = f"user:{slow.facts.proxy_instance_id}"
        query = new_lookup(context(slow), slow.regions, parse(text, EVENT_FIELDS))
        events = collect(query)
        progress = query.progress()
    expected = ids_where(
        demo, lambda r: user_name_of(r.get("userIdentity") or {}) == demo.facts.proxy_instance_id
    )
    assert progress.throttles > 0
    assert not progress.failures
    assert {e.event_id for e in events} == expected


def test_denied_region_is_marked_and_others_answer(demo: DemoServer) -> None:
    facts = demo.facts
    denied = next(r for r in demo.regions if r != facts.proxy_region)
    with demo.denying(denied):
        query = lookup(demo, "name:RunInstances error:*")
        events = collect(query)
    failures = dict(query.progress().failures)
    assert set(failures) == {denied}
    assert failures[denied].kind is FailureKind.DENIED
    assert "1 denied" in query.progress().summary()
    assert events and all(e.aws_region != denied for e in events)
    assert {e.aws_region for e in events} >= {facts.proxy_region}


def test_the_progress_line_separates_thousands() -> None:
    from awsir_tui.aws.cloudtrail import LookupProgress

    progress = LookupProgress(regions=3, regions_done=1, pages=1_203, matched=12_345,
                              duplicates=1_001, throttles=2_500, capped=True)
    assert progress.summary() == (
        "12,345 of >12,345 events · 1/3 regions · 1,203 pages · throttled 2,500×"
        " · 1,001 duplicates dropped"
    )


def test_cap_then_load_more_gives_the_rest_once(demo: DemoServer) -> None:
    query = lookup(demo, f"user:{demo.facts.proxy_instance_id}", cap=20)
    first = collect(query)
    progress = query.progress()
    assert len(first) == 20
    assert progress.capped and query.more_available
    assert "20 of >20 events" in progress.summary()
    query.more(1000)
    rest = collect(query)
    everything = [e.event_id for e in first + rest]
    assert len(everything) == len(set(everything))
    assert set(everything) == {e.event_id for e in collect(lookup(demo, query_text(demo)))}
    assert not query.progress().capped


def test_a_capped_read_says_since_when_it_is_complete(demo: DemoServer) -> None:
    """Regions read newest first, in parallel, each to its own depth when the cap stops
    them: the list is whole only back to the shallowest region's depth, and says so."""
    times = {r["eventID"]: from_record(r).event_time for r in history(demo)}
    query = lookup(demo, "", cap=600)
    wanted = set(times)
    first = {e.event_id for e in collect(query)}
    progress = query.progress()
    assert progress.capped and progress.complete_after is not None
    assert f"complete after {progress.complete_after:%m-%d %H:%M:%S} UTC" in progress.summary()
    newer = {i for i in wanted if times[i] > progress.complete_after}
    assert newer and newer <= first
    assert wanted - first  # the rest is older, and missing


def test_a_series_not_begun_is_missing_at_every_time(demo: DemoServer) -> None:
    """Two attributes are read one series after the other: stopped in the first, the
    second's events are missing at every time, so nothing is complete yet; once the
    second is being read, the claim holds for both."""
    region = demo.facts.proxy_region
    series = [("EventName", "DescribeTrails"), ("EventName", "UpdateInstanceInformation")]
    query = EventLookup(context(demo), [region], attributes=series, cap=2, page_size=20)
    first = {e.event_id for e in collect(query)}
    assert query.progress().capped
    assert query.progress().complete_after == query.end  # nothing after anything
    everything = EventLookup(context(demo), [region], attributes=series)
    wanted = {e.event_id: e.event_time for e in collect(everything)}
    while query.progress().capped:
        query.more(100)
        first |= {e.event_id for e in collect(query)}
        after = query.progress().complete_after
        if after is not None:
            assert {i for i, t in wanted.items() if t > after} <= first
    assert first == set(wanted)
    assert query.progress().complete_after is None


def query_text(server: DemoServer) -> str:
    return f"user:{server.facts.proxy_instance_id}"


def test_cancel_stops_and_resumes_without_loss(demo: DemoServer) -> None:
    query = lookup(demo, query_text(demo))
    cancel = threading.Event()
    seen: list[str] = []
    for page in query.pages(cancel):
        seen.extend(e.event_id for e in page.events)
        if page.events:
            cancel.set()
    assert query.more_available
    seen.extend(e.event_id for page in query.pages() for e in page.events)
    assert len(seen) == len(set(seen))
    assert set(seen) == {e.event_id for e in collect(lookup(demo, query_text(demo)))}


def test_explain_says_what_ran_where() -> None:
    """The start said is the one read: 90 days less an hour before the read began (the
    headless command said "from 90 days ago" while it read from an hour later)."""
    now = datetime(2026, 11, 30, 10, 14, 52, tzinfo=UTC)
    spec = lookup_spec(parse("user:=i-0123456789abcdef0 OR resource:=i-0123456789abcdef0"),
                       now)
    assert spec.attributes == (
        ("Username", "i-0123456789abcdef0"),
        ("ResourceName", "i-0123456789abcdef0"),
    )
    assert spec.explain.startswith(
        "On AWS: one lookup per term, merged (Username = i-0123456789abcdef0, "
        "ResourceName = i-0123456789abcdef0), from 2026-09-01 11:14:52Z to now. Here:")
    assert spec.start == oldest_start(now)
    # The bound is the plan's, not a term of the filter: nobody typed an after:.
    every = lookup_spec(parse(""), now)
    assert every.start == oldest_start(now) and "after:" not in every.explain, every.explain
    plain = lookup_spec(parse("ip:203.0.113.66 since:2h"))
    assert plain.attributes == (None,) and plain.start is not None


def test_pacer_halves_on_throttle_and_recovers() -> None:
    now = [0.0]
    pacer = Pacer(2.0, clock=lambda: now[0])
    halt = threading.Event()
    assert pacer.wait(halt)  # first call at once
    pacer.throttled()
    assert pacer.rate == 1.0
    pacer.throttled()
    assert pacer.rate == 0.5
    for _ in range(20):
        pacer.succeeded()
    assert pacer.rate == 2.0
    halt.set()
    now[0] = 0.1
    assert not pacer.wait(halt)  # a halted wait returns at once, saying so


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def cli_args(demo: DemoServer) -> Iterator[list[str]]:
    yield ["--endpoint-url", demo.endpoint_url, "--regions", ",".join(demo.regions)]


def test_headless_jsonl_is_raw_records_newest_first(demo: DemoServer, cli_args: list[str]) -> None:
    code, out, err = run_cli(
        "events", *cli_args, "--filter", "name:RunInstances error:*", "--format", "jsonl"
    )
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    expected = ids_where(
        demo, lambda r: r.get("eventName") == "RunInstances" and r.get("errorCode")
    )
    assert {r["eventID"] for r in records} == expected
    times = [from_record(r).event_time for r in records]
    assert times == sorted(times, reverse=True)
    assert "On AWS: EventName = RunInstances" in err


def test_headless_csv_and_limit(demo: DemoServer, cli_args: list[str]) -> None:
    code, out, err = run_cli(
        "events", *cli_args, "--filter", f"user:{demo.facts.proxy_instance_id}",
        "--format", "csv", "--limit", "5",
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("time,region,event,user,source_ip")
    assert len(lines) == 6
    assert "more events match" in err


def test_headless_bad_filter_points_at_the_term(cli_args: list[str]) -> None:
    code, out, err = run_cli("events", *cli_args, "--filter", "name:Run bogus:1")
    assert code == 2 and out == ""
    assert "bad filter" in err and "^" in err


def test_headless_since_and_after_conflict(cli_args: list[str]) -> None:
    code, _, err = run_cli("events", *cli_args, "--since", "1h", "--after", "2026-01-01")
    assert code == 2 and "--since" in err


def test_a_region_s_late_first_call_starts_its_schedule() -> None:
    """With every enabled region read, a region's first call can go out seconds after
    its read was made: the pacer counted the slots missed since, sent its second call
    at once and its third half a second later (three in 0.5 s), and the region was
    throttled. The schedule begins with the first call."""
    now = [0.0]
    pacer = Pacer(2.0, clock=lambda: now[0])
    halt = threading.Event()
    now[0] = 1.9  # the first call, late
    starts = []
    for _ in range(3):
        assert pacer.wait(halt)
        starts.append(now[0])
        now[0] = max(now[0], pacer._next or 0.0)  # a fast answer; the next call waits
    assert starts == [1.9, 2.4, 2.9]


def test_a_term_of_several_values_is_one_lookup_per_value(demo: DemoServer) -> None:
    """``name:=a,b`` means ``name:=a OR name:=b``: it was read as every event of 90
    days (no attribute) where the OR of terms was one lookup per term; now each value is
    sent, and the answer is the same events the OR finds, over the demo's real HTTP."""
    names = ("RunInstances", "CreateKeyPair")
    listed = lookup(demo, f"name:={','.join(names)}")
    assert listed.attributes == [("EventName", name) for name in names]
    ored = lookup(demo, " OR ".join(f"name:={name}" for name in names))
    expected = ids_where(demo, lambda r: r["eventName"] in names)
    assert expected
    assert {e.event_id for e in collect(listed)} == {e.event_id for e in collect(ored)} \
        == expected
    negated = lookup_spec(parse(f"-name:={','.join(names)}"))
    assert negated.attributes == (None,)  # NOT (a or b): nothing to send


def test_an_or_of_lookups_narrowed_by_another_term_is_still_one_lookup_per_term(
    demo: DemoServer,
) -> None:
    """``user:=i OR resource:=i name:Describe`` (an instance page's `/` narrowed): read
    as every event of 90 days in the account, as no single term could be sent; the OR
    clause is sent term by term and the rest re-checked here, over the demo's HTTP."""
    instance = demo.facts.malicious_instance_id
    scope = f"user:={instance} OR resource:={instance}"
    narrowed = lookup(demo, f"{scope} name:Describe")
    assert narrowed.attributes == [("Username", instance), ("ResourceName", instance)]
    expected = ids_where(demo, lambda r: "Describe" in r["eventName"] and instance in (
        user_name_of(r.get("userIdentity") or {}), *resources_of(r)))
    assert expected
    assert {e.event_id for e in collect(narrowed)} == expected
    # A single term AWS can send is still preferred to the OR's several series.
    assert lookup(demo, f"{scope} name:=RunInstances").attributes == [
        ("EventName", "RunInstances")]


def test_a_running_read_says_how_far_back_it_has_read(demo: DemoServer) -> None:
    """A filter AWS cannot be sent reads every event of the range: the status said
    "52 events · 15/17 regions · 36 pages" for as long as that took, nothing of how far
    back the read had got. Every region has read back to the time said."""
    query = lookup(demo, "agent:python")  # a user agent: no lookup attribute
    assert query.attributes == [None]
    pages = query.pages()
    said = ""
    for _ in pages:
        progress = query.progress()
        if progress.complete_after is not None and progress.complete_after < query.end:
            said = progress.summary()
            break
    pages.close()
    assert progress.running
    back = progress.complete_after
    assert back is not None
    assert f"regions · back to {back:%m-%d %H:%M} UTC" in said
    assert " left" not in said  # not guessed from the first seconds' burst
    assert "back to" not in query.progress().summary()  # stopped: no longer reading back


def test_the_time_left_is_guessed_from_the_pace_so_far() -> None:
    from datetime import timedelta

    from awsir_tui.aws.cloudtrail import LookupProgress

    end = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    start = end - timedelta(days=90)
    progress = LookupProgress(regions=17, regions_done=15, pages=36, matched=52,
                              running=True, complete_after=end - timedelta(days=9),
                              start=start, end=end, reading_for=60.0)
    assert progress.summary() == (
        "52 events · 15/17 regions · back to 11-22 12:00 UTC, ~9 min left · 36 pages")
