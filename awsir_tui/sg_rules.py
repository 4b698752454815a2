"""Which rules of a security group let the whole internet in: one computation for all.

The details' OPEN asks it here for each rule it shows. The groups list's red rows, its
"Open to world" column and the filter's ``open:`` read what the data layer worked out
once per group as it read the groups and kept on each under :data:`OPEN_TO_WORLD`
(:func:`awsir_tui.aws.ec2.security_groups`), so that they never disagree. It is
top-level and pure (the standard library only) because the query language, which may
not import boto3, reads that key; :mod:`awsir_tui.policy` is here for the same reason.

0.0.0.0/0 is not the only way to say "anyone": ``0.0.0.0/1`` and ``128.0.0.0/1`` in two
rules for the same ports are the same door, and four /2 blocks too. So the CIDRs of every
rule whose protocol and ports include a rule's are collapsed together
(:func:`ipaddress.collapse_addresses`), per IP version; when they make the whole of IPv4
(or IPv6), that rule's widest CIDRs of that version are open to the world. A rule for
tcp/0-100 and another for tcp/22 thus make port 22 open, not 0-100.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from ipaddress import IPv4Network, IPv6Network, collapse_addresses, ip_network
from typing import Any, TypeVar

Network = IPv4Network | IPv6Network
N = TypeVar("N", IPv4Network, IPv6Network)
Permission = Mapping[str, Any]
#: The key a security group read by the data layer carries: the ports of its inbound
#: rules open to the whole internet (``["tcp/22", "all"]``), each once; empty when none.
OPEN_TO_WORLD = "OpenToWorld"
#: The whole internet, per IP version.
WORLD_V4, WORLD_V6 = IPv4Network("0.0.0.0/0"), IPv6Network("::/0")
_PROTOCOLS = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1"}
_ANY = (None, -1)


def _networks(permission: Permission) -> list[tuple[str, Network]]:
    """The rule's CIDRs as written, each with its network (a CIDR AWS would not take
    is left out: it lets nobody in)."""
    found = []
    for key, name in (("IpRanges", "CidrIp"), ("Ipv6Ranges", "CidrIpv6")):
        for item in permission.get(key) or []:
            text = str(item.get(name, "")) if isinstance(item, Mapping) else ""
            try:
                found.append((text, ip_network(text, strict=False)))
            except ValueError:
                continue
    return found


def _protocol(permission: Permission) -> str:
    """``tcp``, ``udp``, ``icmp``..., ``-1`` for all: a number or a name, as AWS takes it."""
    protocol = str(permission.get("IpProtocol", "")).lower()
    return _PROTOCOLS.get(protocol, protocol)


def port_text(permission: Permission) -> str:
    """A rule's protocol and ports as people write them: ``tcp/22``, ``udp/1000-2000``,
    ``all``. :data:`OPEN_TO_WORLD` holds these; :func:`text_ports` reads them back."""
    protocol = _protocol(permission)
    if protocol == "-1":
        return "all"
    low, high = permission.get("FromPort"), permission.get("ToPort")
    if low is None or (protocol in ("tcp", "udp") and low == 0 and high == 65535):
        return f"{protocol}/all"
    if protocol in ("icmp", "icmpv6"):
        return f"{protocol}/type {low}" if low != -1 else f"{protocol}/all"
    return f"{protocol}/{low}" if low == high else f"{protocol}/{low}-{high}"


def text_ports(text: str) -> tuple[int, int] | None:
    """The inclusive TCP/UDP port range a :func:`port_text` stands for (all traffic and
    ``tcp/all`` are 0-65535), as ``port:`` reads a rule; None for ICMP and the protocols
    that have no ports."""
    if text == "all":
        return (0, 65535)
    protocol, _, ports = text.partition("/")
    if protocol not in ("tcp", "udp"):
        return None
    if ports == "all":
        return (0, 65535)
    low, _, high = ports.partition("-")
    try:
        return int(low), int(high or low)
    except ValueError:
        return None


def _reaches(outer: Permission, inner: Permission) -> bool:
    """Whether ``outer`` allows at least the protocol and ports of ``inner``."""
    protocol = _protocol(outer)
    if protocol == "-1":
        return True
    if protocol != _protocol(inner):
        return False
    low, high = outer.get("FromPort"), outer.get("ToPort")
    if protocol in ("tcp", "udp"):  # a range of ports; none given is every port
        inner_low, inner_high = inner.get("FromPort"), inner.get("ToPort")
        return (0 if low is None else low) <= (0 if inner_low is None else inner_low) and (
            65535 if inner_high is None else inner_high) <= (65535 if high is None else high)
    # ICMP and the rest: a type and a code, -1 for any.
    return low in _ANY or (low == inner.get("FromPort") and
                           (high in _ANY or high == inner.get("ToPort")))


def world_open_cidrs(permissions: Sequence[Permission]) -> list[set[str]]:
    """For each permission, its CIDRs (as written) open to the whole internet together
    with the group's other rules for the same ports (see the module doc); each set is
    empty when the permission is not open to the world."""
    opened: list[set[str]] = []
    networks = [_networks(permission) for permission in permissions]  # parsed once
    for permission, own in zip(permissions, networks, strict=True):
        together = [network for other, theirs in zip(permissions, networks, strict=True)
                    if _reaches(other, permission) for _, network in theirs] if own else []
        opened.append(
            _widest([(t, n) for t, n in own if isinstance(n, IPv4Network)],
                    [n for n in together if isinstance(n, IPv4Network)], WORLD_V4)
            | _widest([(t, n) for t, n in own if isinstance(n, IPv6Network)],
                      [n for n in together if isinstance(n, IPv6Network)], WORLD_V6))
    return opened


def _widest(own: list[tuple[str, N]], together: list[N], world: N) -> set[str]:
    """The CIDRs of ``own`` open to the world when ``together`` make it up: the widest
    only (with 0.0.0.0/0 beside it, 10.0.0.0/8 opens nothing more and is not called open);
    none when ``together`` leave part of the internet out."""
    if list(collapse_addresses(together)) != [world]:
        return set()
    return {text for text, network in own
            if not any(network != other and network.subnet_of(other) for other in together)}
