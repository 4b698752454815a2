"""How a finding's calls ended, and what a rule's finding says when none of them worked.

A rule's title says what was done ("Account left or was removed from its AWS
Organization"); the responder reads its first words and acts on them. When every call
of the finding failed, nothing was done: the title must say it was an attempt, first.
:meth:`~awsir_tui.detect.sigma_rules.CompiledRule.outcome_for` is the one place that
decides it, for the findings and the events table's marker alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from awsir_tui.detect.finding import SEVERITIES, severity_rank
from awsir_tui.events.record import Event
from awsir_tui.refusals import REFUSED_CODES
from awsir_tui.text import clean

#: How many distinct error codes a detail names before ``+N more``.
_CODES_NAMED = 3


class Verdict(NamedTuple):
    """What a rule says of the calls it matched: its title, or an attempt's, and the
    level the finding ranks at (and the events table marks a call with)."""

    title: str
    severity: str


def all_failed(events: Sequence[Event]) -> bool:
    """Whether ``events`` are some calls and every one of them failed (an error code)."""
    return bool(events) and all(e.error_code for e in events)


def attempt_title(title: str, denied: bool) -> str:
    """``Denied attempt: <title>`` when every call was refused, for want of permission
    or of credentials AWS accepts (``denied``: :func:`all_denied`), ``Failed attempt:
    <title>`` when they failed otherwise (a quota, a bad parameter): the first words say
    that what the title names did not happen."""
    return f"{'Denied' if denied else 'Failed'} attempt: {title}"


def all_denied(events: Sequence[Event]) -> bool:
    """Whether ``events`` are some calls and every one was refused
    (:data:`~awsir_tui.refusals.REFUSED_CODES`): not allowed (``AccessDenied``), or
    signed with credentials AWS did not accept (``InvalidClientTokenId``,
    ``ExpiredToken``). A revoked key or a session that ran out does nothing either."""
    return bool(events) and all(e.error_code in REFUSED_CODES for e in events)


def attempt_severity(severity: str) -> str:
    """A rule's severity for calls that were all refused: one level lower, never below
    low (a high rule's denied attempt is medium, a medium rule's low).

    SigmaHQ's CloudTrail rules for a change (flow logs deleted, GuardDuty detector
    deleted) match only ``errorCode`` Success or null, and Elastic's and Panther's
    require a successful outcome: what was done is what they rank. A denied attempt is
    still an attacker probing what stolen credentials can do, so it stays a finding and
    sorts below the same thing done; many denials together are a finding of their own
    (the denied-calls burst). A key AWS rejects (revoked, expired) is refused the same
    way and ranks the same. Only a refusal lowers it: a call failed for a quota
    (``VcpuLimitExceeded``), a dry run (``Client.DryRunOperation``) or a bad parameter
    got past the permission check, so the credentials can do it, and it keeps its
    rule's level.
    """
    rank = severity_rank(severity)
    return SEVERITIES[rank - 1] if rank > 1 else severity


def failures(events: Sequence[Event]) -> str:
    """``, all failed (AccessDenied)`` or ``, 5 failed (VcpuLimitExceeded)``; ``""`` when
    every call worked."""
    codes = list(dict.fromkeys(e.error_code for e in events if e.error_code))
    if not codes:
        return ""
    count = sum(1 for e in events if e.error_code)
    named = ", ".join(clean(c, 60) for c in codes[:_CODES_NAMED])
    if len(codes) > _CODES_NAMED:
        named += f" (+{len(codes) - _CODES_NAMED} more)"
    if len(events) == 1:
        return f", failed ({named})"
    return f", {'all' if count == len(events) else count} failed ({named})"
