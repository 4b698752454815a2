"""Attempt or success: the findings, the rules' levels and the events table's marker
judge a rule's calls alike, on every real Stratus call, refused, failed or done."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.detect import Detector, load_builtin_rules, load_rules
from awsir_tui.detect.finding import severity_rank
from awsir_tui.detect.marker import EventMarker
from awsir_tui.detect.sigma_rules import CompiledRule, rules_from_text
from awsir_tui.events.record import Event, from_record
from tests.helpers_detect import (
    SIGMAHQ_CLOUDTRAIL,
    all_technique_names,
    technique_records,
)

#: As recorded, then as if refused, failed for a quota, and done.
_OUTCOMES = (None, "AccessDenied", "VcpuLimitExceeded", "")


#: A rule that judges the outcome itself, on failed calls of every kind.
_FAILED_CALL = """title: A call failed
logsource: {product: aws, service: cloudtrail}
detection:
  sel:
    errorCode: [AccessDenied, VcpuLimitExceeded]
  condition: sel
level: high
"""


def _ended(record: dict, code: str | None, event_id: str) -> Event:
    """``record`` as recorded (``code`` None), else as if it ended with ``code`` (""
    worked): the raw record the rules read and the event's fields say the same."""
    if code is None:
        return from_record(record)
    ended = {k: v for k, v in record.items() if k not in ("errorCode", "errorMessage")}
    return from_record(dict(ended, eventID=event_id, **({"errorCode": code} if code else {})))


def _variants() -> list[Event]:
    return [
        _ended(record, code, f"{record.get('eventID')}-{code}")
        for name in all_technique_names()
        for record in technique_records(name)
        for code in _OUTCOMES
    ]


def _rules(which: str) -> list[CompiledRule]:
    if which == "failed call":
        rules, problems = rules_from_text(_FAILED_CALL, "failed_call", "failed_call.yml")
        assert not problems and rules[0].judges_outcome
        return rules
    return load_builtin_rules()[0] + load_rules(SIGMAHQ_CLOUDTRAIL)[0]


@pytest.mark.parametrize("which", ["built-in and SigmaHQ", "failed call"])
def test_the_marker_ranks_every_call_as_its_own_finding_does(which: str) -> None:
    """Built-in and SigmaHQ rules (SigmaHQ's success-only ones judge the outcome
    themselves), then one that judges it on failed calls: an event's mark is the worst
    level of the findings the same event alone raises."""
    detector = Detector(_rules(which), correlations=())
    marker = EventMarker(detector)
    marked = 0
    for event in _variants():
        found = max((f.severity for f in detector.run([event])), key=severity_rank, default="")
        assert marker.severity(event) == found, (event.event_name, event.error_code)
        marked += bool(found)
    assert marked > 100


def _leave_refused_rule(tmp_path: Path, code: str) -> Detector:
    """A user's rule written for the outcome (it names ``errorCode``), alone."""
    (tmp_path / "leave_failed.yml").write_text(
        "title: LeaveOrganization failed\nlogsource:\n  product: aws\n  service: cloudtrail\n"
        f"detection:\n  sel:\n    eventName: LeaveOrganization\n    errorCode: {code}\n"
        "  condition: sel\nlevel: high\n")
    rules, problems = load_rules(tmp_path)
    assert not problems
    return Detector(rules, correlations=())


@pytest.mark.parametrize("code", ["AccessDenied", "VcpuLimitExceeded"])
def test_a_rule_that_judges_the_outcome_keeps_title_and_level_on_failed_calls(
    tmp_path: Path, code: str
) -> None:
    """Refused or failed otherwise, every call of it: its title and level already say
    so, in the finding and in the events table alike."""
    detector = _leave_refused_rule(tmp_path, code)
    [record] = [r for r in technique_records("defense-evasion.organizations-leave")
                if r["eventName"] == "LeaveOrganization"]
    failed = _ended(record, code, "failed")
    [finding] = detector.run([failed])
    assert (finding.title, finding.severity) == ("LeaveOrganization failed", "high")
    assert EventMarker(detector).letter(failed) == "H"


def test_a_refused_call_in_a_finding_with_one_that_worked_is_marked_at_its_level() -> None:
    """An instance role session's RunInstances refused and one that worked merge into one
    finding that says what was done, at the rule's level: the events table marks the
    refused call as that finding ranks it once the findings ran, a level lower before."""
    records = technique_records("credential-access.ec2-steal-instance-credentials")
    read = next(r for r in records if r["eventName"] == "DescribeInstances")
    launch = dict(read, eventName="RunInstances", readOnly=False)
    refused, done = _ended(launch, "AccessDenied", "refused"), _ended(launch, "", "done")
    detector = Detector(correlations=())
    [finding] = [f for f in detector.run([refused, done])
                 if f.rule_id == "awsir_instance_role_write_call"]
    assert finding.title == "Write call by an EC2 instance role session"
    assert (finding.severity, finding.event_ids) == ("high", ("refused", "done"))
    marker = EventMarker(detector)
    assert (marker.letter(refused), marker.letter(done)) == ("M", "H")
    marker.remember([finding])
    assert (marker.letter(refused), marker.letter(done)) == ("H", "H")
