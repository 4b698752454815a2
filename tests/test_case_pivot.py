"""Pivots from indicators: every filter parses in its view's language and finds the thing."""

from __future__ import annotations

import pytest

from awsir_tui.case import Case
from awsir_tui.case.indicator import KINDS
from awsir_tui.case.pivot import pivots
from awsir_tui.query import (
    EVENT_FIELDS,
    INSTANCE_FIELDS,
    KEY_PAIR_FIELDS,
    SECURITY_GROUP_FIELDS,
    compile_predicate,
    parse,
)
from tests.helpers_detect import technique_events

TABLES = {
    "events": EVENT_FIELDS,
    "instances": INSTANCE_FIELDS,
    "sg": SECURITY_GROUP_FIELDS,
    "keys": KEY_PAIR_FIELDS,
}
STEAL = technique_events("credential-access.ec2-steal-instance-credentials")
HOSTILE = 'x" or name:* "\\ -y'


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_pivots_that_parse_even_for_hostile_values(kind):
    for value in ("i-786a3A8B5C0d92eF4", HOSTILE):
        found = pivots(Case("c").mark(value, kind=kind))
        assert found
        for pivot in found:
            query = parse(pivot.filter, TABLES[pivot.view])
            assert len(query.clauses) == 1  # one term: the value never splits


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("ASIAP5CT9NN8EYVU1FXV", "access-key", 2),
        ("18.236.253.47", "ip", 45),
        ("i-786a3A8B5C0d92eF4", "instance-id", 45),  # its role calls + SSM calls naming it
        ("christophe", "user", 43),
        ("b379479b-05c9-4c3c-af4b-cbd43acf29e1", "event-id", 1),
    ],
)
def test_event_pivots_find_the_real_events(value, kind, expected):
    [pivot, *_] = [p for p in pivots(Case("c").mark(value, kind=kind)) if p.view == "events"]
    match = compile_predicate(parse(pivot.filter, EVENT_FIELDS), EVENT_FIELDS)
    assert sum(1 for event in STEAL if match(event)) == expected


def test_instance_pivot_opens_the_instance_first():
    [first, *_] = pivots(Case("c").mark("i-786a3A8B5C0d92eF4"))
    assert (first.view, first.filter) == ("instances", "id:=i-786a3A8B5C0d92eF4")
    match = compile_predicate(parse(first.filter, INSTANCE_FIELDS), INSTANCE_FIELDS)
    assert match({"InstanceId": "i-786a3A8B5C0d92eF4"})
    assert not match({"InstanceId": "i-786a3A8B5C0d92eF5"})
