"""Recognising IP addresses as CloudTrail logs them, anonymised data included."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, replace
from datetime import datetime

# Anonymised logs carry dotted quads with leading zeros ("08.1.250.216"), which
# ipaddress rejects; they are still addresses for grouping and pivoting.
_DOTTED_QUAD = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")


def is_ip(value: str) -> bool:
    """True for an IPv4/IPv6 literal. CloudTrail also logs service names as the source
    ("ec2.amazonaws.com", "AWS Internal"), which say nothing about where a key was used."""
    if "%" in value:  # a scoped IPv6 address: CloudTrail logs none, and the scope is text
        return False
    if _DOTTED_QUAD.match(value):
        return all(int(part) <= 255 for part in value.split("."))
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class OwnAddresses:
    """An instance's own addresses as EC2 gives them now, and since when they hold.

    A public address without an Elastic IP is handed out at each start, and an Elastic
    IP associated later replaces it: the one EC2 shows now is the instance's only since
    its last start (``since``, EC2's ``LaunchTime``) or the association after it. A
    call from another address before that may come from the address it had then, so it
    is not proof of theft; after it, it is. Its private and IPv6 addresses stay with
    its network interfaces across stops (``lasting``): its own whenever.
    """

    addresses: frozenset[str]
    since: datetime | None = None
    lasting: frozenset[str] = frozenset()

    def hold_at(self, when: datetime) -> bool:
        """Whether these were the instance's addresses at ``when``."""
        return self.since is None or when >= self.since

    def held_since(self, later: datetime | None) -> OwnAddresses:
        """These addresses, holding only from ``later`` when it comes after ``since``
        (an Elastic IP associated after the start)."""
        if later is None or (self.since is not None and later <= self.since):
            return self
        return replace(self, since=later)
