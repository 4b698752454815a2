"""Recognising IP addresses as CloudTrail logs them, anonymised data included."""

from __future__ import annotations

import ipaddress
import re

# Anonymised logs carry dotted quads with leading zeros ("08.1.250.216"), which
# ipaddress rejects; they are still addresses for grouping and pivoting.
_DOTTED_QUAD = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")


def is_ip(value: str) -> bool:
    """True for an IPv4/IPv6 literal. CloudTrail also logs service names as the source
    ("ec2.amazonaws.com", "AWS Internal"), which say nothing about where a key was used."""
    if _DOTTED_QUAD.match(value):
        return all(int(part) <= 255 for part in value.split("."))
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
