"""A user's Sigma rule with a field of the wrong kind (a number where text is wanted, a
list, a map): refused by a message that names the field, never a Python error, said
once; the file's other rules and the folder's other files still run.

The rules are SigmaHQ's own (``data/sigma``) with one field changed, loaded from a
folder as ``--rules`` loads it and run over the real Stratus Red Team records."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.detect import Detector, load_rules
from tests.helpers_detect import SIGMAHQ_CLOUDTRAIL, technique_events

RULE = "aws_cloudtrail_disable_logging"
ORIGINAL = (SIGMAHQ_CLOUDTRAIL / f"{RULE}.yml").read_text()
CONDITION = "    condition: selection_source"
SELECTION = "    selection_source:\n        eventSource: cloudtrail.amazonaws.com"


def changed(old: str, new: str) -> str:
    assert ORIGINAL.count(old) == 1, old
    return ORIGINAL.replace(old, new)


def fired(tmp_path: Path) -> set[str]:
    detector = Detector.with_rules_dir(tmp_path)
    return {f.rule_id for f in detector.run(technique_events("defense-evasion.cloudtrail-stop"))}


@pytest.mark.parametrize(("text", "reason"), [
    (changed("id: 4db60cc0-36fb-42b7-9b58-a5b53019fb74", "id: 1"),
     f"{RULE}: Sigma rule identifier must be an UUID"),
    (changed("id: 4db60cc0-36fb-42b7-9b58-a5b53019fb74", "id: [1, 2]"),
     "document 1: id is a list: a rule's id is text (a UUID)"),
    (changed("title: AWS CloudTrail Important Change", "title: 42"),
     f"{RULE}: Sigma rule title must be a string"),
    (changed("level: medium", "level: [high]"), f"{RULE}: Sigma rule level must be a string"),
    (changed("status: test", "status: 1"), f"{RULE}: Sigma rule status cannot be a list"),
    (changed("    - attack.defense-impairment", "    - 5"),
     f"{RULE}: Sigma rule tags must be a list of strings"),
    (changed("detection:\n" + SELECTION, "detection:\n  - selection_source:"),
     f"{RULE}: Sigma detection must be a valid YAML map"),
    (changed(CONDITION, "    condition: {a: b}"),
     "document 1: detection: condition is text, or a list of text (it has a map)"),
    (changed(CONDITION, "    condition: [5]"), f"{RULE}: Detection '5' not defined in detections"),
    ("- title: a list\n- of rules\n",
     "document 1: a list, not a Sigma rule (a map of fields: title, logsource, detection…)"),
], ids=["id-number", "id-list", "title-number", "level-list", "status-number", "tag-number",
        "detection-list", "condition-map", "condition-numbers", "file-a-list"])
def test_a_field_of_the_wrong_kind_is_refused_by_name_once(tmp_path: Path, text: str,
                                                           reason: str) -> None:
    (tmp_path / f"{RULE}.yml").write_text(text)
    (tmp_path / "mine.yml").write_text(ORIGINAL.replace("id: 4db60cc0", "id: 5db60cc0"))
    rules, problems = load_rules(tmp_path)
    assert problems == [(str(tmp_path / f"{RULE}.yml"), reason)]
    assert [r.rule_id for r in rules] == ["mine"]
    assert "mine" in fired(tmp_path)


def test_numbers_that_stand_for_text_are_read_as_text(tmp_path: Path) -> None:
    """A detection named ``1`` and a field named ``5`` are the names "1" and "5" (they
    were a Python error, or a detection "not defined")."""
    text = changed(SELECTION, "    1:\n        eventSource: cloudtrail.amazonaws.com\n"
                              "        5: null")
    (tmp_path / f"{RULE}.yml").write_text(text.replace(CONDITION, "    condition: 1"))
    rules, problems = load_rules(tmp_path)
    assert problems == [] and [r.rule_id for r in rules] == [RULE]


def test_a_document_not_a_rule_costs_only_itself(tmp_path: Path) -> None:
    """A file of two documents, the first a list: the second, a real rule, still runs
    (the whole file was "not a readable Sigma file: 'list' object has no attribute")."""
    (tmp_path / "two.yml").write_text("- stray\n---\n" + ORIGINAL)
    rules, problems = load_rules(tmp_path)
    assert [reason for _path, reason in problems] == [
        "document 1: a list, not a Sigma rule (a map of fields: title, logsource, detection…)"]
    assert [r.rule_id for r in rules] == ["two"]
    assert "two" in fired(tmp_path)
