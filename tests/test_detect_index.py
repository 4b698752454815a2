"""Rules indexed by the event names they pin: the detector (and the events tables'
marker) tests an event only against the rules its name allows. The index must never
drop a rule that matches: checked against running every rule on every record of the
real Stratus logs and the demo's attack, with the built-in rules and SigmaHQ's."""

from __future__ import annotations

import copy
from typing import Any

from awsir_tui.demo.server import DemoServer
from awsir_tui.detect.engine import Detector
from awsir_tui.detect.observed import record_of
from awsir_tui.events.record import from_record
from tests.helpers_detect import SIGMAHQ_CLOUDTRAIL
from tests.helpers_events import all_records


def _variants(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records, and each again with its event name, identity's type and source in
    other cases: Sigma compares strings without regard to case, and so must the index."""
    changed = []
    for record in records:
        other = copy.deepcopy(record)
        identity = other.get("userIdentity")
        if isinstance(identity, dict) and isinstance(identity.get("type"), str):
            identity["type"] = identity["type"].lower()
        if isinstance(other.get("eventSource"), str):
            other["eventSource"] = other["eventSource"].upper()
        if isinstance(other.get("eventName"), str):
            other["eventName"] = other["eventName"].swapcase()
        other["eventID"] = f"{other.get('eventID')}-cased"
        changed.append(other)
    return [*records, *changed]


def _check_the_index(records: list[dict[str, Any]]) -> tuple[int, int]:
    """Every rule that matches a record is offered for its event; returns (matches,
    rules the index left out)."""
    detector = Detector.with_rules_dir(SIGMAHQ_CLOUDTRAIL)
    matched = skipped = 0
    for record in _variants(records):
        event = from_record(record)
        parsed = record_of(event)
        every = {rule.rule_id for rule in detector.rules if rule.match(parsed)}
        offered = detector.rules_for(event.event_name)
        assert {rule.rule_id for rule in offered if rule.match(parsed)} == every
        matched += len(every)
        skipped += len(detector.rules) - len(offered)
    return matched, skipped


def test_the_index_misses_no_rule_that_matches_on_the_stratus_logs() -> None:
    matched, skipped = _check_the_index(all_records())
    assert matched and skipped  # the check saw matches, and rules the index left out


def test_the_index_misses_no_rule_that_matches_on_the_demo_attack(demo: DemoServer) -> None:
    """The demo's attack writes with an instance role's credentials, which no Stratus
    file does: the rule not pinned to a name (it runs on every event) matches here."""
    [rule] = [r for r in Detector().rules if r.rule_id == "awsir_instance_role_write_call"]
    assert any(rule.match(record_of(from_record(record))) for record in demo.records)
    matched, _ = _check_the_index(list(demo.records))
    assert matched
