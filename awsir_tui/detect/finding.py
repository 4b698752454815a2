"""What every detection produces, whether a Sigma rule or a correlation in code.

One shape for both lets the findings view, the events table's marker column, the case
file and the report treat them alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

#: Sigma's own levels, lowest first; ``severity_rank`` orders findings by them.
SEVERITIES: tuple[str, ...] = ("informational", "low", "medium", "high", "critical")


def severity_rank(severity: str) -> int:
    """0 for informational up to 4 for critical (unknown values rank as informational)."""
    try:
        return SEVERITIES.index(severity)
    except ValueError:
        return 0


@dataclass(frozen=True, slots=True)
class Finding:
    """A detection result: which rule, how bad, which ATT&CK technique, which events.

    ``event_ids`` are CloudTrail ``eventID`` values (a tuple, so findings are hashable);
    ``summary`` is one line for a table, ``detail`` the longer explanation.
    """

    rule_id: str
    title: str
    severity: str
    technique: str
    event_ids: tuple[str, ...]
    summary: str
    detail: str = ""
    first_time: datetime | None = None
    last_time: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "title": self.title,
            "severity": self.severity,
            "technique": self.technique,
            "event_ids": list(self.event_ids),
            "summary": self.summary,
            "detail": self.detail,
            "first_time": self.first_time.isoformat() if self.first_time else None,
            "last_time": self.last_time.isoformat() if self.last_time else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        def when(value: object) -> datetime | None:
            if not isinstance(value, str):
                return None
            try:
                return datetime.fromisoformat(value)
            except ValueError:
                return None

        severity = str(data.get("severity", "informational"))
        return cls(
            rule_id=str(data.get("rule_id", "")),
            title=str(data.get("title", "")),
            severity=severity if severity in SEVERITIES else "informational",
            technique=str(data.get("technique", "")),
            event_ids=tuple(str(e) for e in data.get("event_ids") or []),
            summary=str(data.get("summary", "")),
            detail=str(data.get("detail", "")),
            first_time=when(data.get("first_time")),
            last_time=when(data.get("last_time")),
        )
