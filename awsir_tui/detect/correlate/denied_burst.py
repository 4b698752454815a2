"""A burst of denied calls from one principal: someone probing what stolen credentials
can do (GetPasswordData on every instance, DescribeInstanceAttribute userData...).

A call is denied when it was refused (:data:`~awsir_tui.refusals.REFUSED_CODES`): not
allowed, or signed with credentials AWS would not accept. The second kind counts too: a
run of ``InvalidClientTokenId`` or ``ExpiredToken`` is someone trying a key that was
revoked or a session that ran out, as likely stolen as one that is refused what it asks.
The summary says how many were rejected for their credentials, since the responder's
next step differs: a key that still works must be disabled, one AWS rejects tells that
someone holds an old key (or that a script runs with one).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import timedelta

from awsir_tui.detect.correlate._util import event_ids, principal_key, time_span
from awsir_tui.detect.finding import Finding
from awsir_tui.detect.observed import actor
from awsir_tui.events.record import Event
from awsir_tui.refusals import REFUSED_CODES, credentials_rejected
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
            if item.error_code in REFUSED_CODES:
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
        rejected = Counter(e.error_code for e in burst
                           if credentials_rejected(e.error_code, e.error_message))
        summary = (
            f"{len(burst)} denied calls{_rejected(rejected.total(), len(burst))}"
            f" in ~{minutes} min by {who}"
            f" from {', '.join(clean(ip) for ip in ips[:3]) or 'unknown'}"
        )
        detail = "Most denied: " + ", ".join(f"{clean(n)} x{c}" for n, c in names) + ". "
        if rejected:  # an expired session and a deleted key are different stories
            detail += "Rejected credentials: " + ", ".join(
                f"{code} x{count}" for code, count in rejected.most_common()) + ". "
        detail += (
            f"Threshold {self.threshold} within {int(self.window.total_seconds() // 60)} min."
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


def _rejected(count: int, total: int) -> str:
    """`` (all with rejected credentials)``, `` (4 with rejected credentials)`` or ``""``
    when none of the ``total`` denied calls was refused for its credentials."""
    if not count:
        return ""
    return f" ({'all' if count == total else count} with rejected credentials)"
