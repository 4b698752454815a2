"""Detections a single-event rule cannot express, one small module each.

Each is a callable ``(events: Sequence[Event]) -> list[Finding]`` with a ``rule_id``;
:func:`default_correlations` builds the set the detector runs. Unlike a rule's title
(see :mod:`awsir_tui.detect.outcome`), a correlation's holds when every call failed:
a stolen key used from elsewhere was used even if refused, a burst of denials is
failures by definition, and a new caller did call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from awsir_tui.detect.addresses import OwnAddresses
from awsir_tui.detect.correlate.credential_theft import InstanceCredentialTheft
from awsir_tui.detect.correlate.denied_burst import DeniedBurst
from awsir_tui.detect.correlate.first_seen_caller import FirstSeenCallerIdentity
from awsir_tui.detect.finding import Finding
from awsir_tui.events.record import Event


class Correlation(Protocol):
    rule_id: str

    def __call__(self, events: Sequence[Event]) -> list[Finding]: ...


def default_correlations(
    known_ips: Mapping[str, OwnAddresses] | None = None,
) -> list[Correlation]:
    """The built-in correlations; ``known_ips`` maps instance IDs to their own addresses
    (and since when they hold)."""
    return [InstanceCredentialTheft(known_ips), DeniedBurst(), FirstSeenCallerIdentity()]


__all__ = [
    "Correlation",
    "DeniedBurst",
    "FirstSeenCallerIdentity",
    "InstanceCredentialTheft",
    "default_correlations",
]
