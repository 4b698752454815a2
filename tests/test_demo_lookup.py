"""LookupEvents on the demo server: AWS's semantics, over real HTTP with boto3."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from awsir_tui.demo.scenario import Facts
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.record import from_lookup_event

#: Enough standard-mode attempts to ride out the 2 requests/s pacing when paging fast.
PATIENT = {"mode": "standard", "max_attempts": 10}
RAW = {"mode": "standard", "max_attempts": 1}


def _by_user(user: str) -> list[dict[str, str]]:
    return [{"AttributeKey": "Username", "AttributeValue": user}]


def test_username_lookup_pages_newest_first_through_the_attack(
    demo_facts: Facts, demo_client: Callable[..., Any]
) -> None:
    cloudtrail = demo_client("cloudtrail", demo_facts.proxy_region, retries=PATIENT)
    pages: list[list[dict[str, Any]]] = []
    token = None
    window = {"StartTime": demo_facts.attack_started - timedelta(minutes=1),
              "EndTime": demo_facts.seeded_at}
    while True:
        extra = {"NextToken": token} if token else {}
        page = cloudtrail.lookup_events(LookupAttributes=_by_user(demo_facts.proxy_instance_id),
                                        MaxResults=5, **window, **extra)
        pages.append(page["Events"])
        token = page.get("NextToken")
        if not token:
            break
    assert len(pages) >= 3 and all(len(p) == 5 for p in pages[:-1])
    events = [e for page in pages for e in page]
    times = [e["EventTime"] for e in events]
    assert times == sorted(times, reverse=True)
    assert len({e["EventId"] for e in events}) == len(events)
    attack_here = {json.loads(e["CloudTrailEvent"])["eventID"] for e in events
                   if json.loads(e["CloudTrailEvent"])["sourceIPAddress"] == demo_facts.attacker_ip}
    assert attack_here and attack_here <= set(demo_facts.attack_event_ids)
    for item in events:
        record = json.loads(item["CloudTrailEvent"])
        assert item["Username"] == demo_facts.proxy_instance_id
        assert record["awsRegion"] == demo_facts.proxy_region
        identity = record["userIdentity"]
        assert identity["type"] == "AssumedRole"
        assert identity["principalId"].endswith(f":{demo_facts.proxy_instance_id}")
        assert "ec2RoleDelivery" in identity["sessionContext"]
        if record["sourceIPAddress"] == demo_facts.attacker_ip:
            assert item["AccessKeyId"] == demo_facts.attacker_access_key_id
    names = [e["EventName"] for e in events]
    for expected in ("GetCallerIdentity", "CreateSecurityGroup", "AuthorizeSecurityGroupIngress",
                     "ImportKeyPair", "RunInstances"):
        assert expected in names
    # The app's normaliser reads every item, and resources line up with EC2's IDs.
    normalised = [from_lookup_event(e) for e in events]
    launch = [n for n in normalised if n.event_name == "RunInstances" and not n.error_code]
    assert len(launch) == 1 and demo_facts.malicious_instance_id in launch[0].resources
    failed = [n for n in normalised if n.event_name == "RunInstances" and n.error_code]
    assert failed and all(n.error_message for n in failed)


def test_the_stolen_key_was_also_used_by_the_proxy_itself(
    demo_facts: Facts, demo_client: Callable[..., Any]
) -> None:
    cloudtrail = demo_client("cloudtrail", demo_facts.proxy_region, retries=PATIENT)
    paginator = cloudtrail.get_paginator("lookup_events")
    pages = paginator.paginate(LookupAttributes=[{
        "AttributeKey": "AccessKeyId", "AttributeValue": demo_facts.attacker_access_key_id}])
    records = [json.loads(e["CloudTrailEvent"]) for p in pages for e in p["Events"]]
    addresses = {r["sourceIPAddress"] for r in records}
    assert {demo_facts.attacker_ip, demo_facts.proxy_public_ip} <= addresses
    # EC2 handed the key to the instance: that AssumeRole (made by the EC2 service, so
    # not under the key itself) names the key as a resource.
    issued = cloudtrail.lookup_events(LookupAttributes=[{
        "AttributeKey": "ResourceName", "AttributeValue": demo_facts.attacker_access_key_id}])
    [grant] = [json.loads(e["CloudTrailEvent"]) for e in issued["Events"]]
    assert grant["eventName"] == "AssumeRole"
    assert grant["requestParameters"]["roleSessionName"] == demo_facts.proxy_instance_id


def test_lookups_see_only_the_region_they_were_signed_for(
    demo_facts: Facts, demo_client: Callable[..., Any]
) -> None:
    cloudtrail = demo_client("cloudtrail", "us-east-1", retries=PATIENT)
    events = cloudtrail.lookup_events(LookupAttributes=_by_user(demo_facts.proxy_instance_id))[
        "Events"]
    records = [json.loads(e["CloudTrailEvent"]) for e in events]
    assert records and {r["awsRegion"] for r in records} == {"us-east-1"}
    assert {r["errorCode"] for r in records} == {"InstanceLimitExceeded"}


def test_resource_name_and_time_range_narrow_the_answer(
    demo_facts: Facts, demo_client: Callable[..., Any]
) -> None:
    cloudtrail = demo_client("cloudtrail", demo_facts.proxy_region, retries=PATIENT)
    found = cloudtrail.lookup_events(
        LookupAttributes=[{"AttributeKey": "ResourceName",
                           "AttributeValue": demo_facts.malicious_instance_id}],
        StartTime=demo_facts.malicious_launch_time,
        EndTime=demo_facts.malicious_launch_time + timedelta(seconds=1))["Events"]
    assert [e["EventName"] for e in found] == ["RunInstances"]
    assert {"ResourceType": "AWS::EC2::Instance",
            "ResourceName": demo_facts.malicious_instance_id} in found[0]["Resources"]
    before = cloudtrail.lookup_events(
        LookupAttributes=[{"AttributeKey": "ResourceName",
                           "AttributeValue": demo_facts.malicious_instance_id}],
        EndTime=demo_facts.malicious_launch_time - timedelta(seconds=1))["Events"]
    assert before == []


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({"LookupAttributes": [{"AttributeKey": "Username", "AttributeValue": "bob"},
                               {"AttributeKey": "EventName", "AttributeValue": "RunInstances"}]},
         "InvalidLookupAttributesException"),
        ({"LookupAttributes": [{"AttributeKey": "Nonsense", "AttributeValue": "x"}]},
         "InvalidLookupAttributesException"),
        ({"MaxResults": 51}, "InvalidMaxResultsException"),
        ({"NextToken": "not-a-token"}, "InvalidNextTokenException"),
        ({"StartTime": 2_000_000_000, "EndTime": 1_000_000_000}, "InvalidTimeRangeException"),
        ({"EventCategory": "everything"}, "InvalidEventCategoryException"),
    ],
)
def test_invalid_requests_are_refused_like_aws(
    arguments: dict[str, Any], code: str, demo_client: Callable[..., Any]
) -> None:
    cloudtrail = demo_client("cloudtrail", "eu-west-1", retries=PATIENT)
    with pytest.raises(ClientError) as raised:
        cloudtrail.lookup_events(**arguments)
    assert raised.value.response["Error"]["Code"] == code
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_token_from_another_query_is_refused(
    demo_facts: Facts, demo_client: Callable[..., Any]
) -> None:
    cloudtrail = demo_client("cloudtrail", demo_facts.proxy_region, retries=PATIENT)
    token = cloudtrail.lookup_events(MaxResults=1)["NextToken"]
    with pytest.raises(ClientError) as raised:
        cloudtrail.lookup_events(LookupAttributes=_by_user("bob"), NextToken=token)
    assert raised.value.response["Error"]["Code"] == "InvalidNextTokenException"


def test_hammering_a_region_is_throttled_and_standard_retries_get_every_page(
    demo: DemoServer,
) -> None:
    # A server of the same account paced at one call per 2 s, so that "too fast" does not
    # depend on how quickly this machine sends requests.
    with DemoServer(lookup_rate=0.5) as slow:
        region = "ap-southeast-2"
        impatient = slow.client("cloudtrail", region, Config(retries=RAW))  # type: ignore[arg-type]
        codes = []
        for _ in range(4):
            try:
                impatient.lookup_events(MaxResults=1)
                codes.append("ok")
            except ClientError as error:
                codes.append(error.response["Error"]["Code"])
                assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert codes[0] == "ok" and "ThrottlingException" in codes[1:]
        # Each region has its own allowance, as on AWS.
        other = slow.client("cloudtrail", "us-east-1", Config(retries=RAW))  # type: ignore[arg-type]
        assert other.lookup_events(MaxResults=1)["Events"]

        patient = slow.client("cloudtrail", region, Config(retries=PATIENT))  # type: ignore[arg-type]
        pages = list(patient.get_paginator("lookup_events").paginate(
            PaginationConfig={"PageSize": 50, "MaxItems": 100}))
        assert [len(page["Events"]) for page in pages] == [50, 50]
        assert sum(p["ResponseMetadata"].get("RetryAttempts", 0) for p in pages) > 0


def test_a_denied_region_answers_access_denied_and_others_still_work(
    demo: DemoServer,
) -> None:
    with DemoServer(denied_regions={"ap-southeast-2"}) as denying:
        assert denying.facts == demo.facts  # the same account, on another port
        raw = Config(retries=RAW)  # type: ignore[arg-type]
        with pytest.raises(ClientError) as ec2_error:
            denying.client("ec2", "ap-southeast-2", raw).describe_instances()
        assert ec2_error.value.response["Error"]["Code"] == "UnauthorizedOperation"
        with pytest.raises(ClientError) as trail_error:
            denying.client("cloudtrail", "ap-southeast-2", raw).lookup_events()
        assert trail_error.value.response["Error"]["Code"] == "AccessDeniedException"
        assert denying.client("ec2", "us-east-1", raw).describe_instances()["Reservations"]


def test_denying_a_region_on_the_running_server_is_temporary(
    demo: DemoServer, demo_client: Callable[..., Any]
) -> None:
    ec2 = demo_client("ec2", "eu-west-1", retries=RAW)
    with demo.denying("eu-west-1"):
        with pytest.raises(ClientError) as raised:
            ec2.describe_instances()
        assert raised.value.response["Error"]["Code"] == "UnauthorizedOperation"
        assert demo_client("ec2", "us-east-1", retries=RAW).describe_instances()["Reservations"]
    assert ec2.describe_instances()["Reservations"]
