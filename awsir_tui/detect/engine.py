"""The detector: runs Sigma rules and correlations over a set of events.

Rules that pin ``eventName`` are indexed by it, so an event is only tested against the
rules that could match it plus the few unpinned ones; each raw record is parsed once.
Hits of one rule with the same summary (same actor, address, target) are merged into
one finding, so 30 identical denied GetPasswordData calls make one row, not thirty.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from sys import intern

from awsir_tui.case.secrets import redact_text
from awsir_tui.detect.addresses import OwnAddresses
from awsir_tui.detect.correlate import Correlation, default_correlations
from awsir_tui.detect.finding import Finding, severity_rank
from awsir_tui.detect.observed import Observed, record_of
from awsir_tui.detect.outcome import failures
from awsir_tui.detect.sigma_rules import CompiledRule, Problem, load_builtin_rules, load_rules
from awsir_tui.detect.summaries import merged_summary, summarise
from awsir_tui.events.record import Event
from awsir_tui.text import clean, count_of

_MAX_DETAIL_REGIONS = 8
#: Events judged between two calls of :meth:`Detector.run`'s ``progress`` and ``stop``:
#: a million events take the better part of a minute, and the screen says how far.
PROGRESS_EVERY = 10_000


class Detector:
    """Run detections over events; keep the last run's findings for lookups.

    ``rules`` default to the built-in rules; ``correlations`` to
    :func:`default_correlations` (``known_ips``: instance ID -> its own addresses, from
    the EC2 inventory, and since when they hold, sharpens the credential-theft
    detection). ``problems`` lists the
    rules that could not be loaded, with reasons.
    """

    def __init__(
        self,
        rules: Sequence[CompiledRule] | None = None,
        correlations: Sequence[Correlation] | None = None,
        *,
        known_ips: Mapping[str, OwnAddresses] | None = None,
        problems: Sequence[Problem] = (),
    ) -> None:
        self.problems: list[Problem] = list(problems)
        if rules is None:
            rules, builtin_problems = load_builtin_rules()
            self.problems += builtin_problems
        self.rules: list[CompiledRule] = self._unique(rules)
        self.correlations: list[Correlation] = list(
            default_correlations(known_ips) if correlations is None else correlations
        )
        self._by_name: dict[str, list[CompiledRule]] = defaultdict(list)
        self._unpinned: list[CompiledRule] = []
        for rule in self.rules:
            if rule.event_names is None:
                self._unpinned.append(rule)
            else:
                for name in rule.event_names:
                    self._by_name[name].append(rule)
        self.findings: list[Finding] = []
        #: Events the last :meth:`run` judged: all it was given, unless stopped.
        self.judged = 0
        self._by_event: dict[str, list[Finding]] = {}

    def _unique(self, rules: Iterable[CompiledRule]) -> list[CompiledRule]:
        """Rules with distinct IDs (findings are grouped by ID): a user's copy of a
        built-in rule, or two files with one name in different folders, get a suffix."""
        unique: list[CompiledRule] = []
        used: set[str] = set()
        for rule in rules:
            rule_id, n = rule.rule_id, 1
            while rule_id in used:
                n += 1
                rule_id = f"{rule.rule_id}#{n}"
            if rule_id != rule.rule_id:
                self.problems.append(
                    (rule.path, f"rule ID {rule.rule_id} already used; runs as {rule_id}")
                )
                rule = replace(rule, rule_id=rule_id)
            used.add(rule_id)
            unique.append(rule)
        return unique

    @classmethod
    def with_rules_dir(
        cls,
        directory: Path | str | None,
        *,
        known_ips: Mapping[str, OwnAddresses] | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> Detector:
        """Built-in rules plus a user's Sigma folder (``--rules DIR``), if given; ``stop``
        is asked between its files (:func:`~awsir_tui.detect.sigma_rules.load_rules`)."""
        rules, problems = load_builtin_rules()
        if directory is not None:
            extra, trouble = load_rules(directory, stop=stop)
            rules += extra
            problems += trouble
        return cls(rules, known_ips=known_ips, problems=problems)

    def rules_for(self, event_name: str) -> list[CompiledRule]:
        """The rules an event with this name must be tested against."""
        return self._by_name.get(event_name.lower(), []) + self._unpinned

    def run(
        self, events: Iterable[Event], *, progress: Callable[[int], None] | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> list[Finding]:
        """All findings over ``events`` (duplicates by event ID are counted once),
        most severe first. Every :data:`PROGRESS_EVERY` events, ``progress`` is told how
        many were judged, and ``stop`` asked whether to go on: once it says stop, the
        findings are those of the events judged so far (:attr:`judged`), correlations
        included, for the responder who would rather have them than wait."""
        kept: list[Event] = []
        seen: set[str] = set()
        hits: dict[tuple[str, str], list[Event]] = defaultdict(list)
        rules_by_id: dict[str, CompiledRule] = {}
        self.judged = 0
        for event in events:
            if self.judged % PROGRESS_EVERY == 0 and self.judged:
                if progress is not None:
                    progress(self.judged)
                if stop is not None and stop():
                    break
            self.judged += 1
            if event.event_id:
                if event.event_id in seen:
                    continue
                seen.add(event.event_id)
            # The parsed record lives only while this event's rules run; the
            # correlations keep a slim copy (see _slim).
            item = Observed(event, record_of(event))
            kept.append(_slim(event))
            for rule in self.rules_for(event.event_name):
                if rule.match(item.record):
                    rules_by_id[rule.rule_id] = rule
                    hits[(rule.rule_id, summarise(rule.rule_id, item))].append(event)
        findings = [
            _rule_finding(rules_by_id[rule_id], summary, items)
            for (rule_id, summary), items in hits.items()
        ]
        for correlation in self.correlations:
            findings += correlation(kept)
        # Summaries quote what the events hold (a user name, an agent, a request): the
        # screen, the case and every export show them, so no secret may be in them.
        findings = [
            replace(f, summary=redact_text(f.summary), detail=redact_text(f.detail))
            for f in findings
        ]
        findings.sort(
            key=lambda f: (
                -severity_rank(f.severity),
                f.first_time is None,
                f.first_time,
                f.rule_id,
            )
        )
        self.findings = findings
        self._by_event = _index(findings)
        return findings

    def findings_by_event(self) -> dict[str, list[Finding]]:
        """Event ID -> findings that include it, from the last :meth:`run`."""
        return self._by_event


def _slim(event: Event) -> Event:
    """``event`` as the correlations keep it, for every event of a run: without its raw
    text, and with the strings events repeat (agents, ARNs, names, regions, IPs) shared
    rather than copied per event.

    Kept whole, a million events peaked at 4.3 GB; without the raw text, 3.3 GB: each
    event still held its own copy of the same few agents and ARNs (2.3 KB an event).
    Built with the constructor, not ``dataclasses.replace``, which cost a fifth of
    the whole run.
    """
    return Event(
        event.event_id, event.event_time, intern(event.event_name),
        intern(event.event_source), intern(event.aws_region), intern(event.source_ip),
        intern(event.user_agent), intern(event.error_code), intern(event.error_message),
        event.read_only, intern(event.user_type), intern(event.user_name),
        intern(event.user_arn), intern(event.principal_id), intern(event.access_key_id),
        intern(event.account_id), tuple(intern(r) for r in event.resources), "",
        event.parse_error,
    )


def _index(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    by_event: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        for event_id in finding.event_ids:
            by_event[event_id].append(finding)
    return dict(by_event)


def _rule_finding(rule: CompiledRule, summary: str, items: list[Event]) -> Finding:
    """One rule's merged hits as a finding, titled and ranked as the rule says of them
    (:meth:`~awsir_tui.detect.sigma_rules.CompiledRule.outcome_for`: an attempt when
    every call failed); the summary and detail count the failures."""
    items.sort(key=lambda e: e.event_time)
    regions = sorted({e.aws_region for e in items if e.aws_region})
    count = count_of(len(items), "event")
    where = ", ".join(clean(r) for r in regions[:_MAX_DETAIL_REGIONS])
    if len(regions) > _MAX_DETAIL_REGIONS:
        where += f" (+{len(regions) - _MAX_DETAIL_REGIONS} more)"
    detail = f"{count} in {where or 'unknown region'}{failures(items)}. {rule.description}"
    verdict = rule.outcome_for(items)
    return Finding(
        rule_id=rule.rule_id,
        title=verdict.title,
        severity=verdict.severity,
        technique=rule.technique,
        event_ids=tuple(dict.fromkeys(e.event_id for e in items if e.event_id)),
        summary=merged_summary(rule.rule_id, summary, items),
        detail=detail.strip(),
        first_time=items[0].event_time,
        last_time=items[-1].event_time,
    )
