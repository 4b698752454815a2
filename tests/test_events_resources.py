"""An event's resources: what a search filter names is none, on either ingest path."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from awsir_tui.events.loader import load
from awsir_tui.events.record import Event
from awsir_tui.events.store import EventStore
from awsir_tui.query import EVENT_FIELDS, compile_predicate, parse
from tests.helpers_events import envelope_gz, stratus_files

#: EC2 search filters as CloudTrail records them (DescribeImages: ``name`` is a filter).
EC2_FILTERS = {"items": [
    {"name": "name", "valueSet": {"items": [{"value": "amzn2-ami-hvm-*"}]}},
    {"name": "instance-state-name", "valueSet": {"items": [{"value": "running"}]}},
]}
#: The ``filters`` of RDS and others: a name and its values.
LISTED_FILTERS = [{"name": "engine", "values": ["mysql", "postgres"]}]


def with_filters() -> list[dict[str, Any]]:
    """Real DescribeInstances calls (their ``filterSet`` is empty) given filters, and real
    calls that name a resource ``name``: a trail (StopLogging), a trust anchor."""
    techniques = stratus_files()
    described = [
        r for r in techniques["aws.execution.ec2-user-data"]
        if "filterSet" in (r.get("requestParameters") or {})
    ][:2]
    assert len(described) == 2
    ec2, listed = copy.deepcopy(described)
    ec2["requestParameters"]["filterSet"] = EC2_FILTERS
    listed["requestParameters"]["filters"] = LISTED_FILTERS
    named = [
        r for r in (*techniques["aws.defense-evasion.cloudtrail-stop"],
                    *techniques["aws.persistence.rolesanywhere-create-trust-anchor"])
        if r["eventName"] in ("StopLogging", "CreateTrustAnchor")
    ]
    return [ec2, listed, *named]


def loaded(tmp_path: Path, fast: bool) -> dict[str, Event]:
    (tmp_path / "filters.json.gz").write_bytes(envelope_gz(with_filters()))
    with EventStore() as store:
        load([tmp_path], store, fast=fast)
        return {e.event_name + ":" + e.event_id: e for e in store.events()}


def test_a_search_filter_s_name_is_no_resource_on_either_path(tmp_path: Path) -> None:
    """DescribeImages filtering on ``name`` showed ``name`` as a resource, and
    ``resource:=name`` matched it: ``name`` names a resource only outside a filter, and
    DuckDB's extraction must draw that line where the Python reader does."""
    matches = compile_predicate(parse("resource:=name", EVENT_FIELDS), EVENT_FIELDS)
    paths = {}
    for fast in (True, False):
        folder = tmp_path / str(fast)
        folder.mkdir()
        events = paths[fast] = loaded(folder, fast)
        described = [e for key, e in events.items() if key.startswith("DescribeInstances:")]
        assert len(described) == 2
        for event in described:
            assert not {"name", "instance-state-name", "engine"} & set(event.resources)
            assert any(r.startswith("i-") for r in event.resources)  # its instances are
        assert not [e for e in events.values() if matches(e)]
        trail = next(e for key, e in events.items() if key.startswith("StopLogging:"))
        assert any("stratus-red-team" in r for r in trail.resources)
        anchor = next(e for key, e in events.items() if key.startswith("CreateTrustAnchor:"))
        assert "malicious-rolesanywhere-trust-anchor" in anchor.resources
    assert {k: e.resources for k, e in paths[True].items()} == {
        k: e.resources for k, e in paths[False].items()
    }


def test_systems_manager_s_instances_are_resources_on_either_path(tmp_path: Path) -> None:
    """SendCommand (its ``instanceIds``) and StartSession (its ``target``) are how code
    runs on an instance, and neither named it: `E` on the instance and
    ``resource:=i-…`` missed them. Their command and session IDs tie the later calls
    (GetCommandInvocation, TerminateSession) to them."""
    techniques = stratus_files()
    ssm = [r for name in ("aws.execution.ssm-send-command", "aws.execution.ssm-start-session")
           for r in techniques[name]
           if r["eventName"] in ("SendCommand", "StartSession", "TerminateSession")]
    sent = next(r for r in ssm if r["eventName"] == "SendCommand")
    started = next(r for r in ssm if r["eventName"] == "StartSession")
    session = started["responseElements"]["sessionId"]
    for fast in (True, False):
        folder = tmp_path / str(fast)
        folder.mkdir()
        (folder / "ssm.json.gz").write_bytes(envelope_gz(ssm))
        with EventStore() as store:
            load([folder], store, fast=fast)
            by_id = {e.event_id: e for e in store.events()}
        assert set(sent["requestParameters"]["instanceIds"]) <= set(
            by_id[sent["eventID"]].resources), fast
        assert started["requestParameters"]["target"] in by_id[started["eventID"]].resources
        ended = [e for e in by_id.values()
                 if e.event_name == "TerminateSession" and session in e.resources]
        assert len(ended) == 1, fast
