"""GetCallerIdentity ("whoami") from a principal or address not seen before in the set.

It is the first call almost every tool makes with freshly obtained credentials; from an
identity or an address that has done nothing else earlier in the loaded events, it marks
the moment someone started using them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from awsir_tui.detect.correlate._util import event_ids, principal_key, time_span
from awsir_tui.detect.finding import Finding
from awsir_tui.detect.observed import actor
from awsir_tui.events.record import Event
from awsir_tui.text import clean, count_of


class FirstSeenCallerIdentity:
    rule_id = "awsir_first_seen_get_caller_identity"
    title = "GetCallerIdentity from a new principal or address"
    technique = "T1033"

    def __call__(self, events: Sequence[Event]) -> list[Finding]:
        seen_principals: set[str] = set()
        seen_ips: set[str] = set()
        hits: dict[str, list[tuple[Event, str]]] = defaultdict(list)
        for item in sorted(events, key=lambda e: e.event_time):
            principal = principal_key(item)
            ip = item.source_ip
            if item.event_name == "GetCallerIdentity":
                new = [
                    label
                    for label, is_new in (
                        ("principal", principal not in seen_principals),
                        ("address", bool(ip) and ip not in seen_ips),
                    )
                    if is_new
                ]
                if new:
                    hits[principal].append((item, " and ".join(new)))
            seen_principals.add(principal)
            if ip:
                seen_ips.add(ip)
        findings = []
        for items in hits.values():
            calls = [e for e, _ in items]
            first, last = time_span(calls)
            event = calls[0]
            findings.append(
                Finding(
                    rule_id=self.rule_id,
                    title=self.title,
                    severity="low",
                    technique=self.technique,
                    event_ids=event_ids(calls),
                    summary=(
                        f"GetCallerIdentity by {clean(actor(event), 120)} from "
                        f"{clean(event.source_ip) or 'unknown'}: new {items[0][1]}"
                    ),
                    detail=f"{count_of(len(items), 'call')}; the first call seen from this "
                    f"{items[0][1]} in the loaded events.",
                    first_time=first,
                    last_time=last,
                )
            )
        return findings
