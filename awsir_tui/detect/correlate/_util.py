"""Small helpers the correlation modules share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from awsir_tui.events.record import Event


def principal_key(event: Event) -> str:
    """The identity a call is attributed to: its ARN, else principal ID, else access key."""
    return event.user_arn or event.principal_id or event.access_key_id or event.user_name


def time_span(items: Sequence[Event]) -> tuple[datetime | None, datetime | None]:
    if not items:
        return None, None
    times = [e.event_time for e in items]
    return min(times), max(times)


def event_ids(items: Sequence[Event]) -> tuple[str, ...]:
    """Unique event IDs in time order."""
    ordered = sorted(items, key=lambda e: e.event_time)
    return tuple(dict.fromkeys(e.event_id for e in ordered if e.event_id))
