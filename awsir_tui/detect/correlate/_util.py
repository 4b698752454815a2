"""Small helpers the correlation modules share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from awsir_tui.detect.observed import Observed


def principal_key(observed: Observed) -> str:
    """The identity a call is attributed to: its ARN, else principal ID, else access key."""
    event = observed.event
    return event.user_arn or event.principal_id or event.access_key_id or event.user_name


def time_span(items: Sequence[Observed]) -> tuple[datetime | None, datetime | None]:
    if not items:
        return None, None
    times = [o.event.event_time for o in items]
    return min(times), max(times)


def event_ids(items: Sequence[Observed]) -> tuple[str, ...]:
    """Unique event IDs in time order."""
    ordered = sorted(items, key=lambda o: o.event.event_time)
    return tuple(dict.fromkeys(o.event.event_id for o in ordered if o.event.event_id))
