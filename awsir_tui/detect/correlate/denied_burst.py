"""A burst of denied calls from one principal: someone probing what stolen credentials
can do (GetPasswordData on every instance, DescribeInstanceAttribute userData...)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import timedelta

from awsir_tui.detect.correlate._util import event_ids, principal_key, time_span
from awsir_tui.detect.finding import Finding
from awsir_tui.detect.observed import actor
from awsir_tui.detect.outcome import DENIED_CODES
from awsir_tui.events.record import Event
from awsir_tui.text import clean


class DeniedBurst:
    rule_id = "awsir_denied_call_burst"
    title = "Burst of denied calls from one principal"
    technique = "T1580"

    def __init__(self, threshold: int = 10, window: timedelta = timedelta(minutes=5)) -> None:
        self.threshold = threshold
        self.window = window

    def __call__(self, events: Sequence[Event]) -> list[Finding]:
        denied: dict[str, list[Event]] = defaultdict(list)
        for item in events:
            if item.error_code in DENIED_CODES:
                denied[principal_key(item)].append(item)
        findings = []
        for items in denied.values():
            burst = self._in_bursts(sorted(items, key=lambda e: e.event_time))
            if burst:
                findings.append(self._finding(burst))
        return findings

    def _in_bursts(self, items: list[Event]) -> list[Event]:
        """The items that fall in some window holding at least ``threshold`` of them."""
        chosen: list[Event] = []
        end = 0
        marked = 0  # items[:marked] are already chosen (windows overlap)
        for start, item in enumerate(items):
            end = max(end, start)
            limit = item.event_time + self.window
            while end < len(items) and items[end].event_time <= limit:
                end += 1
            if end - start >= self.threshold:
                chosen.extend(items[max(start, marked) : end])
                marked = end
        return chosen

    def _finding(self, burst: list[Event]) -> Finding:
        first, last = time_span(burst)
        names = Counter(e.event_name for e in burst).most_common(3)
        ips = sorted({e.source_ip for e in burst if e.source_ip})
        minutes = max(1, round(((last - first).total_seconds() if first and last else 0) / 60))
        who = clean(actor(burst[0]), 120)
        summary = (
            f"{len(burst)} denied calls in ~{minutes} min by {who}"
            f" from {', '.join(clean(ip) for ip in ips[:3]) or 'unknown'}"
        )
        detail = (
            "Most denied: "
            + ", ".join(f"{clean(n)} x{c}" for n, c in names)
            + (f". Threshold {self.threshold} within {int(self.window.total_seconds() // 60)} min.")
        )
        return Finding(
            rule_id=self.rule_id,
            title=self.title,
            severity="medium",
            technique=self.technique,
            event_ids=event_ids(burst),
            summary=summary,
            detail=detail,
            first_time=first,
            last_time=last,
        )
