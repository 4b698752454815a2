"""An EC2 instance role's credentials used from somewhere other than the instance.

The classic credential-theft signal (GUIDE section 5): an instance role's session
(principal ID ``...:i-0123...``, access key ``ASIA...``) whose calls come from more than
one source address, from an address that is not one of the instance's own (when the
caller knows them, from the EC2 inventory), or from an address that other, non-instance
identities also call from (an instance's own address is not someone's laptop).

The addresses EC2 gives now are the instance's since its last start only (a public
address changes at each start, and an Elastic IP associated later replaces it: an
``AssociateAddress`` among the events dates that). When some calls come before, the key
is also judged by what its events show, as if the addresses were not known, so an old
archive's calls from a former address are not called theft with certainty, and knowing
the addresses never hides what the events alone would show.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime

from awsir_tui.detect.addresses import OwnAddresses, is_ip
from awsir_tui.detect.correlate._util import event_ids, principal_key, time_span
from awsir_tui.detect.finding import Finding
from awsir_tui.events.record import EPOCH, Event
from awsir_tui.query.times import utc_minute
from awsir_tui.text import clean

_INSTANCE_SESSION = re.compile(r":(i-[0-9A-Za-z]{8,17})$")


def instance_of(event: Event) -> str:
    """The instance ID when the call was made with an instance role's session, else ""."""
    if event.user_type and event.user_type != "AssumedRole":
        return ""
    found = _INSTANCE_SESSION.search(event.principal_id) or _INSTANCE_SESSION.search(
        event.user_arn.replace("/", ":")
    )
    return found.group(1) if found else ""


class InstanceCredentialTheft:
    rule_id = "awsir_instance_credentials_used_elsewhere"
    title = "Instance role credentials used outside the instance"
    technique = "T1552.005"

    def __init__(self, known_ips: Mapping[str, OwnAddresses] | None = None) -> None:
        self.known_ips = {k.lower(): v for k, v in (known_ips or {}).items()}

    def __call__(self, events: Sequence[Event]) -> list[Finding]:
        sessions: dict[tuple[str, str], list[Event]] = defaultdict(list)
        others_by_ip: dict[str, set[str]] = defaultdict(set)
        associated: dict[str, datetime] = {}
        for item in events:
            instance = instance_of(item)
            if instance:
                key = item.access_key_id or item.principal_id
                sessions[(instance, key)].append(item)
            elif is_ip(item.source_ip):
                others_by_ip[item.source_ip].add(principal_key(item))
            if item.event_name == "AssociateAddress" and not item.error_code:
                for name in (r.lower() for r in item.resources if r.lower().startswith("i-")):
                    associated[name] = max(item.event_time, associated.get(name, EPOCH))
        findings = []
        for (instance, key), items in sessions.items():
            own = self.known_ips.get(instance.lower())
            if own is not None:
                own = own.held_since(associated.get(instance.lower()))
            finding = self._judge(instance, key, items, own, others_by_ip)
            if finding is not None:
                findings.append(finding)
        return findings

    def _judge(
        self,
        instance: str,
        key: str,
        items: list[Event],
        own: OwnAddresses | None,
        others_by_ip: Mapping[str, set[str]],
    ) -> Finding | None:
        reasons: list[str] = []
        suspicious: set[str] = set()
        severity = "high"
        held = [e for e in items if own.hold_at(e.event_time)] if own is not None else []
        # Some calls made when the instance's addresses are not known:
        partly_unknown = len(held) < len(items)
        if own is not None:
            foreign = sorted({e.source_ip for e in held if is_ip(e.source_ip)} - own.addresses)
            if foreign:
                severity = "critical"
                suspicious.update(foreign)
                reasons.append(
                    f"used from {', '.join(foreign)}, not one of the instance's addresses "
                    f"({', '.join(sorted(own.addresses)) or 'none known'})"
                )
        if partly_unknown:
            # What the events show, over every call of the key: knowing the addresses
            # must never make a finding weaker than not knowing them. The instance's
            # lasting addresses are its own whenever a call was made.
            lasting = own.lasting if own is not None else frozenset()
            ips, shown = _what_events_show(
                [e for e in items if e.source_ip not in lasting], others_by_ip)
            suspicious.update(ips)
            reasons += shown
        if not reasons:
            return None
        hits = [e for e in items if e.source_ip in suspicious]
        first, last = time_span(hits)
        summary = f"{clean(instance)} role key {clean(key)} {clean(reasons[0], 300)}" + (
            f" (+{len(reasons) - 1} more signs)" if len(reasons) > 1 else ""
        )
        calls = sorted({e.event_name for e in hits})
        detail = (
            "; ".join(clean(r, 300) for r in reasons)
            + f". Calls: {', '.join(clean(c) for c in calls)}."
        )
        if partly_unknown and own is not None:  # (then it has a since: hold_at said no)
            detail += (f" Its address before {utc_minute(own.since)} UTC (its last start, or an "
                       "Elastic IP's association) is not known: those calls are judged by "
                       "what the events show.")
        return Finding(
            rule_id=self.rule_id,
            title=self.title,
            severity=severity,
            technique=self.technique,
            event_ids=event_ids(hits),
            summary=summary,
            detail=detail,
            first_time=first,
            last_time=last,
        )


def _what_events_show(
    items: Sequence[Event], others_by_ip: Mapping[str, set[str]]
) -> tuple[set[str], list[str]]:
    """The addresses that the calls of one key themselves make suspicious (more than
    one; one other identities also call from), and why each is: what is left to judge
    by when the instance's own addresses are not known for some of the calls."""
    ips = sorted({e.source_ip for e in items if is_ip(e.source_ip)})
    suspicious: set[str] = set()
    reasons: list[str] = []
    if len(ips) > 1:
        suspicious.update(ips)
        reasons.append(f"used from {len(ips)} addresses: {', '.join(ips)}")
    for ip in ips:
        shared = others_by_ip.get(ip)
        if shared:
            suspicious.add(ip)
            names = ", ".join(sorted(clean(s, 100) for s in shared)[:3])
            reasons.append(f"{ip} is also the source of calls by {names}")
    return suspicious, reasons
