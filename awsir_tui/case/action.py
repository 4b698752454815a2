"""The account-changing calls attempted in a case: what the responder did to the account.

The call journal (:mod:`awsir_tui.case.journal`) keeps every call, but lives beside the
case, in no export. A forensic snapshot made, one that failed because the volume had
been deleted meanwhile (evidence in itself), one the responder declined or a read-only
session refused: each is an :class:`Action` of the case, which the timeline and every
export show, with who attempted it and how it ended.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from awsir_tui.case.call import CallLike, CallRecord
from awsir_tui.case.secrets import redact_text

#: Why an action is on the timeline (the timeline's "why" column).
WHY = "forensic action"


@dataclass(frozen=True, slots=True)
class Action(CallRecord):
    """One account-changing call attempted: a record of the journal (``outcome`` ``ok``,
    ``error`` with AWS's code in ``error_code``, ``declined`` by the user or ``refused``
    by a read-only session, the reason in ``error_code``; ``resource`` what it acted on,
    ``created`` what it made) and ``who``, the identity (ARN) the app worked as."""

    who: str = ""

    @classmethod
    def of(cls, call: CallLike, who: str = "") -> Action:
        """``call``, as the journal passed it on, attempted as ``who``."""
        return cls(**{f.name: getattr(call, f.name) for f in fields(CallRecord)}, who=who)

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
        """Its form in the case file (:meth:`from_saved` reads it back) and the JSON
        export."""
        return {
            "time": self.time.isoformat(), "service": self.service, "region": self.region,
            "operation": self.operation, "outcome": self.outcome,
            "error_code": self.error_code, "resource": redact_text(self.resource),
            "created": redact_text(self.created), "who": self.who,
        }

    @classmethod
    def from_saved(cls, data: dict[str, Any], time: datetime) -> Action:
        """An action from its saved form (``time`` read by the caller, as the case's
        other times are)."""
        text = {key: str(data.get(key) or "") for key in (
            "service", "region", "operation", "outcome", "error_code", "resource",
            "created", "who")}
        return cls(time=time, mutating=True, **text)
