"""Loading the real Stratus Red Team CloudTrail files for detection and case tests."""

from __future__ import annotations

import json
from pathlib import Path

from awsir_tui.events.record import Event, from_record, iter_records

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
STRATUS = SHARED_DATA / "cloudtrail" / "stratus-red-team"
SIGMAHQ_CLOUDTRAIL = SHARED_DATA / "sigma" / "rules" / "cloud" / "aws" / "cloudtrail"


def technique_records(technique: str) -> list[dict]:
    """The raw records of ``aws.<technique>.json`` (e.g. ``defense-evasion.cloudtrail-stop``)."""
    return list(iter_records(json.loads((STRATUS / f"aws.{technique}.json").read_text())))


def technique_events(technique: str) -> list[Event]:
    return [from_record(r) for r in technique_records(technique)]


def all_technique_names() -> list[str]:
    return sorted(p.name[len("aws.") : -len(".json")] for p in STRATUS.glob("aws.*.json"))


def one_selection_matches(selection: str, record: dict) -> bool:
    """Whether a Sigma rule whose one selection is ``selection`` (a YAML line such as
    ``userAgent|contains: 'a*b'``) matches ``record``, through the rule loader."""
    from awsir_tui.detect.sigma_rules import rules_from_text

    text = f"""
title: One selection
id: 7f1a8a2e-2d0b-4c55-9d0e-3c3f1b0e6a11
status: test
level: low
logsource:
  product: aws
  service: cloudtrail
detection:
  selection:
    {selection}
  condition: selection
"""
    rules, problems = rules_from_text(text, "r", "r.yml")
    assert problems == []
    return rules[0].match(record)
