"""One AWS call as the case keeps it: the journal's record (:mod:`awsir_tui.case.journal`),
and the account-changing calls of the case (:class:`awsir_tui.case.action.Action`) that
are such records. Apart from the journal, which imports the case's model, so that the
model can hold its actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from awsir_tui.case.secrets import redact_text


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One AWS API call: when, where, what, whether it could change the account, and how
    it ended (``outcome`` e.g. ``ok``, ``error``, ``refused``; ``error_code`` from AWS)."""

    time: datetime
    service: str
    region: str
    operation: str
    mutating: bool
    outcome: str
    error_code: str = ""
    resource: str = ""
    created: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> CallRecord:
        time = data.get("time")
        if not isinstance(time, str):
            raise ValueError("time is missing")
        parsed = datetime.fromisoformat(time)
        return cls(
            time=parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC),
            service=str(data.get("service", "")),
            region=str(data.get("region", "")),
            operation=str(data.get("operation", "")),
            mutating=bool(data.get("mutating", False)),
            outcome=str(data.get("outcome", "")),
            error_code=str(data.get("error_code", "")),
            resource=str(data.get("resource", "")),
            created=str(data.get("created", "")),
        )


class CallLike(Protocol):
    """Anything with a call record's fields: :class:`CallRecord`, or the guard's own
    record type, so that ``guard.add_sink(journal.record)`` works as it is."""

    @property
    def time(self) -> datetime: ...
    @property
    def service(self) -> str: ...
    @property
    def region(self) -> str: ...
    @property
    def operation(self) -> str: ...
    @property
    def mutating(self) -> bool: ...
    @property
    def outcome(self) -> str: ...
    @property
    def error_code(self) -> str: ...
    @property
    def resource(self) -> str: ...
    @property
    def created(self) -> str: ...


def call_line(call: CallLike) -> dict[str, object]:
    """The journal line for a call: its fields only (never request parameters)."""
    return {
        "time": call.time.isoformat(),
        "service": call.service,
        "region": call.region,
        "operation": call.operation,
        "mutating": bool(call.mutating),
        "outcome": redact_text(call.outcome),
        "error_code": call.error_code,
        **({"resource": redact_text(call.resource)} if call.resource else {}),
        **({"created": redact_text(call.created)} if call.created else {}),
    }
