"""The account-changing calls attempted in a case: what the responder did to the account.

The call journal (:mod:`awsir_tui.case.journal`) keeps every call, but lives beside the
case, in no export. A forensic snapshot made, one that failed because the volume had
been deleted meanwhile (evidence in itself), one the responder declined or a read-only
session refused: each is an :class:`Action` of the case, which the timeline and every
export show, with who attempted it and how it ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from awsir_tui.case.secrets import redact_text

if TYPE_CHECKING:  # the journal's module imports the case's model, which imports this
    from awsir_tui.case.journal import CallLike


#: Why an action is on the timeline (the timeline's "why" column).
WHY = "forensic action"


@dataclass(frozen=True, slots=True)
class Action:
    """One account-changing call attempted: ``outcome`` ``ok``, ``error`` (AWS's code in
    ``error_code``), ``declined`` (by the user) or ``refused`` (a read-only session;
    the reason in ``error_code``); ``resource`` what it acted on, ``created`` what it
    made, ``who`` the identity (ARN) the app worked as."""

    time: datetime
    service: str
    region: str
    operation: str
    outcome: str
    error_code: str = ""
    resource: str = ""
    created: str = ""
    who: str = ""

    @classmethod
    def of(cls, call: CallLike, who: str = "") -> Action:
        return cls(call.time, call.service, call.region, call.operation, call.outcome,
                   call.error_code, call.resource, call.created, who)

    @property
    def outcome_text(self) -> str:
        """``ok``, the error code of a failed call, ``declined`` or ``refused``."""
        if self.outcome == "error":
            return self.error_code or "error"
        return self.outcome

    @property
    def what(self) -> str:
        """What it acted on and made first, then the call: two snapshots of one run
        differ in their first characters (``vol-1 → snap-1 (CreateSnapshot)``)."""
        made = f" → {self.created}" if self.created else ""
        return f"{self.resource or '-'}{made} ({self.operation})"

    @property
    def text(self) -> str:
        """The action in one sentence, as a note would say it: ``forensic CreateSnapshot
        of vol-… in eu-west-1: FAILED InvalidVolume.NotFound``."""
        of = f" of {self.resource}" if self.resource else ""
        head = f"forensic {self.operation}{of} in {self.region}: "
        if self.outcome == "ok":
            return head + f"ok, created {self.created or 'nothing reported'}"
        if self.outcome == "error":
            return head + f"FAILED {self.error_code or 'error'}"
        why = f" ({self.error_code})" if self.error_code else ""
        return head + f"{self.outcome.upper()}{why}"

    def to_dict(self) -> dict[str, str]:
        return {
            "time": self.time.isoformat(), "service": self.service, "region": self.region,
            "operation": self.operation, "outcome": self.outcome,
            "error_code": self.error_code, "resource": redact_text(self.resource),
            "created": redact_text(self.created), "who": self.who,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], time: datetime) -> Action:
        """An action from its saved form (``time`` read by the caller, as the case's
        other times are)."""
        return cls(time, *(str(data.get(key) or "") for key in (
            "service", "region", "operation", "outcome", "error_code", "resource",
            "created", "who")))
