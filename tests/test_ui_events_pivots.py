"""Where Enter on a value of an event leads (the drill-down's pivots), on a real record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsir_tui.events.record import from_record
from awsir_tui.query import EVENT_FIELDS, compile_predicate, parse
from awsir_tui.ui.events_detail import kind_of, pivot_for
from awsir_tui.ui.json_view import JsonNode

STRATUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cloudtrail" / (
    "stratus-red-team"
)


def run_instances() -> dict[str, object]:
    """A failed RunInstances (it has an error code, an access key, resources)."""
    records = json.loads(
        (STRATUS / "aws.execution.ec2-launch-unusual-instances.json").read_text()
    )
    return next(r for r in records if r["eventName"] == "RunInstances" and r.get("errorCode"))


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (("sourceIPAddress",), "ip"),
        (("eventName",), "name"),
        (("userIdentity", "accessKeyId"), "key"),
        (("userIdentity", "principalId"), "user"),
        (("userIdentity", "arn"), "user"),
        (("errorCode",), "error"),
        (("userAgent",), "agent"),
    ],
)
def test_event_fields_pivot_to_an_events_filter_that_matches_the_event(
    path: tuple[str, ...], field: str
) -> None:
    record = run_instances()
    value: object = record
    for key in path:
        assert isinstance(value, dict)
        value = value[key]
    event = from_record(record)
    pivot = pivot_for(JsonNode(path, value), event)
    assert pivot is not None and pivot.view == "events"
    text = pivot.arguments["filter_text"]
    assert text.startswith(f"{field}:=")
    # The pivot's filter finds the event it came from.
    assert compile_predicate(parse(text, EVENT_FIELDS), EVENT_FIELDS)(event)


def test_ec2_values_open_the_ec2_views() -> None:
    event = from_record(run_instances())
    instance = pivot_for(JsonNode(("responseElements", "x", "instanceId"),
                                  "i-0123456789abcdef0"), event)
    assert instance is not None and instance.view == "instances"
    assert instance.arguments == {"filter_text": "id:=i-0123456789abcdef0"}
    group = pivot_for(JsonNode(("requestParameters", "groupId"), "sg-0123456789abcdef0"), event)
    assert group is not None and group.view == "sg"
    key = pivot_for(JsonNode(("requestParameters", "keyName"), "ops recovery"), event)
    assert key is not None and key.view == "keys"
    assert key.arguments == {"filter_text": 'name:="ops recovery"'}


def test_resources_pivot_and_plain_values_do_not() -> None:
    event = from_record(run_instances())
    resource = event.resources[0]
    pivot = pivot_for(JsonNode(("requestParameters", "imageId"), resource), event)
    assert pivot is not None and pivot.arguments["filter_text"].startswith("resource:=")
    assert pivot_for(JsonNode(("eventVersion",), "1.08"), event) is None
    assert pivot_for(JsonNode(("readOnly",), False), event) is None


def test_a_user_named_in_a_request_pivots_to_what_was_done_to_it_and_by_it() -> None:
    """CreateUser's ``requestParameters.userName`` is the new user: the events naming it
    as a resource (its policy, its access key) and any it made, not only ``user:``."""
    records = json.loads((STRATUS / "aws.persistence.iam-create-admin-user.json").read_text())
    created = next(r for r in records if r["eventName"] == "CreateUser")
    name = created["requestParameters"]["userName"]
    events = [from_record(r) for r in records]
    pivot = pivot_for(JsonNode(("requestParameters", "userName"), name), from_record(created))
    assert pivot is not None and pivot.view == "events"
    matches = compile_predicate(parse(pivot.arguments["filter_text"], EVENT_FIELDS), EVENT_FIELDS)
    found = {e.event_name for e in events if matches(e)}
    assert {"CreateUser", "AttachUserPolicy", "CreateAccessKey"} <= found


def test_an_instance_id_is_hex_and_a_word_like_one_is_not() -> None:
    event = from_record(run_instances())
    anonymised = pivot_for(JsonNode(("responseElements", "instanceId"), "i-786a3A8B5C0d92eF4"),
                           event)
    assert anonymised is not None and anonymised.view == "instances"
    word = pivot_for(JsonNode(("userIdentity", "userName"), "i-Engineers"), event)
    assert word is not None and word.view == "events"  # a user's events, not an instance


def test_a_marked_value_s_kind_follows_its_place_in_the_record() -> None:
    issuer = ("userIdentity", "sessionContext", "sessionIssuer", "userName")
    assert kind_of(JsonNode(issuer, "edge-proxy-role")) is None  # a role, not a user
    assert kind_of(JsonNode(("userIdentity", "userName"), "bob")) == "user"
    session = "AROARZPUZDIKLEY2BR6LO:i-b2547952490b7fe51"  # marked as "other" before
    assert kind_of(JsonNode(("userIdentity", "principalId"), session)) == "user"
    assert kind_of(JsonNode(("sourceIPAddress",), "ec2.amazonaws.com")) is None
    assert kind_of(JsonNode(("sourceIPAddress",), "203.0.113.66")) == "ip"


def test_a_name_that_is_no_resource_offers_no_resource_pivot() -> None:
    """A search filter's name and an instance state's name are not resources (the
    store leaves them out since 386b8ea): Enter on them offered `resource:=name`,
    which finds nothing, even the event it came from. A real resource under `name`
    (a trail) still pivots."""
    record = run_instances()
    record["requestParameters"] = {
        "filterSet": {"items": [{"name": "name", "valueSet": {"items": [{"value": "x"}]}}]}}
    record["responseElements"] = {"instancesSet": {"items": [{
        "instanceId": "i-0123456789abcdef0", "currentState": {"code": 16, "name": "running"}}]}}
    event = from_record(record)
    assert "name" not in event.resources and "running" not in event.resources
    assert pivot_for(JsonNode(
        ("requestParameters", "filterSet", "items", 0, "name"), "name"), event) is None
    assert pivot_for(JsonNode(("responseElements", "instancesSet", "items", 0,
                               "currentState", "name"), "running"), event) is None
    record["requestParameters"] = {"name": "management-trail"}
    trail = from_record(record)
    pivot = pivot_for(JsonNode(("requestParameters", "name"), "management-trail"), trail)
    assert pivot is not None and pivot.arguments["filter_text"] == "resource:=management-trail"
    assert compile_predicate(parse(pivot.arguments["filter_text"], EVENT_FIELDS), EVENT_FIELDS)(
        trail)
