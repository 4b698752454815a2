"""A per-event severity mark for the events table: which detections flag it.

A table row needs only "does anything flag this event, and how badly". The
single-event rules run lazily on the rows being drawn and the answer is cached by event
ID, so a million-row table costs nothing until a row is on screen. The correlations
need the whole event set (credentials used from two places, a burst of denials), so
they cannot run per row: what the last findings run found is remembered instead
(:meth:`EventMarker.remember`), and its events are marked too.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from awsir_tui.detect.engine import Detector
from awsir_tui.detect.finding import Finding, severity_rank
from awsir_tui.detect.observed import record_of
from awsir_tui.events.record import Event

#: One letter a severity, as the marker column shows it.
LETTERS = {"critical": "C", "high": "H", "medium": "M", "low": "L", "informational": "i"}


class EventMarker:
    """The most severe detection flagging an event: its single-event rules (cached,
    bounded) and the findings of the last run that include it."""

    def __init__(self, detector: Detector | None = None, cache_size: int = 20_000) -> None:
        self._detector = detector
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._size = cache_size
        #: Event ID -> the worst severity of the last findings run's findings with it.
        self._found: dict[str, str] = {}

    def remember(self, findings: Iterable[Finding]) -> None:
        """The findings of a run (correlations included): their events are marked from
        now on, as severe as the worst finding each is in."""
        found: dict[str, str] = {}
        for finding in findings:
            for event_id in finding.event_ids:
                found[event_id] = _worse(found.get(event_id, ""), finding.severity)
        self._found = found

    @property
    def detector(self) -> Detector:
        """The single-event rules rows are judged by: the built-in ones, loaded when the
        first row is judged (the app makes its marker at start, and loading them, ~50 ms,
        is no cost for the start-up to pay), until :meth:`use` gives the ones with the
        user's ``--rules``."""
        if self._detector is None:
            self._detector = Detector(correlations=())
        return self._detector

    def use(self, detector: Detector) -> None:
        """Judge rows with ``detector``'s rules from now on: the built-in ones and the
        user's ``--rules``, which the app loads off the UI thread (a SigmaHQ folder
        takes seconds). The cached marks are forgotten, so a row is judged again when
        next drawn: the caller redraws the tables showing rows (the marker knows none)."""
        self._detector = detector
        self._cache.clear()

    def severity(self, event: Event) -> str:
        """``""`` when nothing flags ``event``, else the worst severity flagging it."""
        found = self._found.get(event.event_id, "") if event.event_id else ""
        return _worse(self._rule_severity(event), found)

    def _rule_severity(self, event: Event) -> str:
        """``""`` when no rule matches, else the highest level the matching rules give
        this call (:meth:`~awsir_tui.detect.sigma_rules.CompiledRule.outcome_for`), as
        the finding of it alone ranks it: a refused call a level lower."""
        key = event.event_id or event.raw
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        rules = self.detector.rules_for(event.event_name)
        record = record_of(event) if rules else {}  # most rows: no rule, no JSON parse
        worst = max((r.outcome_for((event,)).severity for r in rules if r.match(record)),
                    key=severity_rank, default="")
        self._cache[key] = worst
        if len(self._cache) > self._size:
            self._cache.popitem(last=False)
        return worst

    def letter(self, event: Event) -> str:
        """The marker column's text: C, H, M, L or blank."""
        return LETTERS.get(self.severity(event), "")


def _worse(one: str, other: str) -> str:
    """The more severe of two severities, ``""`` (nothing) below every severity."""
    if not one or not other:
        return one or other
    return other if severity_rank(other) > severity_rank(one) else one
