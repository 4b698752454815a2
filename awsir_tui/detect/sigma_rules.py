"""Loading Sigma rules (the built-in ones shipped in this package, and a user's folder).

A rule the engine cannot run is never dropped silently: :func:`load_rules` returns it as
a ``(file, reason)`` problem for the UI and the headless command to show.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from sigma.collection import SigmaCollection
from sigma.rule import SigmaDetection, SigmaDetectionItem, SigmaRule

from awsir_tui.detect.finding import SEVERITIES
from awsir_tui.detect.outcome import (
    Verdict,
    all_denied,
    all_failed,
    attempt_severity,
    attempt_title,
)
from awsir_tui.detect.sigma_eval import Predicate, UnsupportedRule, compile_rule
from awsir_tui.events.record import Event
from awsir_tui.text import clean

_TECHNIQUE = re.compile(r"^t(\d{4})(?:\.(\d{3}))?$", re.IGNORECASE)
_RULE_SUFFIXES = (".yml", ".yaml")

Problem = tuple[str, str]


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A Sigma rule ready to run: metadata for findings plus its compiled predicate.

    ``event_names`` (lower-case) is set when the rule can only match those eventNames,
    so the detector indexes it by name instead of running it on every event.
    """

    rule_id: str
    title: str
    severity: str
    technique: str
    description: str
    path: str
    builtin: bool
    match: Predicate
    event_names: frozenset[str] | None
    #: The rule decides on the calls' outcome itself (it names ``errorCode`` or
    #: ``errorMessage``): its title and level already say failed or done, so a finding
    #: of failed calls is not turned into an attempt (see :mod:`.outcome`).
    judges_outcome: bool = False

    def outcome_for(self, events: Sequence[Event]) -> Verdict:
        """What this rule says of ``events``, calls it matched: its title and level when
        one worked or it judges the outcome itself; else an attempt's title, one level
        lower when every call was refused (see :mod:`.outcome`). The findings judge
        their merged calls and the marker one row's call here, so they cannot differ."""
        if self.judges_outcome or not all_failed(events):
            return Verdict(self.title, self.severity)
        denied = all_denied(events)
        return Verdict(attempt_title(self.title, denied),
                       attempt_severity(self.severity) if denied else self.severity)


def technique_of(rule: SigmaRule) -> str:
    """The first ATT&CK technique tag (``attack.t1098.001`` -> ``T1098.001``), or ""."""
    for tag in rule.tags:
        if tag.namespace == "attack":
            found = _TECHNIQUE.match(tag.name)
            if found:
                return "T" + found.group(1) + (f".{found.group(2)}" if found.group(2) else "")
    return ""


_OUTCOME_FIELDS = frozenset({"errorcode", "errormessage"})


def _fields(detection: SigmaDetection) -> Iterator[str]:
    """Every field a detection (and the detections nested in it) tests."""
    for item in detection.detection_items:
        if isinstance(item, SigmaDetection):
            yield from _fields(item)
        elif isinstance(item, SigmaDetectionItem) and item.field:
            yield item.field


def _judges_outcome(rule: SigmaRule) -> bool:
    return any(field.lower() in _OUTCOME_FIELDS
               for detection in rule.detection.detections.values()
               for field in _fields(detection))


def _is_cloudtrail(rule: SigmaRule) -> bool:
    source = rule.logsource
    return (source.product or "").lower() == "aws" and (
        source.service or ""
    ).lower() == "cloudtrail"


def _compile(rule: SigmaRule, rule_id: str, path: str, builtin: bool) -> CompiledRule:
    if rule.errors:
        raise UnsupportedRule("; ".join(str(e) for e in rule.errors))
    if not _is_cloudtrail(rule):
        source = rule.logsource
        raise UnsupportedRule(
            f"logsource is product={source.product} service={source.service}, "
            "not product=aws service=cloudtrail"
        )
    match, names = compile_rule(rule)
    level = rule.level.name.lower() if rule.level is not None else "medium"
    return CompiledRule(
        rule_id=rule_id,
        title=rule.title or rule_id,
        severity=level if level in SEVERITIES else "medium",
        technique=technique_of(rule),
        description=(rule.description or "").strip(),
        path=path,
        builtin=builtin,
        match=match,
        event_names=names,
        judges_outcome=_judges_outcome(rule),
    )


def _kind(value: object) -> str:
    """What a YAML value is, in the words of a rule's author."""
    return ("a list" if isinstance(value, list) else "a map" if isinstance(value, dict)
            else "empty" if value is None else "text or a number")


def _text(value: object) -> bool:
    """Whether ``value`` is a YAML scalar that reads as text (``1``, ``2024-01-01``)."""
    return value is not None and not isinstance(value, list | dict)


def _keys_as_text(value: Any) -> Any:
    """A search map's (or a list of them) field names as text: ``5: x`` is field "5"."""
    if isinstance(value, dict):
        return {str(key): item for key, item in value.items()}
    if isinstance(value, list):
        return [_keys_as_text(item) if isinstance(item, dict) else item for item in value]
    return value


def _as_rule(document: Any) -> Any:
    """One YAML document with the scalars pySigma wants as text made text (an ``id: 1``
    or ``condition: 1`` made it raise Python's own errors, shown as the reason); a
    ValueError naming the field when no text can stand for it. Other fields of the wrong
    kind pySigma refuses itself, by name."""
    if document is None:
        return None
    if not isinstance(document, dict):
        raise ValueError(f"{_kind(document)}, not a Sigma rule (a map of fields: title, "
                         "logsource, detection…)")
    rule = dict(document)
    if rule.get("id") is not None:
        if not _text(rule["id"]):
            raise ValueError(f"id is {_kind(rule['id'])}: a rule's id is text (a UUID)")
        rule["id"] = str(rule["id"])
    if isinstance(rule.get("detection"), dict):
        detection = {str(key): _keys_as_text(item) for key, item in rule["detection"].items()}
        condition = detection.get("condition")
        conditions = condition if isinstance(condition, list) else [condition]
        if condition is not None:
            if not all(_text(item) for item in conditions):
                raise ValueError("detection: condition is text, or a list of text (it has "
                                 f"{_kind(next(i for i in conditions if not _text(i)))})")
            detection["condition"] = ([str(item) for item in condition]
                                      if isinstance(condition, list) else str(condition))
        rule["detection"] = detection
    return rule


def rules_from_text(
    text: str, name: str, path: str, builtin: bool = False
) -> tuple[list[CompiledRule], list[Problem]]:
    """The rules in one YAML document (or several, ``---``-separated), and problems."""
    problems: list[Problem] = []
    try:
        documents = []
        for number, document in enumerate(yaml.safe_load_all(text), 1):
            try:
                documents.append(_as_rule(document))
            except ValueError as exc:  # this document only: the file's others still load
                problems.append((path, f"document {number}: {exc}"))
        collection = SigmaCollection.from_dicts(documents, collect_errors=True)
    except Exception as exc:
        # Not only SigmaError and YAMLError: a hostile file (a list nested thousands
        # deep) makes the parser raise RecursionError, and a rule file must never cost
        # the others, nor the marker's load or a whole :findings run.
        reason = clean(str(exc), 300) or type(exc).__name__
        return [], [(path, f"not a readable Sigma file: {reason}")]
    items = list(collection.rules)
    # The collection repeats its rules' errors: each is said once, with its rule's name.
    said = {id(error) for item in items for error in item.errors}
    rules: list[CompiledRule] = []
    problems += [(path, str(error)) for error in collection.errors if id(error) not in said]
    for index, item in enumerate(items):
        rule_id = name if len(items) == 1 else f"{name}#{index + 1}"
        if not isinstance(item, SigmaRule):
            problems.append(
                (path, f"{type(item).__name__} is not supported (single-event rules only)")
            )
            continue
        try:
            rules.append(_compile(item, rule_id, path, builtin))
        except Exception as exc:  # as above: one rule never costs the others
            problems.append((path, f"{rule_id}: {exc}"))
    return rules, problems


def _rule_files(directory: Path) -> Iterable[Path]:
    return sorted(
        p for p in directory.rglob("*") if p.suffix.lower() in _RULE_SUFFIXES and p.is_file()
    )


def load_rules(
    directory: Path | str, stop: Callable[[], bool] | None = None
) -> tuple[list[CompiledRule], list[Problem]]:
    """Every Sigma rule under ``directory`` (recursively) that the engine can run, and a
    ``(file, reason)`` for each file or rule it cannot (including non-CloudTrail ones).

    ``stop`` is asked before each file: a SigmaHQ folder takes seconds, and a load on a
    thread the app is quitting must not hold the quit. Once it says yes, the rules read
    so far are returned: a part of the folder, for a caller that no longer wants it."""
    root = Path(directory)
    if not root.is_dir():
        return [], [(str(root), "not a directory")]
    rules: list[CompiledRule] = []
    problems: list[Problem] = []
    for path in _rule_files(root):
        if stop is not None and stop():
            break
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append((str(path), f"cannot read: {exc}"))
            continue
        found, trouble = rules_from_text(text, path.stem, str(path))
        rules += found
        problems += trouble
    return rules, problems


def load_builtin_rules() -> tuple[list[CompiledRule], list[Problem]]:
    """The rules shipped in ``awsir_tui/detect/rules`` (problems there are bugs: a test
    asserts there are none)."""
    rules: list[CompiledRule] = []
    problems: list[Problem] = []
    folder = resources.files("awsir_tui.detect") / "rules"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(_RULE_SUFFIXES):
            continue
        found, trouble = rules_from_text(
            entry.read_text(encoding="utf-8"), entry.name.rsplit(".", 1)[0], entry.name, True
        )
        rules += found
        problems += trouble
    return rules, problems
