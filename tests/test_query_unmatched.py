"""unmatched: the term of a filter that matched no object alone, with what its field
holds; only where a typo can explain it."""

from __future__ import annotations

from awsir_tui.query import INSTANCE_FIELDS, parse
from awsir_tui.query.unmatched import unmatched

INSTANCES = [
    {"InstanceId": "i-1", "State": {"Name": "running"}, "KeyName": "ops-recovery"},
    {"InstanceId": "i-2", "State": {"Name": "running"}, "KeyName": "bob"},
    {"InstanceId": "i-3", "State": {"Name": "stopped"}},
]


def said(text: str, most: int = 5) -> str | None:
    found = unmatched(parse(text, INSTANCE_FIELDS), INSTANCE_FIELDS, INSTANCES, most)
    return None if found is None else found.said()


def test_a_term_that_matches_nothing_says_what_its_field_holds_most_common_first() -> None:
    assert said("state:runing") == "state:runing matches none (state: running, stopped)"
    assert said("key:=opsrecovery", most=1) == (
        "key:=opsrecovery matches none (key: ops-recovery +1 more)")


def test_the_term_found_is_the_one_that_matches_nothing_alone() -> None:
    # Both terms match some instance, none both: no typo to point at.
    assert said("state:stopped key:bob") is None
    assert said("state:stopped key:bobb") == "key:bobb matches none (key: bob, ops-recovery)"


def test_terms_a_typo_cannot_explain_are_left_out() -> None:
    assert said("-state:running -state:stopped") is None  # negated
    assert said("nosuchword") is None  # a bare word
    assert said("state:runing OR state:stopped") is None  # an OR's terms are choices
    assert said("ip:10.9.9.9") is None  # an address, not a word
    assert unmatched(parse("state:x", INSTANCE_FIELDS), INSTANCE_FIELDS, []) is None


def test_a_field_set_on_no_object_says_so() -> None:
    assert said("vpc:vpc-1") == "vpc:vpc-1 matches none (no vpc is set on any)"


def test_the_values_closest_to_the_typed_one_come_before_the_common_ones() -> None:
    """The attacker's key is on one instance of many: most common first left it out."""
    fleet = [{"KeyName": name} for name, count in
             (("prod", 20), ("dev", 10), ("ci", 5), ("web", 4), ("bastion", 3),
              ("ops-recovery", 1)) for _ in range(count)]
    found = unmatched(parse("key:=opsrecovery", INSTANCE_FIELDS), INSTANCE_FIELDS, fleet,
                      most=3)
    assert found is not None
    assert found.said() == "key:=opsrecovery matches none (key: ops-recovery, prod, dev +3 more)"


def test_a_field_whose_values_are_not_all_read_is_not_blamed() -> None:
    """role: while IAM is read (or was denied): "no role is set on any" would be false."""
    query = parse("role:admin", INSTANCE_FIELDS)
    assert unmatched(query, INSTANCE_FIELDS, INSTANCES, unknown={"role"}) is None
    assert unmatched(query, INSTANCE_FIELDS, INSTANCES) is not None
