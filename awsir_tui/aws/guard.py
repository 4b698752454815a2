"""The one choke point every AWS call passes.

Responders must be able to trust that browsing changes nothing. Rather than trusting
every caller, the guard hooks botocore's event system on each client the app makes:
before a call it refuses any operation that is not read-only unless the app was started
with actions allowed AND that very operation was permitted for this call (after the
user confirmed it); after the call it records what happened. The record never holds
request parameters, so no secret can leak into the journal: only, for a confirmed
change, the resource it acted on and the IDs AWS answered with (what it created).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

log = logging.getLogger(__name__)

#: Operation name prefixes that only read. Everything else counts as mutating.
READ_PREFIXES = ("Describe", "Get", "List", "Lookup", "Search", "Head", "Select")
#: Read-looking operations that mint credentials or change state all the same.
NOT_READ = frozenset({"GetSessionToken", "GetFederationToken", "GetAuthorizationToken"})


def is_read_only(operation: str) -> bool:
    """Whether an API operation (e.g. ``DescribeInstances``) only reads."""
    return operation.startswith(READ_PREFIXES) and operation not in NOT_READ


class ActionRefused(RuntimeError):
    """A mutating call was stopped before it left the machine."""

    def __init__(self, service: str, operation: str, reason: str) -> None:
        super().__init__(f"refused {service}:{operation}: {reason}")
        self.service = service
        self.operation = operation
        self.reason = reason


@dataclass(frozen=True, slots=True)
class AwsCall:
    """One AWS call as the journal keeps it: what, where, when, and how it ended."""

    time: datetime
    service: str
    region: str
    operation: str
    mutating: bool
    outcome: str  # "ok", "error", "refused", "declined"
    error_code: str = ""
    #: The resource a confirmed change acted on (a volume, an instance).
    resource: str = ""
    #: What it created: the IDs in AWS's answer (a snapshot, an image).
    created: str = ""


CallSink = Callable[[AwsCall], None]


@dataclass(frozen=True, slots=True)
class _Permit:
    """One confirmed change: the operation it lets through once, and what its record
    names (the resource it acts on, the key of AWS's answer that holds what it made)."""

    operation: str
    resource: str = ""
    creates: str = ""


class Guard:
    """Refuses unpermitted mutating calls and reports every call to the sinks."""

    def __init__(self, allow_actions: bool = False) -> None:
        self.allow_actions = allow_actions
        self._sinks: list[CallSink] = []
        #: Per thread: ``pending``, the permit not yet used; ``acting``, the permit whose
        #: call is on its way (taken by the call before it is sent, read when it ends).
        self._permits = threading.local()
        self._lock = threading.Lock()
        self.calls: list[AwsCall] = []

    def add_sink(self, sink: CallSink) -> None:
        """Send every future call record to ``sink`` too (e.g. the case journal)."""
        with self._lock:
            self._sinks.append(sink)

    @contextmanager
    def permit(self, operation: str, resource: str = "", creates: str = "") -> Iterator[None]:
        """Allow exactly one call of ``operation`` from this thread, inside the block;
        the journal names ``resource`` and the ID at key ``creates`` of the answer.

        Only the actions module uses this, after the user confirmed that call.
        """
        if not self.allow_actions:
            raise ActionRefused("-", operation, "actions are not allowed (see --allow-actions)")
        self._permits.pending = _Permit(operation, resource, creates)
        try:
            yield
        finally:
            self._permits.pending = self._permits.acting = None

    def _take_permit(self, operation: str) -> bool:
        """Use this thread's permit for ``operation``: True (once) when there is one."""
        pending: _Permit | None = getattr(self._permits, "pending", None)
        if pending is None or pending.operation != operation:
            return False
        self._permits.pending, self._permits.acting = None, pending
        return True

    def record_unsent(
        self, service: str, region: str, operation: str, resource: str, outcome: str, why: str
    ) -> None:
        """Journal a change that was not sent: ``declined`` by the user at its
        confirmation, or ``refused`` (a read-only session): the record shows what was
        asked for, as well as what was done."""
        self._record(service, region, operation, outcome, why, resource)

    def attach(self, client: Any, service: str, region: str) -> None:
        """Hook ``client`` so that its calls pass this guard."""
        events = client.meta.events

        def before_call(model: Any, **_: Any) -> None:
            operation = model.name
            if is_read_only(operation):
                return
            if not self.allow_actions:
                reason = "read-only session (start with --allow-actions to permit changes)"
            elif not self._take_permit(operation):
                reason = "not confirmed by the user"
            else:
                log.warning("MUTATING CALL %s:%s in %s (confirmed)", service, operation, region)
                return
            self._record(service, region, operation, "refused", "ActionRefused")
            raise ActionRefused(service, operation, reason)

        def after_call(model: Any, parsed: Any = None, **_: Any) -> None:
            error = ""
            if isinstance(parsed, dict):
                error = str(parsed.get("Error", {}).get("Code", "") or "")
            resource = created = ""
            acting: _Permit | None = getattr(self._permits, "acting", None)
            if acting is not None and acting.operation == model.name:
                self._permits.acting = None
                resource = acting.resource
                if acting.creates and isinstance(parsed, dict):
                    created = str(parsed.get(acting.creates) or "")
            self._record(
                service, region, model.name, "error" if error else "ok", error, resource, created
            )

        def after_call_error(exception: Exception | None = None, **kwargs: Any) -> None:
            # botocore sends no model with this event, only its name ("after-call-error.ec2.Op").
            operation = str(kwargs.get("event_name", "")).rsplit(".", 1)[-1]
            self._record(service, region, operation, "error", type(exception).__name__)

        events.register("before-call.*.*", before_call)
        events.register("after-call.*.*", after_call)
        events.register("after-call-error.*.*", after_call_error)

    def _record(
        self,
        service: str,
        region: str,
        operation: str,
        outcome: str,
        code: str,
        resource: str = "",
        created: str = "",
    ) -> None:
        call = AwsCall(
            time=datetime.now(UTC),
            service=service,
            region=region,
            operation=operation,
            mutating=not is_read_only(operation),
            outcome=outcome,
            error_code=code,
            resource=resource,
            created=created,
        )
        with self._lock:
            self.calls.append(call)
            sinks = list(self._sinks)
        for sink in sinks:
            try:
                sink(call)
            except Exception:  # a broken journal must never break the investigation
                log.exception("call sink failed")

