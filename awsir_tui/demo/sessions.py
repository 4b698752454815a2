"""Instance-role sessions: which ``ASIA`` key an instance held at any moment.

EC2 refreshes an instance's role credentials about every six hours by calling
``sts:AssumeRole`` with the instance ID as session name. Both the background (the
instance's own calls, the AssumeRole records) and the attack (the stolen key) must agree
on these keys, so they come from one schedule.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from awsir_tui.demo.records import access_key

REFRESH = timedelta(hours=6)


@dataclass(frozen=True)
class Session:
    """One set of instance credentials: when EC2 issued it and its access key ID."""

    issued: datetime
    key_id: str


def schedule(rng: random.Random, since: datetime, until: datetime, offset_minutes: int
             ) -> list[Session]:
    """Sessions from ``since`` to ``until``, issued every ``REFRESH`` at a per-instance offset."""
    first = since.replace(minute=0, second=0, microsecond=0) + timedelta(minutes=offset_minutes)
    out = []
    when = first
    while when < until:
        out.append(Session(when, access_key(rng, "ASIA")))
        when += REFRESH
    return out


def current(sessions: list[Session], when: datetime) -> Session:
    """The session in force at ``when`` (the last issued at or before it)."""
    live = [s for s in sessions if s.issued <= when]
    return live[-1] if live else sessions[0]
