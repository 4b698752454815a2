"""Filters over EC2 objects as the data layer hands them over: AWS's own dicts plus
"Region" ("UsedBy" for groups and key pairs, "OpenToWorld" for groups, "RoleNames" once
IAM told an instance's role)."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from awsir_tui.query import (
    EVENT_FIELDS,
    INSTANCE_FIELDS,
    KEY_PAIR_FIELDS,
    SECURITY_GROUP_FIELDS,
    FieldTable,
    FilterError,
    compile_predicate,
    parse,
    quote,
)

NOW = datetime(2019, 8, 10, 12, 0, tzinfo=UTC)

PROXY = {
    "InstanceId": "i-0a1b2c3d4e5f60718", "ImageId": "ami-0abcdef1234567890",
    "State": {"Code": 16, "Name": "running"}, "InstanceType": "t3.micro",
    "KeyName": "ops-2019", "LaunchTime": datetime(2019, 8, 1, 9, 30, tzinfo=UTC),
    "Placement": {"AvailabilityZone": "eu-west-1a", "Tenancy": "default"},
    "PrivateIpAddress": "10.0.1.15", "PublicIpAddress": "34.240.1.2",
    "SubnetId": "subnet-0123456789abcdef0", "VpcId": "vpc-0123456789abcdef0",
    "SecurityGroups": [{"GroupId": "sg-0aaa1111bbbb2222c", "GroupName": "web"}],
    "IamInstanceProfile": {
        "Arn": "arn:aws:iam::123456789012:instance-profile/proxy-profile",
        "Id": "AIPAEXAMPLEPROFILEID1",
    },
    "RoleNames": ["proxy-role"],
    "NetworkInterfaces": [{
        "PrivateIpAddress": "10.0.1.15",
        "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.1.15", "Primary": True,
                                "Association": {"PublicIp": "34.240.1.2"}},
                               {"PrivateIpAddress": "10.0.1.99", "Primary": False}],
        "Ipv6Addresses": [{"Ipv6Address": "2a05:d018::15"}],
    }],
    "Tags": [{"Key": "Name", "Value": "egress-proxy"}, {"Key": "Owner", "Value": "Bob Smith"}],
    "Region": "eu-west-1",
}
MINER = {
    "InstanceId": "i-0ffffeeeeddddcccc", "ImageId": "ami-0deadbeefdeadbeef",
    "State": {"Code": 0, "Name": "pending"}, "InstanceType": "p3.16xlarge",
    "KeyName": "attacker-key", "LaunchTime": "2019-08-09T23:10:00+00:00",
    "Placement": {"AvailabilityZone": "ap-southeast-2b"},
    "SecurityGroups": [{"GroupId": "sg-0bad0bad0bad0bad0", "GroupName": "ssh-anywhere"}],
    "Tags": [{"Key": "Name", "Value": "[bold red]build\x1b[0m"}],
    "Region": "ap-southeast-2",
}
# What a hostile or half-built object may look like: nothing may crash on it.
ODD = {"InstanceId": 7, "State": "running", "Tags": [{"Key": None}, "x"], "LaunchTime": "soon",
       "SecurityGroups": None, "NetworkInterfaces": [None, {"PrivateIpAddresses": "x"}]}
INSTANCES = [PROXY, MINER, ODD]

WEB = {
    "GroupId": "sg-0aaa1111bbbb2222c", "GroupName": "web", "VpcId": "vpc-0123456789abcdef0",
    "Description": "HTTPS from the load balancer", "Region": "eu-west-1",
    "IpPermissions": [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
         "IpRanges": [{"CidrIp": "10.0.0.0/16"}], "Ipv6Ranges": []},
        {"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1,
         "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
    ],
    "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    "Tags": [{"Key": "Team", "Value": "platform"}], "UsedBy": ["i-0a1b2c3d4e5f60718"],
    "OpenToWorld": [],
}
SSH = {
    "GroupId": "sg-0bad0bad0bad0bad0", "GroupName": "ssh-anywhere",
    "VpcId": "vpc-0999", "Description": "[link=http://x]click[/link]",
    "Region": "ap-southeast-2",
    "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                       "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                       "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}],
    "IpPermissionsEgress": [], "UsedBy": ["i-0ffffeeeeddddcccc"], "OpenToWorld": ["tcp/22"],
}
ALL_TRAFFIC = {
    "GroupId": "sg-0ccc", "GroupName": "default", "Region": "eu-west-1",
    "IpPermissions": [{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": "sg-0ccc"}]}],
    "UsedBy": [], "OpenToWorld": [],
}
GROUPS = [WEB, SSH, ALL_TRAFFIC, {"GroupId": None, "IpPermissions": [{"FromPort": "x"}]}]

OPS_KEY = {
    "KeyPairId": "key-0123456789abcdef0", "KeyName": "ops-2019", "KeyType": "rsa",
    "KeyFingerprint": "1f:51:ae:28:bf:89:e9:d8:1f:25:5d:37:2d:7d:b8:ca:9f:f5:f1:6f",
    "CreateTime": datetime(2019, 1, 3, tzinfo=UTC), "Region": "eu-west-1",
    "Tags": [], "UsedBy": ["i-0a1b2c3d4e5f60718"],
}
ATTACKER_KEY = {
    "KeyPairId": "key-0fedcba9876543210", "KeyName": "attacker-key", "KeyType": "ed25519",
    "KeyFingerprint": "SHA256:abcdEFGHijklMNOPqrst", "CreateTime": "2019-08-09T23:05:00Z",
    "Region": "ap-southeast-2", "UsedBy": [],
}
UNUSED_KEY = {"KeyPairId": "key-0aaa", "KeyName": "old", "KeyType": "rsa",
              "CreateTime": datetime(2018, 5, 1), "Region": "us-east-1", "UsedBy": []}
KEYS = [OPS_KEY, ATTACKER_KEY, UNUSED_KEY]


def ids(text: str, fields: FieldTable, objects: list[dict], key: str) -> list[object]:
    keep = compile_predicate(parse(text, fields, now=NOW), fields)
    return [obj.get(key) for obj in objects if keep(obj)]


def instance_ids(text: str) -> list[object]:
    return ids(text, INSTANCE_FIELDS, INSTANCES, "InstanceId")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key:attacker-key", [MINER]), ("key:=ops-2019", [PROXY]), ("key:OPS", [PROXY]),
        ("id:i-0ffff", [MINER]), ("name:proxy", [PROXY]), ("name:=egress-proxy", [PROXY]),
        ("state:running", [PROXY]), ("type:p3", [MINER]), ("type:=t3.micro", [PROXY]),
        ("sg:sg-0bad", [MINER]), ("sg:=web", [PROXY]), ("group:ssh", [MINER]),
        ("profile:proxy-profile", [PROXY]), ("role:=proxy-role", [PROXY]),
        ("role:proxy-profile", []), ("role:*", [PROXY]), ("profile:proxy-role", []),
        ("profile:AIPAEXAMPLE", [PROXY]), ("profile:*", [PROXY]), ("-profile:*", [MINER, ODD]),
        ("ip:34.240.1.2", [PROXY]), ("ip:10.0.1.99", [PROXY]), ("ip:2a05:d018", [PROXY]),
        ("ip:=10.0.1.15", [PROXY]), ("ip:10.0.0.0/8", [PROXY]), ("ip:10.0.1.1", []),
        ("-ip:10.0.0.0/8", [MINER, ODD]), ("ip:34.240.0.0/12", [PROXY]),
        ("vpc:vpc-0123", [PROXY]), ("subnet:*", [PROXY]),
        ("az:ap-southeast-2b", [MINER]), ("region:eu-", [PROXY]), ("ami:=ami-0deadbeefdeadbeef",
                                                                   [MINER]),
        ("tag:Owner=bob", [PROXY]), ("tag:owner", [PROXY]), ("tag:Owner=alice", []),
        ("tag:=Owner=bob", []), ('tag:=Owner="Bob Smith"', [PROXY]), ("tag:*", [PROXY, MINER]),
        ("-tag:Owner", [MINER, ODD]), ("tag:Name=proxy,build", [PROXY, MINER]),
        ("since:1d", [MINER]), ("after:2019-08-01 before:2019-08-02", [PROXY]),
        ("launched:*", [PROXY, MINER]), ("before:2019-08-10", [PROXY, MINER]),
        # A date is that UTC day (MINER at 23:10Z on the 9th, an offset in its text).
        ("launched:2019-08-01", [PROXY]), ("launched:2019-08-09", [MINER]),
        ("launched:=2019-08-09", [MINER]), ("launched:2019-08-10", []),
        ("launched:2019-08-01,2019-08-09", [PROXY, MINER]), ("-launched:2019-08-09", [PROXY, ODD]),
        ("launched:2019-08-01 OR key:attacker", [PROXY, MINER]),
        ("launched:2019-08-09 since:1d", [MINER]),
        ("p3.16xlarge", [MINER]), ("sg-0bad0bad0bad0bad0", [MINER]), ('"bob smith"', [PROXY]),
        ("[bold", [MINER]), ("\x1b[0m", [MINER]), ("2019-08-01T09:30", [PROXY]),
        ("key:attacker OR name:proxy", [PROXY, MINER]), ("key:attacker,ops -state:pending",
                                                         [PROXY]),
    ],
)
def test_instance_filters(text, expected):
    assert instance_ids(text) == [obj["InstanceId"] for obj in expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("open:true", [SSH]), ("open:false", [WEB, ALL_TRAFFIC, GROUPS[3]]),
        # Every group is open or not: open:* and used:* ask "is it", not "has a value".
        ("open:*", [SSH]), ("-open:*", [WEB, ALL_TRAFFIC, GROUPS[3]]),
        ("used:*", [WEB, SSH]), ("-used:*", [ALL_TRAFFIC, GROUPS[3]]),
        ("port:22", [SSH, ALL_TRAFFIC]), ("port:443", [WEB, ALL_TRAFFIC]),
        ("port:400-500", [WEB, ALL_TRAFFIC]), ("port:8", [ALL_TRAFFIC]),
        ("open:true port:22", [SSH]), ("cidr:0.0.0.0/0", [WEB, SSH]),
        ("cidr:=::/0", [SSH]), ("cidr:10.0.", [WEB]), ("used:false", [ALL_TRAFFIC, GROUPS[3]]),
        ("used:true", [WEB, SSH]), ("instance:i-0ffff", [SSH]), ("name:=web", [WEB]),
        ("id:sg-0bad", [SSH]), ("desc:load balancer", [WEB]), ("description:[link", [SSH]),
        ("vpc:vpc-0999", [SSH]), ("region:eu-west-1", [WEB, ALL_TRAFFIC]),
        ("tag:team=plat", [WEB]), ("platform", [WEB]), ("click", [SSH]),
    ],
)
def test_security_group_filters(text, expected):
    assert ids(text, SECURITY_GROUP_FIELDS, GROUPS, "GroupId") == [
        obj["GroupId"] for obj in expected
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name:attacker", [ATTACKER_KEY]), ("id:=key-0123456789abcdef0", [OPS_KEY]),
        ("fingerprint:1f:51:ae", [OPS_KEY]), ("fp:sha256", [ATTACKER_KEY]),
        ("type:ed25519", [ATTACKER_KEY]), ("used:false", [ATTACKER_KEY, UNUSED_KEY]),
        ("instance:=i-0a1b2c3d4e5f60718", [OPS_KEY]), ("region:us-east-1", [UNUSED_KEY]),
        ("since:7d", [ATTACKER_KEY]), ("before:2019-01-01", [UNUSED_KEY]),
        ("-used:true after:2018-12-31", [ATTACKER_KEY]), ("used:*", [OPS_KEY]),
        ("created:2019-01-03", [OPS_KEY]), ("created:2018-05-01", [UNUSED_KEY]),
    ],
)
def test_key_pair_filters(text, expected):
    assert ids(text, KEY_PAIR_FIELDS, KEYS, "KeyName") == [obj["KeyName"] for obj in expected]


def test_event_only_fields_are_refused_for_ec2_views():
    with pytest.raises(FilterError, match="'error:' is a field for events"):
        compile_predicate(parse("error:*"), INSTANCE_FIELDS)
    with pytest.raises(FilterError, match="'port:' is a field for security groups"):
        parse("port:22", KEY_PAIR_FIELDS)


@pytest.mark.parametrize(
    ("text", "message", "underlined"),
    [
        ("ip:999.1.1.1", "bad IP address '999.1.1.1': 999 is past 255", "999.1.1.1"),
        ("ip:10.0.1.256", "bad IP address '10.0.1.256': 256 is past 255", "10.0.1.256"),
        # A part too long for int() (4,300 digits) is refused by its length, not raised.
        ("ip:" + "1" * 5000 + ".1", "is past 255", "1" * 5000 + ".1"),
        ("ip:10.0.1.15,1.2.3.4.5", "bad IP address '1.2.3.4.5': an address has 4 parts, not 5",
         "1.2.3.4.5"),
    ],
)
def test_an_address_that_cannot_be_one_is_refused_as_a_bad_range_is(text, message, underlined):
    """`/ip:999.1.1.1` said "no instance matches ip:999.1.1.1 in 17 regions", as if the
    address had been looked for, where `ip:10.0.0.0/33` is refused: so is it, the value
    underlined."""
    with pytest.raises(FilterError, match=re.escape(message)) as caught:
        parse(f"state:running {text}", INSTANCE_FIELDS, now=NOW)
    start = len("state:running ") + text.index(underlined)
    assert (caught.value.position, caught.value.length) == (start, len(underlined))


def test_an_exact_address_from_a_record_is_looked_for_whatever_it_holds():
    """``ip:=`` is what a pivot writes from a record's sourceIPAddress: a tampered or odd
    value (a part past 255, thousands of digits) must still list its events, not have the
    pivot's view refuse its own filter."""
    for value in ("999.1.1.1", "1" * 5000 + ".1"):
        query = parse(f"ip:={quote(value)}", EVENT_FIELDS, now=NOW)
        predicate = compile_predicate(query, EVENT_FIELDS)
        assert predicate is not None


@pytest.mark.parametrize("text", ["ip:10.0.", "ip:.1.15", "ip:10.0.1.015", "ip:2a05:d018",
                                  "ip:999", "ip:amazonaws"])
def test_the_parts_of_an_address_are_still_searched_for(text):
    """What may be a part of an address (a prefix, a suffix, a leading zero of
    anonymised data, IPv6 digits, a service's name in a source IP) is not refused."""
    parse(text, INSTANCE_FIELDS, now=NOW)


#: How the refusals name a day: yesterday's, from the time the filter was typed at.
DAY_OF_NOW = f"or name a UTC day: launched:{(NOW - timedelta(days=1)).date()} (yesterday)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("launched:2h", f"for the last 2h use since:2h, {DAY_OF_NOW}"),
        ("launched:2019-08-09T12:00Z", "use since:, after: or before: to bound the launch time, "
                                       f"{DAY_OF_NOW}"),
        ("launched:2019-08-09,yesterday", DAY_OF_NOW),
    ],
)
def test_a_launch_time_given_anything_but_a_date_is_refused_with_the_way_to_say_it(
    text, message
):
    with pytest.raises(FilterError, match=re.escape(message)) as caught:
        parse(f"state:running {text}", INSTANCE_FIELDS, now=NOW)
    assert (caught.value.position, caught.value.length) == (len("state:running "), len(text))


def test_launched_yesterday_is_shown_the_real_date_of_yesterday():
    """`/launched:yesterday` was told "launched:2026-11-29 is that day", a date fixed
    in the code, read as yesterday's: the example is yesterday's date when typed (UTC;
    the day before and after the parse are both taken, should midnight fall between)."""
    days = [f"launched:{(datetime.now(UTC) - timedelta(days=1)).date()} (yesterday)"]
    with pytest.raises(FilterError) as caught:
        parse("launched:yesterday", INSTANCE_FIELDS)
    days.append(f"launched:{(datetime.now(UTC) - timedelta(days=1)).date()} (yesterday)")
    assert str(caught.value).endswith(tuple(days)), caught.value


def test_the_cli_help_lists_launched_with_a_date_as_the_filter_takes_it():
    """`awsir-tui instances --help` lists every field the filter takes, launched: too."""
    result = subprocess.run([sys.executable, "-m", "awsir_tui", "instances", "--help"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0
    for spec in INSTANCE_FIELDS:
        assert f"  {spec.name}:" in result.stdout, spec.name
    [line] = [line for line in result.stdout.splitlines() if line.startswith("  launched:")]
    assert line.split()[:4] == ["launched:2026-11-29", "launch", "time", "on"]
    assert instance_ids(line.split()[0].replace("2026-11-29", "2019-08-01")) == [
        PROXY["InstanceId"]]
