"""A per-event severity mark for the events table: which detections flag it.

A table row needs only "does anything flag this event, and how badly". The
single-event rules run lazily on the rows being drawn and the answer is cached by event
ID, so a million-row table costs nothing until a row is on screen. The correlations
need the whole event set (credentials used from two places, a burst of denials), so
they cannot run per row: what the findings runs found is remembered instead
(:meth:`EventMarker.remember`), and their events are marked too.
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
    bounded) and the findings of every run that include it."""

    def __init__(self, detector: Detector | None = None, cache_size: int = 20_000) -> None:
        self._detector = detector
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._size = cache_size
        #: Event ID -> the worst severity of the findings, of any run, with it.
        self._found: dict[str, str] = {}

    def remember(self, findings: Iterable[Finding]) -> None:
        """The findings of a run (correlations included): their events are marked from
        now on, each as severe as the worst finding it is in, of this run or an earlier.

        Added to what earlier runs found, not put in its place: a run over a narrower
        list (a :stack bucket of one event) found nothing and wiped the wider list's
        marks, its C on the stolen credentials' calls gone while :findings over that
        list still showed the critical finding. Nor kept per list: a row does not know
        the list it is drawn in (one event is in the wide list, its filtered ones and
        its drill-downs), and each narrowing would have lost the marks until :findings
        ran over it again. A finding stays true of its events whatever list shows
        them, so every list's marks include the findings of its own run, and a
        correlation found over a wider one (two places, a burst of denials) still
        marks its events where too few of them are listed to find it again."""
        found = self._found
        for finding in findings:
            for event_id in finding.event_ids:
                found[event_id] = _worse(found.get(event_id, ""), finding.severity)

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
