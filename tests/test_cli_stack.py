"""``awsir-tui stack`` (#5): ``:stack``'s counts headless, over the real Stratus Red Team
logs, through the real command line. Each count is checked against one made here from
the records as written, with plain ``json``, not the project's reader."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any

from awsir_tui.demo.server import DemoServer
from awsir_tui.events.stacking import STACK_FIELDS
from tests.helpers_events import STRATUS, all_records
from tests.helpers_headless import run_cli

SOURCE = ["--source", str(STRATUS)]


def counted(*keys: str, having: str | None = None) -> Counter[tuple[Any, ...]]:
    """The records (each event once, as the store keeps them) counted by ``keys``,
    only those with ``having`` set if given."""
    records = {r["eventID"]: r for r in all_records()}
    assert len(records) == 310
    return Counter(tuple(r.get(key) for key in keys) for r in records.values()
                   if having is None or r.get(having))


def biggest_first(counts: Counter[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """``(count, *values)``, biggest first, ties by value, as :stack sorts them."""
    return sorted(((n, *values) for values, n in counts.items()),
                  key=lambda row: (-row[0], row[1:]))


def test_table_by_event_name_holds_each_names_count_biggest_first() -> None:
    code, out, err = run_cli("stack", *SOURCE, "--by", "name")
    assert code == 0, err
    header, *lines = out.splitlines()
    assert header.split() == ["count", "name"]
    rows = [(int(count), name) for count, name in (line.split() for line in lines)]
    expected = biggest_first(counted("eventName"))
    assert rows == expected
    assert rows[0] == (112, "DescribeInstanceInformation")
    assert (30, "GetPasswordData") in rows  # the burst of denied calls
    assert f"310 events in {len(expected)} groups by name" in err


def test_csv_by_two_fields_with_a_filter_counts_the_failed_calls() -> None:
    # ``event`` is the filter's alias of name: the header says the field's own name.
    code, out, err = run_cli("stack", *SOURCE, "--by", "error,event", "--filter", "error:*",
                             "--format", "csv")
    assert code == 0, err
    header, *rows = csv.reader(io.StringIO(out))
    assert header == ["count", "error", "name"]
    expected = biggest_first(counted("errorCode", "eventName", having="errorCode"))
    assert [(int(n), error, name) for n, error, name in rows] == expected
    assert (30, "Client.UnauthorizedOperation", "GetPasswordData") in expected
    failed = sum(n for n, *_ in expected)
    assert f"{failed} events in {len(expected)} groups by error and name" in err


def test_json_top_keeps_the_biggest_groups_and_says_how_many_there_are() -> None:
    code, out, err = run_cli("stack", *SOURCE, "--by", "region,ip", "--top", "3",
                             "--format", "json")
    assert code == 0, err
    expected = biggest_first(counted("awsRegion", "sourceIPAddress"))
    assert json.loads(out) == [{"region": region, "ip": ip, "count": n}
                               for n, region, ip in expected[:3]]
    assert f"in {len(expected)} groups by region and ip; the 3 biggest shown" in err


def test_an_unknown_field_is_refused_with_the_fields_that_count() -> None:
    fields = ", ".join(STACK_FIELDS.values())
    for by, why in (("bogus", "'bogus': not a field"),
                    ("user,time", "'time': not a field events are counted by"),
                    ("name,user,ip", "give one field or two")):
        code, out, err = run_cli("stack", *SOURCE, "--by", by)
        assert (code, out) == (2, ""), by
        assert why in err and fields in err, err
    code, out, err = run_cli("stack", *SOURCE, "--by", "user,user")
    assert (code, out) == (2, "") and "names one field twice" in err


def test_a_malformed_filter_is_pointed_at_and_nothing_is_counted() -> None:
    code, out, err = run_cli("stack", *SOURCE, "--by", "user", "--filter", "name:(x")
    assert (code, out) == (2, "")
    assert "bad filter" in err and "  name:(x\n       ^" in err, err
    assert "loaded" not in err  # refused before any file was read


def test_over_event_history_it_counts_what_events_reads(demo: DemoServer) -> None:
    """No ``--source``: Event history, read as ``events`` reads it, over the same range."""
    where = ["--endpoint-url", demo.endpoint_url, "--regions", ",".join(demo.regions),
             "--since", "2h"]
    code, out, err = run_cli("events", *where, "--format", "jsonl")
    assert code == 0, err
    names = Counter((json.loads(line)["eventName"],) for line in out.splitlines())
    assert names[("RunInstances",)]  # the attacker's launch is among them
    code, out, err = run_cli("stack", *where, "--by", "name", "--format", "json")
    assert code == 0, err
    assert [(g["count"], g["name"]) for g in json.loads(out)] == biggest_first(names)
    assert "On AWS: every event, from " in err  # what was read, said as events says it
