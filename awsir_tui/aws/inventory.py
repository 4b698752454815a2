"""The EC2 inventory of the selected regions: cached, fanned out, each region's state kept.

Views and headless commands ask the inventory, not EC2: it runs every region at once
(one slow or denied region holds nobody up), hands each region's rows over as soon as
that region answers, remembers them so that going back to a view costs nothing, and
records each region's state (loading, count, denied, throttled, failed and why) for the
regions view. Reverse pivots ("every instance using this key / group / profile") are
answered from the same cache across all selected regions.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

from awsir_tui.aws import ec2
from awsir_tui.aws.context import AwsContext
from awsir_tui.aws.ec2 import AwsObject
from awsir_tui.aws.errors import Failure, FailureKind
from awsir_tui.aws.fanout import RegionOutcome, fan_out
from awsir_tui.query import quote
from awsir_tui.text import count_of


class Kind(StrEnum):
    """What the inventory lists; the value is the headless subcommand's name."""

    INSTANCES = "instances"
    SECURITY_GROUPS = "security-groups"
    KEY_PAIRS = "key-pairs"


class RegionStatus(StrEnum):
    LOADING = "loading"
    OK = "ok"
    DENIED = "denied"
    THROTTLED = "throttled"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class RegionState:
    """One region's state for one kind: what the regions view shows."""

    region: str
    status: RegionStatus
    count: int = 0
    reason: str = ""
    #: What kind of failure (``no credentials``, ``timeout``, ``unreachable``...): the
    #: status says only FAILED for all of those, and each wants a different remedy.
    kind: str = ""

    @property
    def summary(self) -> str:
        """``15``, ``loading``, ``denied (why)``, ``no credentials (why)``: the state
        without the region's name."""
        if self.status is RegionStatus.OK:
            return str(self.count)
        label = self.kind or self.status.value
        if self.reason:
            return f"{label} ({self.reason})"
        return label

    def __str__(self) -> str:
        return f"{self.region}: {self.summary}"


def state_of(outcome: RegionOutcome[list[AwsObject]]) -> RegionState:
    """The region state an outcome leaves behind."""
    if outcome.failure is None:
        return RegionState(outcome.region, RegionStatus.OK, len(outcome.value or []))
    failure = outcome.failure
    return RegionState(
        outcome.region, status_of(failure), reason=failure.message, kind=failure.kind.value
    )


def status_of(failure: Failure) -> RegionStatus:
    if failure.kind in (FailureKind.DENIED, FailureKind.REJECTED):
        return RegionStatus.DENIED
    if failure.kind is FailureKind.THROTTLED:
        return RegionStatus.THROTTLED
    return RegionStatus.FAILED


class Inventory:
    """Per-region cache of instances, security groups and key pairs of ``regions``.

    Blocking reads (:meth:`fetch`) are safe from many threads at once: a region being
    read by one thread is waited for, not read twice.
    """

    def __init__(self, ctx: AwsContext, regions: Sequence[str], limit: int = 16) -> None:
        self.ctx = ctx
        self.regions = list(regions)
        self.limit = limit
        self._cache: dict[tuple[Kind, str], list[AwsObject]] = {}
        self._states: dict[tuple[Kind, str], RegionState] = {}
        self._locks: dict[tuple[Kind, str], threading.Lock] = {}
        self._lock = threading.Lock()
        #: How many times :meth:`read_again` changed a cached list: a view showing one
        #: draws its rows again when it comes back (:class:`Ec2ListView`).
        self.changes = 0

    # --- state --------------------------------------------------------------------

    def states(self, kind: Kind) -> list[RegionState]:
        """Each selected region's state for ``kind`` (LOADING until it answered)."""
        with self._lock:
            return [
                self._states.get((kind, region), RegionState(region, RegionStatus.LOADING))
                for region in self.regions
            ]

    def cached(self, kind: Kind) -> list[AwsObject]:
        """Everything already known for ``kind`` in the selected regions (no I/O)."""
        with self._lock:
            return [
                item
                for region in self.regions
                for item in self._cache.get((kind, region), [])
            ]

    def forget(self, kind: Kind | None = None) -> None:
        """Drop cached results (of one kind, or all) so the next read asks AWS again.

        Groups and key pairs derive ``UsedBy`` from instances, so refreshing them
        refreshes instances too.
        """
        kinds = set(Kind) if kind is None else {kind, Kind.INSTANCES}
        with self._lock:
            for key in [key for key in self._cache if key[0] in kinds]:
                del self._cache[key]
            for key in [key for key in self._states if key[0] in kinds]:
                del self._states[key]

    def cached_in(self, kind: Kind, region: str) -> list[AwsObject] | None:
        """``kind`` in ``region`` as cached now (no I/O); None when not read yet."""
        with self._lock:
            return self._cache.get((kind, region))

    def read_again(self, region: str, instance_id: str, instance: AwsObject | None) -> None:
        """An instance its page read again (`r`, or after F/I): put in the cached list in
        place of what the list read before; ``None`` (EC2 no longer has it) takes it out.
        A terminated instance stayed "running" in :instances, beside its page saying
        "terminated", until the list's own `r`. A new list replaces the cached one (a
        worker building the groups' users from the old one is not changed under it);
        the lists showing it take the new one when they come back (:attr:`changes`).
        The lists of groups and key pairs count their users when read: they keep theirs."""
        with self._lock:
            key = (Kind.INSTANCES, region)
            cached = self._cache.get(key)
            if cached is None or all(i.get("InstanceId") != instance_id for i in cached):
                return
            if instance is None:
                fresh = [item for item in cached if item.get("InstanceId") != instance_id]
            else:
                read = {**instance, "Region": region}
                fresh = [read if item.get("InstanceId") == instance_id else item
                         for item in cached]
            self._cache[key] = fresh
            self.changes += 1

    # --- reads --------------------------------------------------------------------

    def _read(self, kind: Kind, region: str) -> list[AwsObject]:
        if kind is Kind.INSTANCES:
            return ec2.instances(self.ctx, region)
        region_instances = self.fetch(Kind.INSTANCES, region)
        if kind is Kind.SECURITY_GROUPS:
            return ec2.security_groups(self.ctx, region, region_instances)
        return ec2.key_pairs(self.ctx, region, region_instances)

    def fetch(self, kind: Kind, region: str) -> list[AwsObject]:
        """``kind`` in ``region`` from the cache, else from AWS (blocking)."""
        key = (kind, region)
        with self._lock:
            region_lock = self._locks.setdefault(key, threading.Lock())
        with region_lock:
            with self._lock:
                if key in self._cache:
                    return self._cache[key]
            items = self._read(kind, region)
            with self._lock:
                self._cache[key] = items
            return items

    def _record(self, kind: Kind, outcome: RegionOutcome[list[AwsObject]]) -> None:
        with self._lock:
            self._states[(kind, outcome.region)] = state_of(outcome)

    async def stream(
        self, kind: Kind, refresh: bool = False
    ) -> AsyncIterator[RegionOutcome[list[AwsObject]]]:
        """Each selected region's outcome for ``kind``, as soon as that region answers.

        Cached regions answer at once; the rest run concurrently. Every outcome is also
        recorded in :meth:`states`.
        """
        if refresh:
            self.forget(kind)

        def work(region: str) -> list[AwsObject]:
            return self.fetch(kind, region)

        async for outcome in fan_out(self.regions, work, self.limit):
            self._record(kind, outcome)
            yield outcome

    async def load(self, kind: Kind, refresh: bool = False) -> list[RegionOutcome[list[AwsObject]]]:
        """All regions' outcomes for ``kind`` (for callers that need the whole picture)."""
        return [outcome async for outcome in self.stream(kind, refresh)]

    # --- reverse pivots -------------------------------------------------------------

    async def pivot(self, pivot: Pivot) -> list[AwsObject]:
        """Every instance in the selected regions that ``pivot`` matches (failed regions
        are left out; their state says why)."""
        found: list[AwsObject] = []
        async for outcome in self.stream(Kind.INSTANCES):
            found.extend(item for item in outcome.value or [] if pivot.matches(item))
        return found


@dataclass(frozen=True, slots=True)
class Pivot:
    """"Instances that share X": by key name, security group ID, or instance profile ARN.

    A key pair is named per region, but an attacker importing the same key in several
    regions usually keeps its name, so a key pivot matches the name in every region.
    """

    field: str  # "key", "group" or "profile"
    value: str

    @property
    def label(self) -> str:
        """For the breadcrumb, in the instances filter's own terms, the filter that
        lists the same instances (``sg:=sg-1``, ``key:=ops``): ``group=sg-1`` read as a
        filter, and typed as one it was refused. A profile by its name (the end of its
        ARN, which 80 columns would cut before the name: ``profile:`` matches it too)."""
        return f"{PIVOT_FIELDS[self.field]}:={quote(self.named)}"

    @property
    def named(self) -> str:
        """The value as a responder names it: a profile by its name, not its ARN."""
        return self.value.rsplit("/", 1)[-1] if self.field == "profile" else self.value

    def scope(self, selected: Collection[str], enabled: Collection[str]) -> str:
        """What a list of this pivot's instances must say it spans, '' when nothing: the
        key pivot matches the key's name, and the profile pivot the account-wide ARN, in
        each ``selected`` region, where instances of any region may have them (a key
        pair's "used by" counts its own region's; a group ID names one region's group).
        Where the account has ``enabled`` regions not selected (empty: not known), it
        says they were not searched: "every region" over one selected, or nothing, read
        as the key or profile being nowhere else."""
        searched = SCOPE_NOUNS.get(self.field)
        if searched is None:
            return ""
        if not enabled:
            return f"{searched} searched in the {count_of(len(selected), 'selected region')}"
        every = set(enabled) | set(selected)
        if every <= set(selected):
            return f"{searched} matched in every region"
        return f"{searched} searched in {len(selected)} of {count_of(len(every), 'region')}"

    def matches(self, instance: AwsObject) -> bool:
        return PIVOT_TESTS[self.field](instance, self.value)


def _has_key(instance: AwsObject, name: str) -> bool:
    return instance.get("KeyName") == name


def _has_group(instance: AwsObject, group_id: str) -> bool:
    return any(g.get("GroupId") == group_id for g in instance.get("SecurityGroups", []))


def _has_profile(instance: AwsObject, arn: str) -> bool:
    return instance.get("IamInstanceProfile", {}).get("Arn") == arn


#: The instances filter's field (awsir_tui.query.fields.INSTANCE_FIELDS) for each kind
#: of pivot.
PIVOT_FIELDS = {"key": "key", "group": "sg", "profile": "profile"}

#: What :meth:`Pivot.scope` says was searched, for the pivots whose value is not one
#: region's (a key pair's name may be imported anywhere, a profile's ARN is the account's).
SCOPE_NOUNS = {"key": "key name", "profile": "profile"}

PIVOT_TESTS: dict[str, Callable[[AwsObject, str], bool]] = {
    "key": _has_key,
    "group": _has_group,
    "profile": _has_profile,
}
