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
        self.detector = detector or Detector(correlations=())
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._size = cache_size

    def severity(self, event: Event) -> str:
        """``""`` when no rule matches, else the highest matching rule's severity."""
        key = event.event_id or event.raw
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        record = record_of(event)
        matched = [rule.severity for rule in self.detector.rules_for(event.event_name)
                   if rule.match(record)]
        worst = max(matched, key=severity_rank, default="")
        self._cache[key] = worst
        if len(self._cache) > self._size:
            self._cache.popitem(last=False)
        return worst

    def letter(self, event: Event) -> str:
        """The marker column's text: C, H, M, L or blank."""
        return LETTERS.get(self.severity(event), "")
