"""The LookupEvents planner: the one attribute sent to AWS, the time range, the rest local."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from awsir_tui.aws.context import AwsContext, AwsTarget
from awsir_tui.events.record import from_record
from awsir_tui.events.sources import HistorySource
from awsir_tui.query import (
    EVENT_FIELDS,
    FilterError,
    compile_predicate,
    parse,
    plan_lookup,
    quote,
)

NOW = datetime(2019, 8, 10, 12, 0, tzinfo=UTC)
EVENT_ID = "2a5178c8-b4c7-44ba-b066-1ecc79b7087c"


def plan(text: str):
    return plan_lookup(parse(text, EVENT_FIELDS, now=NOW))


@pytest.mark.parametrize(
    ("text", "attribute"),
    [
        ("name:RunInstances error:*", ("EventName", "RunInstances")),
        ("name:=Decrypt", ("EventName", "Decrypt")),
        ("user:i-0123456789abcdef0", ("Username", "i-0123456789abcdef0")),
        ("user:=alice", ("Username", "alice")),
        ("key:ASIAEXAMPLEKEY123456", ("AccessKeyId", "ASIAEXAMPLEKEY123456")),
        (f"id:{EVENT_ID}", ("EventId", EVENT_ID)),
        ("source:ec2.amazonaws.com", ("EventSource", "ec2.amazonaws.com")),
        ("resource:i-0123456789abcdef0", ("ResourceName", "i-0123456789abcdef0")),
        ("resource:=my-bucket", ("ResourceName", "my-bucket")),
        ("readonly:false", ("ReadOnly", "false")),
        ("ro:yes", ("ReadOnly", "true")),
        # The most selective term wins, whatever the order typed.
        ("readonly:false source:=iam.amazonaws.com name:=CreateUser user:=bob "
         "key:AKIAEXAMPLEKEY123456", ("AccessKeyId", "AKIAEXAMPLEKEY123456")),
        (f"name:=StopLogging id:{EVENT_ID} key:ASIAEXAMPLEKEY123456", ("EventId", EVENT_ID)),
        ("name:=CreateUser user:i-0123456789abcdef0", ("Username", "i-0123456789abcdef0")),
        ("name:CreateUser resource:=r", ("ResourceName", "r")),
        ("source:=s3.amazonaws.com name:GetObject", ("EventName", "GetObject")),
    ],
)
def test_the_most_selective_exact_term_is_sent(text, attribute):
    chosen = plan(text)
    assert chosen.attribute == attribute
    assert chosen.lookup_kwargs()["LookupAttributes"] == [
        {"AttributeKey": attribute[0], "AttributeValue": attribute[1]}
    ]
    assert chosen.local.text == text  # every term is re-checked locally


@pytest.mark.parametrize(
    "text",
    [
        "",
        "name:Run",                      # a fragment: AWS would match no event named "Run"
        "name:=runinstances",            # AWS matches with case: it would find nothing
        "source:=EC2.amazonaws.com", "key:=asiaexamplekey123456",
        "name:describe",
        "user:alice",                    # contains: would also match "alice-admin"
        "user:=arn:aws:iam::1:user/bob",  # AWS's Username is not the ARN
        "key:ASIA",
        "id:2a5178c8",
        "source:ec2",
        "resource:bucket",
        "-name:=RunInstances",           # AWS cannot negate
        "name:=RunInstances,CreateKeyPair",  # nor OR
        "name:=RunInstances OR user:=bob",
        "error:AccessDenied", "ip:1.2.3.4", "agent:boto3", "denied", "readonly:*",
        "readonly:true,false",
    ],
)
def test_terms_aws_cannot_match_as_typed_stay_local(text):
    chosen = plan(text)
    assert chosen.attribute is None and "LookupAttributes" not in chosen.lookup_kwargs()
    assert "every event" in chosen.explain()


def test_time_bounds_become_start_and_end():
    chosen = plan("since:2h before:2019-08-10T11:30Z name:=RunInstances")
    assert chosen.start == NOW - timedelta(hours=2)
    assert chosen.end == datetime(2019, 8, 10, 11, 30, tzinfo=UTC)
    assert chosen.lookup_kwargs()["StartTime"] == chosen.start
    assert chosen.lookup_kwargs()["EndTime"] == chosen.end
    assert plan("name:=StopLogging").lookup_kwargs() == {
        "LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "StopLogging"}]
    }


def test_explain_says_what_runs_where():
    text = plan("after:2019-08-09 name:RunInstances error:*").explain()
    assert "On AWS: EventName = RunInstances (from name:RunInstances)" in text
    assert "from 2019-08-09 00:00:00Z to now" in text
    assert "Here: every term re-checked: after:2019-08-09 name:RunInstances error:*" in text


def test_explain_neutralises_hostile_text():
    text = plan('user:="\x1b[31mi-1" "[bold]x"').explain()
    assert "\x1b" not in text and "[bold]x" in text


def test_a_filter_for_another_view_is_refused():
    with pytest.raises(FilterError, match="'sg:' is a field for instances"):
        plan_lookup(parse("sg:web"))


STRATUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cloudtrail" / (
    "stratus-red-team"
)

#: What AWS's exact match on each attribute compares (as CloudTrail's console shows it).
AWS_VALUE = {
    "EventId": lambda e: (e.event_id,), "AccessKeyId": lambda e: (e.access_key_id,),
    "Username": lambda e: (e.user_name,), "ResourceName": lambda e: e.resources,
    "EventName": lambda e: (e.event_name,), "EventSource": lambda e: (e.event_source,),
    "ReadOnly": lambda e: (str(e.read_only).lower(),),
}


def test_what_is_sent_to_aws_never_drops_an_event_the_filter_keeps():
    """For filters made of the real records' own values, every event the local filter
    keeps has exactly the attribute value sent: AWS's exact match would return it.
    (Except plans marked approximate, which say so: see the next test.)"""
    events = [from_record(r) for path in sorted(STRATUS.glob("*.json"))
              for r in json.loads(path.read_text())]
    texts: set[str] = set()
    for e in events:
        texts.update({f"id:{e.event_id}", f"name:{e.event_name}", f"name:={e.event_name}",
                      f"source:{e.event_source}", f"readonly:{e.read_only}".lower()})
        if e.access_key_id:
            texts.add(f"key:{e.access_key_id}")
        if e.user_name:
            texts.update({f"user:={quote(e.user_name)}", f"user:{quote(e.user_name)}"})
        texts.update(f"resource:={quote(r)}" for r in e.resources[:3])
        texts.update(f"resource:{quote(r)}" for r in e.resources[:3])
    sent = 0
    for text in sorted(texts):
        query = parse(text, EVENT_FIELDS)
        chosen = plan_lookup(query)
        if chosen.attribute is None or chosen.approximate:
            continue
        sent += 1
        key, value = chosen.attribute
        keep = compile_predicate(query, EVENT_FIELDS)
        kept = [e for e in events if keep(e)]
        assert kept, text
        for e in kept:
            assert value in AWS_VALUE[key](e), (text, e.event_id)
    assert sent > 500


def test_a_contains_term_sent_whole_is_marked_and_explained():
    chosen = plan("name:AssumeRole")
    assert chosen.attribute == ("EventName", "AssumeRole") and chosen.approximate
    assert "AWS matches it whole" in chosen.explain()
    assert chosen.hint() == "try name:ASSUMEROLE"
    assert plan("name:ASSUMEROLE").attribute is None  # the way to fetch them all
    # 17 hex digits are a whole ID, as AWS's Username is; an exact term is meant whole;
    # of two terms for one attribute, the exact one is sent.
    for exact in ("name:=AssumeRole", "user:i-0123456789abcdef0", f"id:{EVENT_ID}",
                  "resource:=my-bucket", "user:=i-b2547952", "resource:=sg-2f17c69d",
                  "user:i-b2547952 user:=i-b2547952"):
        assert not plan(exact).approximate and "whole" not in plan(exact).explain()
        assert plan(exact).hint() == ""
    assert plan("resource:i-0123456789abcdef0").approximate


#: The status line beside a hint when nothing matched, at its shortest.
COUNTS = "  0 events · 3/3 regions · 3 pages"


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        # 8 hex digits: an old ID whole, or the first 8 of a 17-digit one cut in a column.
        ("user:i-b2547952", "try user:I-B2547952"),
        ('user:"i-b2547952"', "try user:I-B2547952"),
        ("resource:sg-2f17c69d", "try resource:SG-2F17C69D"),
        # A whole ID may be inside a resource's ARN; lower case would be sent again.
        ("resource:i-0123456789abcdef0", "try resource:I-0123456789ABCDEF0"),
        ("resource:arn:aws:iam::1:role/Ops", 'try resource:"ARN:AWS:IAM::1:ROLE/OPS"'),
        ("name:ImportKey", "try name:IMPORTKEY"),
        # The whole filter to type, with every term sent whole rewritten...
        ("name:RunInstances user:i-b2547952", "try name:RUNINSTANCES user:I-B2547952"),
        # ...up to the one that is sent exactly.
        ("user:i-b2547952 resource:=x name:AbCd", "try user:I-B2547952 resource:=x name:AbCd"),
        # Too long for the status line: the term to put in place of the one sent.
        ("user:i-b2547952 name:=RunInstances error:* since:7d region:eu-west-1",
         "try user:I-B2547952 for user:i-b2547952"),
    ],
)
def test_a_term_aws_matched_whole_has_a_hint_that_is_matched_here(text, hint):
    """The hint is the filter to type: nothing of it is sent whole any more, so every
    event of the window is read and re-checked, and it keeps what the typed one keeps."""
    chosen = plan(text)
    assert chosen.approximate and "[AWS matches it whole]" in chosen.explain()
    assert chosen.hint() == hint and len(hint + COUNTS) <= 80
    if " for " in hint:
        return
    retried = plan(hint.removeprefix("try "))
    assert retried.attribute is None or not retried.approximate, retried.attribute
    assert retried.attribute != chosen.attribute


def test_a_cut_id_s_hint_keeps_what_the_typed_filter_means():
    """An ID cut to its first 8 hex digits, as a narrow column shows it: AWS holds only
    the whole one, so the plan is approximate; the hint's filter is matched here and
    keeps exactly the events the typed one means (and some)."""
    events = [from_record(r) for path in sorted(STRATUS.glob("*.json"))
              for r in json.loads(path.read_text())]
    whole = sorted({r for e in events for r in e.resources
                    if re.fullmatch(r"[a-z]{1,12}-[0-9a-f]{17}", r)})
    assert whole
    for resource in whole:
        text = f"resource:{resource[:resource.index('-') + 9]}"
        chosen = plan(text)
        assert chosen.approximate and chosen.attribute == ("ResourceName", text[9:])
        typed = chosen.hint().removeprefix("try ")
        assert plan(typed).attribute is None
        meant = compile_predicate(parse(text, EVENT_FIELDS), EVENT_FIELDS)
        kept = compile_predicate(parse(typed, EVENT_FIELDS), EVENT_FIELDS)
        assert [e for e in events if kept(e)] == [e for e in events if meant(e)] != []


def test_an_id_aws_cannot_hold_as_typed_is_matched_here():
    """Neither 8 nor 17 hex digits is an ID cut, never whole; AWS writes IDs in lower
    case and matches with case: all are read and matched here."""
    for text in ("user:i-b2547952490", "resource:sg-2f17c69d91da5",
                 "user:i-0123456789ABCDEF0", "resource:SG-2F17C69D"):
        assert plan(text).attribute is None, text


@pytest.mark.parametrize(
    ("text", "bounded"),
    [
        ("ip:=198.51.100.7", True),  # LookupEvents cannot look up an IP
        ("agent:~boto3", True),
        ("user:=i-0abc1234 OR resource:=i-0abc1234", False),  # both are lookups
        ("key:=AKIAIOSFODNN7EXAMPLE", False),
    ],
)
def test_a_pivot_that_would_read_every_event_is_bounded_to_the_days_around(text, bounded):
    source = HistorySource(AwsContext(AwsTarget()), regions=lambda: ["us-east-1"])
    around = source.around(text, NOW)
    if not bounded:
        assert around is None
        return
    assert around == f"{text} after:2019-08-09T12:00:00Z before:2019-08-11T12:00:00Z"
    query = parse(around, EVENT_FIELDS)
    assert (query.after, query.before) == (NOW - timedelta(days=1), NOW + timedelta(days=1))
    # A time with an offset (boto3's EventTime is local) is the same instant, in UTC.
    paris = timezone(timedelta(hours=2))
    assert source.around(text, NOW.astimezone(paris)) == around
    # An indicator seen over three days: the day before the first, the day after the last.
    later = NOW + timedelta(days=3)
    query = parse(source.around(text, NOW, later) or "", EVENT_FIELDS)
    assert (query.after, query.before) == (NOW - timedelta(days=1), later + timedelta(days=1))


def test_a_day_named_by_time_bounds_what_is_read():
    """`time:2019-08-08` alone read all 90 days at 2 calls a second to keep one: the day
    becomes the range asked for; several days their span; with since:/after:/before:
    the overlap. A day under OR or negated says nothing of the range."""
    day = datetime(2019, 8, 8, tzinfo=UTC)
    chosen = plan("time:2019-08-08 name:=RunInstances")
    assert (chosen.start, chosen.end) == (day, day + timedelta(days=1))
    assert chosen.attribute == ("EventName", "RunInstances")
    assert (plan("time:2019-08-06,2019-08-08").start, plan("time:2019-08-06,2019-08-08").end) == (
        day - timedelta(days=2), day + timedelta(days=1))
    narrowed = plan("after:2019-08-08T12:00Z time:2019-08-08")
    assert (narrowed.start, narrowed.end) == (day + timedelta(hours=12), day + timedelta(days=1))
    for loose in ("-time:2019-08-08", "time:2019-08-08 OR name:=StopLogging"):
        assert (plan(loose).start, plan(loose).end) == (None, None), loose
    outside = plan("since:2h time:2019-08-08")  # matches nothing; AWS still gets a range
    assert outside.start is not None and outside.end == outside.start
