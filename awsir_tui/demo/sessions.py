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


def schedule(seed: str, since: datetime, latest: datetime) -> list[Session]:
    """Sessions issued every ``REFRESH``, the newest at ``latest``, back to ``since``.

    Keys are drawn newest first from a generator seeded with ``seed``, so the keys that
    matter (the recent ones, the stolen one) are the same on every run, whatever the
    time of day the demo starts at. Returned oldest first.
    """
    rng = random.Random(seed)
    out: list[Session] = []
    when = latest
    while when >= since or not out:
        out.append(Session(when, access_key(rng, "ASIA")))
        when -= REFRESH
    out.reverse()
    return out


def current(sessions: list[Session], when: datetime) -> Session:
    """The session in force at ``when`` (the last issued at or before it)."""
    live = [s for s in sessions if s.issued <= when]
    return live[-1] if live else sessions[0]
