"""A multi-region trail the attacker stopped (StopLogging) is named as stopped, with
when, against the demo account over HTTP: the data layer and `awsir-tui posture` in
every format. It was reported as "no multi-region trail", without the stop time."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from awsir_tui.aws.posture import (
    RegionPosture,
    remedies,
    remedy_script,
    scan_posture,
    stop_time,
)
from awsir_tui.cli import main
from awsir_tui.query.times import utc_stamp
from tests.helpers_app import demo_context
from tests.helpers_posture import trail_stopped


async def scan(demo: Any) -> dict[str, RegionPosture]:
    found = {}
    async for outcome in scan_posture(demo_context(demo), list(demo.regions)):
        assert outcome.value is not None, outcome.failure
        found[outcome.region] = outcome.value
    return found


async def test_a_stopped_multi_region_trail_is_named_with_when_it_stopped(demo: Any) -> None:
    name = demo.facts.trail_name
    with trail_stopped(demo) as when:
        stopped = await scan(demo)
    for region, posture in stopped.items():
        assert posture.cloudtrail_logging is False and posture.multi_region_covered is False
        trail = posture.stopped_multi_region
        assert trail is not None and trail.name == name, region
        assert trail.stopped_at is not None and utc_stamp(trail.stopped_at) == when
        assert posture.verdict().startswith(
            f"CloudTrail logging: no; multi-region trail {name} STOPPED at {when}; "
        )
        [restart] = [f for f in remedies(posture) if "start-logging" in f.commands[0]]
        assert restart.gap == f"trail {name} STOPPED at {when}"
    # The script starts the trail once, every region's gap named (it said it 3 times).
    script = remedy_script(list(stopped.values()))
    assert sum("cloudtrail start-logging" in line for line in script.splitlines()) == 1
    assert sum(f"trail {name} STOPPED" in line for line in script.splitlines()) == len(stopped)
    # Logging again: the old stop time is no longer the state of the trail.
    for posture in (await scan(demo)).values():
        assert posture.stopped_multi_region is None
        assert all(t.stopped_at is None for t in posture.trails)
        assert "multi-region trail covers it" in posture.verdict()


def test_the_stop_time_from_either_field_or_none() -> None:
    """StopLoggingTime is a timestamp; TimeLoggingStopped a string, empty when never
    stopped (moto sends both; AWS calls the string no longer used)."""
    at = datetime(2026, 12, 1, 7, 29, 1, tzinfo=UTC)
    assert stop_time({"StopLoggingTime": at, "TimeLoggingStopped": ""}) == at
    assert stop_time({"TimeLoggingStopped": "2026-12-01T07:29:01Z"}) == at
    assert stop_time({"TimeLoggingStopped": ""}) is None
    assert stop_time({"IsLogging": False}) is None


def headless(demo: Any, capsys: pytest.CaptureFixture[str], form: str) -> str:
    regions = ",".join(demo.regions)
    code = main(
        ["posture", "--endpoint-url", demo.endpoint_url, "--regions", regions, "--format", form]
    )
    assert code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("form", ["table", "csv", "json", "jsonl"])
def test_headless_posture_says_stopped_and_when_in_every_format(
    demo: Any, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    name = demo.facts.trail_name
    with trail_stopped(demo) as when:
        out = headless(demo, capsys, form)
    said = f"multi-region trail {name} STOPPED at {when}"
    if form == "table":
        lines = out.split("\n\n")[0].splitlines()
        rows = [line.split() for line in lines[1:]]
        records = [
            {"region": r[0], "multi_region_trail": r[2], "verdict": line}
            for r, line in zip(rows, lines[1:], strict=True)
        ]
    elif form == "csv":
        records = list(csv.DictReader(io.StringIO(out)))
    elif form == "json":
        records = json.loads(out)
    else:
        records = [json.loads(line) for line in out.splitlines()]
    assert {r["region"] for r in records} == set(demo.regions)
    for record in records:
        assert record["multi_region_trail"] == "stopped", record
        assert said in record["verdict"], record
    if form == "table":
        assert f"# us-east-1: trail {name} STOPPED at {when}" in out
