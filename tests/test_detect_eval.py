"""The Sigma evaluator's semantics, with small rules written here, on real records."""

from __future__ import annotations

import base64
import textwrap
from pathlib import Path

import pytest

from awsir_tui.detect import Detector, load_rules
from awsir_tui.detect.sigma_rules import rules_from_text
from awsir_tui.events.record import from_lookup_event
from tests.helpers_detect import technique_events, technique_records

HEADER = """
title: test rule
id: 3b0b4a4e-7c53-4a39-9a0a-2a8d3e9f1c11
status: test
level: high
tags: [attack.t1098]
logsource:
  product: aws
  service: cloudtrail
"""


def rule(detection: str):
    text = HEADER + "detection:\n" + textwrap.indent(textwrap.dedent(detection), "  ")
    rules, problems = rules_from_text(text, "t", "t.yml")
    assert problems == []
    [compiled] = rules
    return compiled


def matches(detection: str, technique: str) -> int:
    compiled = rule(detection)
    return sum(compiled.match(r) for r in technique_records(technique))


GET_PASSWORD = "credential-access.ec2-get-password-data"  # 30 GetPasswordData + 4 AssumeRole


@pytest.mark.parametrize(
    ("detection", "expected"),
    [
        ("sel:\n  eventName: getpassworddata\ncondition: sel", 30),  # case-insensitive
        ("sel:\n  eventName|contains: PASSWORD\ncondition: sel", 30),
        ("sel:\n  eventName|startswith: Assume\ncondition: sel", 4),
        ("sel:\n  eventName|endswith: Role\ncondition: sel", 4),
        ("sel:\n  eventName: Get*Data\ncondition: sel", 30),
        ("sel:\n  userIdentity.arn|re: 'user/christ[o]phe$'\ncondition: sel", 4),
        ("sel:\n  sourceIPAddress|cidr: 200.249.0.0/16\ncondition: sel", 34),
        ("sel:\n  sourceIPAddress|cidr: 10.0.0.0/8\ncondition: sel", 0),
        ("sel:\n  errorCode: null\ncondition: sel", 2),
        ("sel:\n  errorCode|exists: true\ncondition: sel", 32),
        ("sel:\n  readOnly: true\ncondition: sel", 34),
        ("sel:\n  eventName|contains|all: [Get, Data]\ncondition: sel", 30),
        ("sel:\n  eventName|contains|all: [Get, Role]\ncondition: sel", 0),
        ("sel:\n  eventName: [AssumeRole, GetPasswordData]\ncondition: sel", 34),
        ("sel:\n  eventName|cased: GetPasswordData\ncondition: sel", 30),
        ("sel:\n  eventName|cased: getpassworddata\ncondition: sel", 0),
        ("sel:\n  requestParameters.durationSeconds|gte: 900\ncondition: sel", 2),
        ("sel:\n  requestParameters.durationSeconds|lt: 900\ncondition: sel", 0),
        ("sel:\n  requestParameters.durationSeconds: 900\ncondition: sel", 2),
        # A whole object matched as its JSON text.
        ("sel:\n  requestParameters|contains: i-i2jnm5swa59p4fxg\ncondition: sel", 1),
        # Keywords (no field) search every value.
        # (the session name is in the 30 calls and in the 2 AssumeRole responses)
        ("keywords:\n  - '*aws-go-sdk-1722375070115152000*'\ncondition: keywords", 32),
    ],
)
def test_modifiers_and_values(detection, expected):
    assert matches(detection, GET_PASSWORD) == expected


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("sel_a and not sel_b", 4),
        ("sel_b or sel_c", 34),
        ("1 of sel_*", 34),
        ("all of sel_*", 0),
        ("all of them", 30),
        ("not sel_b", 4),
        ("(sel_a and sel_b) or sel_c", 34),
        ("sel_a and not (sel_b or sel_c)", 0),
    ],
)
def test_conditions(condition, expected):
    # All 34 events come from one address; 30 are denied; 4 are AssumeRole.
    detection = "sel_a:\n  sourceIPAddress: 200.249.253.51\n"
    detection += "sel_b:\n  errorCode|contains: Unauthorized\n"
    if "them" not in condition:
        detection += "sel_c:\n  eventName: AssumeRole\n"
    detection += f"condition: {condition}\n"
    assert matches(detection, GET_PASSWORD) == expected


def test_path_through_lists_fans_out():
    detection = """
    sel:
      requestParameters.createVolumePermission.add.items.userId: '098797384747'
    condition: sel
    """
    assert matches(detection, "exfiltration.ec2-share-ebs-snapshot") == 1


def test_fieldref_compares_two_fields():
    detection = """
    sel:
      requestParameters.userName|fieldref: responseElements.accessKey.userName
    condition: sel
    """
    assert matches(detection, "persistence.iam-create-admin-user") == 1


def test_rules_pinned_to_event_names_are_indexed():
    pinned = rule("sel:\n  eventName: [A, b]\nfilter:\n  x: 1\ncondition: sel and not filter")
    assert pinned.event_names == frozenset({"a", "b"})
    assert rule("sel:\n  eventName|contains: A\ncondition: sel").event_names is None
    assert rule("a:\n  eventName: A\nb:\n  x: 1\ncondition: a or b").event_names is None
    detector = Detector([pinned], correlations=[])
    assert detector.rules_for("B") == [pinned]
    assert detector.rules_for("C") == []


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(textwrap.dedent(text))


def test_unrunnable_rules_are_reported_with_reasons(tmp_path):
    nested = tmp_path / "nested"
    nested.mkdir()
    good = HEADER + "detection:\n  sel:\n    eventName: StopLogging\n  condition: sel\n"
    write(nested, "good.yml", good)
    write(tmp_path, "windows.yml", good.replace("product: aws", "product: windows"))
    write(tmp_path, "broken.yaml", "title: [unclosed\n")
    write(tmp_path, "badcond.yml", good.replace("condition: sel", "condition: sel and nothing"))
    write(tmp_path, "badre.yml", good.replace("eventName: StopLogging", "eventName|re: '(['"))
    write(
        tmp_path,
        "correlation.yml",
        good
        + """---
title: many stops
id: 0e95725d-7320-415d-80f7-004da920fc11
correlation:
  type: event_count
  rules: [3b0b4a4e-7c53-4a39-9a0a-2a8d3e9f1c11]
  group-by: [sourceIPAddress]
  timespan: 1h
  condition:
    gte: 10
""",
    )
    write(tmp_path, "notes.txt", "not a rule")
    rules, problems = load_rules(tmp_path)
    reasons = {Path(path).name: reason for path, reason in problems}
    assert [r.rule_id for r in rules] == ["correlation#1", "good"]
    assert set(reasons) == {
        "windows.yml",
        "broken.yaml",
        "badcond.yml",
        "badre.yml",
        "correlation.yml",
    }
    assert "not product=aws service=cloudtrail" in reasons["windows.yml"]
    assert "nothing" in reasons["badcond.yml"]
    assert "not supported" in reasons["correlation.yml"]
    assert load_rules(tmp_path / "missing") == (
        [],
        [(str(tmp_path / "missing"), "not a directory")],
    )


def test_a_hostile_rule_file_costs_only_itself(tmp_path):
    """YAML nested 5,000 deep made the parser raise RecursionError out of the whole
    load: the marker's load died silently and `:findings` failed as a whole."""
    good = HEADER + "detection:\n  sel:\n    eventName: StopLogging\n  condition: sel\n"
    write(tmp_path, "good.yml", good)
    write(tmp_path, "deep.yml", "a: " + "[" * 5000 + "]" * 5000 + "\n")
    rules, problems = load_rules(tmp_path)
    assert [r.rule_id for r in rules] == ["good"]
    assert [(Path(path).name, reason.startswith("not a readable Sigma file: "))
            for path, reason in problems] == [("deep.yml", True)]
    detector = Detector.with_rules_dir(tmp_path)
    assert "good" in {r.rule_id for r in detector.rules}
    assert any(Path(path).name == "deep.yml" for path, _ in detector.problems)


def test_a_rules_load_stops_between_files_when_asked(tmp_path):
    """The app's load for the `!` column is stopped when it quits (a SigmaHQ folder
    takes seconds, and quitting waited for it)."""
    good = HEADER + "detection:\n  sel:\n    eventName: StopLogging\n  condition: sel\n"
    for name in ("a.yml", "b.yml", "c.yml"):
        write(tmp_path, name, good)
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 1

    rules, problems = load_rules(tmp_path, stop=stop)
    assert ([r.rule_id for r in rules], problems, len(asked)) == (["a"], [], 2)


def test_user_rules_run_beside_builtin(tmp_path):
    write(
        tmp_path,
        "mine.yml",
        HEADER + "detection:\n  sel:\n    userAgent|contains: stratus-red-team\n  condition: sel\n",
    )
    detector = Detector.with_rules_dir(tmp_path)
    assert detector.problems == []
    fired = {f.rule_id for f in detector.run(technique_events("defense-evasion.cloudtrail-stop"))}
    assert fired == {"mine", "awsir_cloudtrail_logging_tampered"}


def test_copies_of_a_builtin_rule_get_distinct_ids(tmp_path):
    builtin = Path(__file__).resolve().parents[1] / "awsir_tui" / "detect" / "rules"
    text = (builtin / "awsir_cloudtrail_logging_tampered.yml").read_text()
    write(tmp_path, "awsir_cloudtrail_logging_tampered.yml", text)
    detector = Detector.with_rules_dir(tmp_path)
    assert [p[1] for p in detector.problems] == [
        "rule ID awsir_cloudtrail_logging_tampered already used; "
        "runs as awsir_cloudtrail_logging_tampered#2"
    ]
    fired = {f.rule_id for f in detector.run(technique_events("defense-evasion.cloudtrail-stop"))}
    assert fired == {"awsir_cloudtrail_logging_tampered", "awsir_cloudtrail_logging_tampered#2"}


def test_modifiers_needing_a_pipeline_are_reported_and_expansions_run():
    placeholder = (
        HEADER + "detection:\n  sel:\n    userAgent|expand: '%agents%'\n  condition: sel\n"
    )
    rules, problems = rules_from_text(placeholder, "p", "p.yml")
    assert rules == [] and "placeholder" in problems[0][1]
    # base64offset expands into three variants, any of which may match.
    encoded = HEADER + (
        "detection:\n  sel:\n    requestParameters|base64offset|contains: StopLogging\n"
        "  condition: sel\n"
    )
    [compiled] = rules_from_text(encoded, "b", "b.yml")[0]
    assert compiled.match({"requestParameters": base64.b64encode(b"xStopLoggingx").decode()})
    assert not compiled.match({"requestParameters": "StopLogging"})


def test_event_whose_raw_json_is_broken_still_meets_name_rules():
    """A LookupEvents item whose CloudTrailEvent is not JSON keeps its flat fields."""
    event = from_lookup_event(
        {
            "EventId": "e-1",
            "EventName": "StopLogging",
            "EventSource": "cloudtrail.amazonaws.com",
            "Username": "christophe",
            "CloudTrailEvent": '{"truncated',
        }
    )
    assert event.parse_error
    [finding] = Detector(correlations=[]).run([event])
    assert finding.rule_id == "awsir_cloudtrail_logging_tampered"
    assert finding.event_ids == ("e-1",)
    assert "by christophe" in finding.summary


def test_an_escaped_wildcard_is_a_literal_star():
    """``ec2:\\*`` means the text ``ec2:*`` (an IAM action that grants everything), not a
    pattern; pySigma's to_plain() escapes it again, which matched nothing."""
    literal = rule("sel:\n  requestParameters.action: 'ec2:\\*'\ncondition: sel")
    assert literal.match({"requestParameters": {"action": "ec2:*"}})
    assert literal.match({"requestParameters": {"action": "EC2:*"}})  # case-blind
    assert not literal.match({"requestParameters": {"action": "ec2:RunInstances"}})
    mixed = rule("sel:\n  requestParameters.action: '*:\\*'\ncondition: sel")
    assert mixed.match({"requestParameters": {"action": "s3:*"}})
    assert not mixed.match({"requestParameters": {"action": "s3:GetObject"}})
