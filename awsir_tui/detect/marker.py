"""A per-event severity mark for the events table: which single-event rules fire on it.

The findings view needs the whole event set (correlations count across events); a
table row needs only "does any rule flag this event, and how badly". Rules run lazily
on the rows being drawn and the answer is cached by event ID, so a million-row table
costs nothing until a row is on screen.
"""

from __future__ import annotations

from collections import OrderedDict

from awsir_tui.detect.engine import Detector
from awsir_tui.detect.finding import severity_rank
from awsir_tui.detect.observed import record_of
from awsir_tui.events.record import Event

#: One letter a severity, as the marker column shows it.
LETTERS = {"critical": "C", "high": "H", "medium": "M", "low": "L", "informational": "i"}


class EventMarker:
    """The most severe single-event rule matching an event, cached (bounded)."""

    def __init__(self, detector: Detector | None = None, cache_size: int = 20_000) -> None:
        self._detector = detector
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._size = cache_size

    @property
    def detector(self) -> Detector:
        """The built-in single-event rules, loaded when the first row is judged: the
        events view makes its marker at import, and loading the rules (~50 ms) is no
        cost for the app's start-up to pay."""
        if self._detector is None:
            self._detector = Detector(correlations=())
        return self._detector

    def severity(self, event: Event) -> str:
        """``""`` when no rule matches, else the highest matching rule's severity."""
        key = event.event_id or event.raw
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        rules = self.detector.rules_for(event.event_name)
        record = record_of(event) if rules else {}  # most rows: no rule, no JSON parse
        worst = max((r.severity for r in rules if r.match(record)), key=severity_rank,
                    default="")
        self._cache[key] = worst
        if len(self._cache) > self._size:
            self._cache.popitem(last=False)
        return worst

    def letter(self, event: Event) -> str:
        """The marker column's text: C, H, M, L or blank."""
        return LETTERS.get(self.severity(event), "")
