"""Logging posture: is CloudTrail recording each region, and which VPCs have no flow logs.

The guide's first advice is to check that CloudTrail and VPC Flow Logs are on before
relying on them: an attacker who stopped the trail, or a VPC that never had a flow log,
is a blind spot the responder must know about before concluding "nothing happened".

Everything here only reads (Describe/Get calls). Nothing is switched on: changing the
account is the responder's decision, so for each gap :func:`remedies` prints the AWS CLI
command they could run themselves. Each region's CloudTrail part and VPC part fail
apart (a principal may read EC2 but not CloudTrail), so a denied part is reported as
such and the other part is still shown.
"""

from __future__ import annotations

import shlex
import threading
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from typing import Any

from awsir_tui.aws.context import AwsContext
from awsir_tui.aws.errors import Failure, classify
from awsir_tui.aws.fanout import RegionOutcome, fan_out
from awsir_tui.query.times import to_datetime, utc_stamp
from awsir_tui.text import clean, count_of

#: The shell variable the printed commands take the logs' bucket from (we never guess a
#: bucket). A variable, not a ``<LOG-BUCKET>`` to replace: pasted or run as they are,
#: the commands must not turn a placeholder into a shell redirection.
BUCKET_VARIABLE = "LOG_BUCKET"
BUCKET_PLACEHOLDER = f'"${BUCKET_VARIABLE}"'


@dataclass(frozen=True, slots=True)
class TrailPosture:
    """One trail as seen from a region: where it lives, whether it records, and what."""

    name: str
    arn: str
    home_region: str
    multi_region: bool
    organization: bool
    s3_bucket: str
    log_file_validation: bool
    cloudwatch_logs: str
    #: None when the status could not be read (see ``problem``).
    is_logging: bool | None = None
    latest_delivery: datetime | None = None
    latest_delivery_error: str = ""
    management_read: bool = False
    management_write: bool = False
    #: True when the trail also records data events (S3 objects, Lambda invokes...).
    data_events: bool = False
    #: Why the status or the selectors are unknown (denied, failed...), else "".
    problem: str = ""
    #: When logging was stopped (StopLogging: often the attacker's first move), kept
    #: only while the trail is not logging; None if it never was, or AWS did not say.
    stopped_at: datetime | None = None

    def covers(self, region: str) -> bool:
        """Whether this trail records ``region``'s events."""
        return self.multi_region or self.home_region == region

    @property
    def effective(self) -> bool:
        """Logging right now and recording at least the write management events."""
        return bool(self.is_logging) and self.management_write

    @property
    def logging_said(self) -> str:
        """'logging', 'STOPPED at 2026-12-01T07:29:01Z', 'NOT LOGGING' or 'status
        unknown': when logging stopped is the incident's fact, so it is said with it."""
        if self.is_logging is None:
            return "status unknown"
        if self.is_logging:
            return "logging"
        return f"STOPPED at {utc_stamp(self.stopped_at)}" if self.stopped_at else "NOT LOGGING"


def stop_time(status: dict[str, Any]) -> datetime | None:
    """When a GetTrailStatus answer says logging stopped: StopLoggingTime (a timestamp),
    else TimeLoggingStopped (a string, empty when never stopped; AWS calls it no longer
    used, moto fills both); None when neither says."""
    return to_datetime(status.get("StopLoggingTime")) or to_datetime(
        status.get("TimeLoggingStopped")
    )


@dataclass(frozen=True, slots=True)
class VpcPosture:
    """One VPC and the flow logs that capture its traffic."""

    vpc_id: str
    name: str
    cidr: str
    is_default: bool
    #: IDs of ACTIVE flow logs attached to the VPC itself.
    flow_logs: tuple[str, ...] = ()
    #: Flow logs on some of its subnets or network interfaces only (partial view).
    partial_flow_logs: int = 0

    @property
    def covered(self) -> bool:
        return bool(self.flow_logs)


@dataclass(frozen=True, slots=True)
class RegionPosture:
    """One region's logging posture; each part may have failed on its own."""

    region: str
    trails: tuple[TrailPosture, ...] = ()
    vpcs: tuple[VpcPosture, ...] = ()
    trail_failure: Failure | None = None
    vpc_failure: Failure | None = None

    @property
    def cloudtrail_logging(self) -> bool | None:
        """Whether some trail records this region's write events now; None if unknown."""
        if self.trail_failure is not None:
            return None
        covering = [t for t in self.trails if t.covers(self.region)]
        if any(t.effective for t in covering):
            return True
        if any(t.problem for t in covering):
            return None
        return False

    @property
    def multi_region_covered(self) -> bool | None:
        """Whether a logging multi-region trail covers this region; None when the trails
        could not be read (an unread trail is not a missing one)."""
        if self.trail_failure is not None:
            return None
        return any(t.effective and t.multi_region for t in self.trails)

    @property
    def stopped_multi_region(self) -> TrailPosture | None:
        """The multi-region trail that exists but is not logging, when none logs this
        region: a stopped trail is not a missing one, and the responder needs its name
        and when it stopped (the attacker's StopLogging), not "no multi-region trail"."""
        if self.trail_failure is not None or self.multi_region_covered:
            return None
        return next((t for t in self.trails if t.multi_region and t.is_logging is False), None)

    @property
    def multi_region_word(self) -> str | None:
        """The multi-region column's word, in the app and the command alike: ``yes``,
        ``NO``, or ``stopped`` (a trail that exists but was stopped is not a missing one,
        and ``NO`` contradicted the trail the verdict names); None when the trails could
        not be read."""
        if self.stopped_multi_region is not None:
            return "stopped"
        covered = self.multi_region_covered
        return None if covered is None else ("yes" if covered else "NO")

    def multi_region_said(self) -> str:
        """The verdict's part on the multi-region trail (its trails were read)."""
        if self.multi_region_covered:
            return "multi-region trail covers it"
        stopped = self.stopped_multi_region
        if stopped is not None:
            return f"multi-region trail {stopped.name} {stopped.logging_said}"
        return "no multi-region trail"

    @property
    def unread(self) -> bool:
        """Neither the trails nor the VPCs could be read: nothing here was checked."""
        return self.trail_failure is not None and self.vpc_failure is not None

    @property
    def vpcs_without_flow_logs(self) -> list[VpcPosture]:
        return [vpc for vpc in self.vpcs if not vpc.covered]

    @property
    def has_gap(self) -> bool:
        """Anything a responder should worry about: no logging, uncovered VPCs, unknowns."""
        return (
            self.cloudtrail_logging is not True
            or self.vpc_failure is not None
            or bool(self.vpcs_without_flow_logs)
        )

    def verdict(self) -> str:
        """One line: 'CloudTrail logging: yes; multi-region trail covers it; VPCs without...'."""
        if self.trail_failure is not None:
            trail = f"CloudTrail logging: unknown ({self.trail_failure.kind.value})"
        elif self.cloudtrail_logging is None:
            trail = "CloudTrail logging: unknown (trail status or selectors unreadable)"
        else:
            trail = f"CloudTrail logging: {'yes' if self.cloudtrail_logging else 'no'}"
            trail += f"; {self.multi_region_said()}"
        if self.vpc_failure is not None:
            vpcs = f"VPCs without flow logs: unknown ({self.vpc_failure.kind.value})"
        else:
            vpcs = f"VPCs without flow logs: {len(self.vpcs_without_flow_logs)} of {len(self.vpcs)}"
        return f"{trail}; {vpcs}"


# -- event selectors ----------------------------------------------------------------
def management_coverage(answer: dict[str, Any]) -> tuple[bool, bool, bool]:
    """(management read, management write, data events) from a GetEventSelectors answer.

    Basic selectors say it with ReadWriteType/IncludeManagementEvents; advanced ones with
    field selectors on eventCategory and readOnly. A trail with no selector at all is
    taken to log all management events, which is what AWS gives a trail by default.
    """
    basic = answer.get("EventSelectors") or []
    advanced = answer.get("AdvancedEventSelectors") or []
    if not basic and not advanced:
        return True, True, False
    read = write = data = False
    for selector in basic:
        kind = selector.get("ReadWriteType", "All")
        if selector.get("IncludeManagementEvents", True):
            read = read or kind in ("All", "ReadOnly")
            write = write or kind in ("All", "WriteOnly")
        data = data or bool(selector.get("DataResources"))
    for selector in advanced:
        fields = {f.get("Field"): f for f in selector.get("FieldSelectors", [])}
        category = fields.get("eventCategory", {}).get("Equals", [])
        if "Management" not in category:
            data = data or bool(category)
            continue
        read_only = [v.lower() for v in fields.get("readOnly", {}).get("Equals", [])]
        read = read or not read_only or "true" in read_only
        write = write or not read_only or "false" in read_only
    return read, write, data


# -- CloudTrail -----------------------------------------------------------------------
class _TrailCache:
    """Status and selectors per trail ARN, so a multi-region trail is read once a scan.

    A multi-region trail shows up in every region's DescribeTrails. Only complete
    readings are shared: one region being denied must not make the trail look
    unreadable from the regions that can read it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: dict[str, TrailPosture] = {}

    def get(self, ctx: AwsContext, trail: dict[str, Any], region: str) -> TrailPosture:
        arn = str(trail.get("TrailARN", ""))
        with self._lock:
            known = self._known.get(arn)
        if known is None:
            known = _read_trail(ctx, trail, region)
            if not known.problem:
                with self._lock:
                    self._known.setdefault(arn, known)
        return known


def _ask(ctx: AwsContext, regions: list[str], method: str, **kwargs: Any) -> dict[str, Any]:
    """Call CloudTrail ``method`` in the first region of ``regions`` that answers.

    A shadow trail's status can be read from the region being scanned by its ARN; some
    endpoints (and moto) only know a trail in its home region, so that is the fallback.
    """
    error: Exception | None = None
    for region in dict.fromkeys(regions):
        try:
            answer: dict[str, Any] = getattr(ctx.client("cloudtrail", region), method)(**kwargs)
            return answer
        except Exception as exc:
            error = exc
    assert error is not None
    raise error


def _read_trail(ctx: AwsContext, trail: dict[str, Any], region: str) -> TrailPosture:
    """Status and selectors of one DescribeTrails entry (blocking)."""
    arn = str(trail.get("TrailARN", ""))
    home = str(trail.get("HomeRegion", "")) or region
    base = TrailPosture(
        name=clean(trail.get("Name", ""), 200),
        arn=clean(arn, 300),
        home_region=clean(home, 40),
        multi_region=bool(trail.get("IsMultiRegionTrail")),
        organization=bool(trail.get("IsOrganizationTrail")),
        s3_bucket=clean(trail.get("S3BucketName", ""), 200),
        log_file_validation=bool(trail.get("LogFileValidationEnabled")),
        cloudwatch_logs=clean(trail.get("CloudWatchLogsLogGroupArn", ""), 300),
    )
    problems: list[str] = []
    status: dict[str, Any] = {}
    selectors: dict[str, Any] | None = None
    try:
        status = _ask(ctx, [region, home], "get_trail_status", Name=arn)
    except Exception as exc:
        problems.append(f"status {classify(exc)}")
    try:
        selectors = _ask(ctx, [region, home], "get_event_selectors", TrailName=arn)
    except Exception as exc:
        problems.append(f"selectors {classify(exc)}")
    coverage = management_coverage(selectors) if selectors is not None else (False,) * 3
    read, write, data = coverage
    delivered = status.get("LatestDeliveryTime")
    is_logging = bool(status["IsLogging"]) if "IsLogging" in status else None
    return replace(
        base,
        is_logging=is_logging,
        stopped_at=stop_time(status) if is_logging is False else None,
        latest_delivery=delivered if isinstance(delivered, datetime) else None,
        latest_delivery_error=clean(status.get("LatestDeliveryError", ""), 200),
        management_read=read,
        management_write=write,
        data_events=data,
        problem="; ".join(problems),
    )


def _trails(ctx: AwsContext, region: str, cache: _TrailCache) -> tuple[TrailPosture, ...]:
    """Every trail that records ``region``, shadow copies of multi-region trails included."""
    answer = ctx.client("cloudtrail", region).describe_trails(includeShadowTrails=True)
    found = [cache.get(ctx, trail, region) for trail in answer.get("trailList", [])]
    return tuple(t for t in found if t.covers(region))


# -- VPC Flow Logs ------------------------------------------------------------------
def _pages(ctx: AwsContext, region: str, operation: str, key: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in ctx.client("ec2", region).get_paginator(operation).paginate():
        items.extend(page.get(key, []))
    return items


def _vpcs(ctx: AwsContext, region: str) -> tuple[VpcPosture, ...]:
    """Every VPC of ``region`` with its active flow logs (DescribeVpcs vs DescribeFlowLogs)."""
    vpcs = _pages(ctx, region, "describe_vpcs", "Vpcs")
    flow_logs = [
        log
        for log in _pages(ctx, region, "describe_flow_logs", "FlowLogs")
        if log.get("FlowLogStatus", "ACTIVE") == "ACTIVE"
    ]
    by_resource: dict[str, list[str]] = {}
    for log in flow_logs:
        by_resource.setdefault(str(log.get("ResourceId", "")), []).append(
            clean(log.get("FlowLogId", ""), 60)
        )
    subnets_by_vpc: dict[str, int] = {}
    if any(not r.startswith("vpc-") for r in by_resource):
        for subnet in _pages(ctx, region, "describe_subnets", "Subnets"):
            if subnet.get("SubnetId") in by_resource:
                vpc_id = str(subnet.get("VpcId", ""))
                subnets_by_vpc[vpc_id] = subnets_by_vpc.get(vpc_id, 0) + 1
    result = []
    for vpc in vpcs:
        vpc_id = str(vpc.get("VpcId", ""))
        tags = {t.get("Key"): t.get("Value") for t in vpc.get("Tags", []) or []}
        result.append(
            VpcPosture(
                vpc_id=clean(vpc_id, 60),
                name=clean(tags.get("Name", ""), 80),
                cidr=clean(vpc.get("CidrBlock", ""), 60),
                is_default=bool(vpc.get("IsDefault")),
                flow_logs=tuple(by_resource.get(vpc_id, ())),
                partial_flow_logs=subnets_by_vpc.get(vpc_id, 0),
            )
        )
    return tuple(sorted(result, key=lambda v: (v.covered, v.vpc_id)))


# -- the scan -------------------------------------------------------------------------
def region_posture(ctx: AwsContext, region: str, cache: _TrailCache | None = None) -> RegionPosture:
    """The posture of one region (blocking). Each part's failure is kept, never raised."""
    cache = cache or _TrailCache()
    trails: tuple[TrailPosture, ...] = ()
    vpcs: tuple[VpcPosture, ...] = ()
    trail_failure = vpc_failure = None
    try:
        trails = _trails(ctx, region, cache)
    except Exception as exc:
        trail_failure = classify(exc)
    try:
        vpcs = _vpcs(ctx, region)
    except Exception as exc:
        vpc_failure = classify(exc)
    return RegionPosture(region, trails, vpcs, trail_failure, vpc_failure)


def scan_posture(
    ctx: AwsContext, regions: Iterable[str], limit: int = 8
) -> AsyncIterator[RegionOutcome[RegionPosture]]:
    """Every region's posture in parallel, yielded as each region answers."""
    return fan_out(regions, partial(region_posture, ctx, cache=_TrailCache()), limit)


# -- what a responder could run -----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Remedy:
    """A gap and the AWS CLI command(s) that would close it. Printed, never run."""

    gap: str
    commands: tuple[str, ...] = field(default_factory=tuple)


def remedies(posture: RegionPosture) -> list[Remedy]:
    """What is missing in ``posture``'s region and how a responder could switch it on.

    Names and IDs come from AWS (an attacker may have named the trail), so every value
    is cleaned and shell-quoted: a copied command must never run more than it says.
    """
    region = shlex.quote(posture.region)
    found: list[Remedy] = []
    if posture.cloudtrail_logging is False:
        stopped = [t for t in posture.trails if t.is_logging is False]
        for trail in stopped:
            found.append(
                Remedy(
                    f"trail {trail.name} {trail.logging_said}",
                    (
                        f"aws cloudtrail start-logging --name {shlex.quote(trail.arn)} "
                        f"--region {shlex.quote(trail.home_region)}",
                    ),
                )
            )
        if not stopped:
            found.append(
                Remedy(
                    "no trail records this region",
                    (
                        "aws cloudtrail create-trail --name ir-trail --s3-bucket-name "
                        f"{BUCKET_PLACEHOLDER} --is-multi-region-trail "
                        f"--enable-log-file-validation --region {region}",
                        f"aws cloudtrail start-logging --name ir-trail --region {region}",
                    ),
                )
            )
    missing = posture.vpcs_without_flow_logs if posture.vpc_failure is None else []
    if missing:
        ids = " ".join(shlex.quote(vpc.vpc_id) for vpc in missing)
        found.append(
            Remedy(
                f"{count_of(len(missing), 'VPC')} without flow logs",
                (
                    f"aws ec2 create-flow-logs --resource-type VPC --resource-ids {ids} "
                    "--traffic-type ALL --log-destination-type s3 "
                    f"--log-destination arn:aws:s3:::{BUCKET_PLACEHOLDER} --region {region}",
                ),
            )
        )
    return found


def needs_bucket(fixes: Iterable[Remedy]) -> bool:
    return any(BUCKET_PLACEHOLDER in command for fix in fixes for command in fix.commands)


def remedy_script(postures: Sequence[RegionPosture]) -> str:
    """The commands that close the gaps of ``postures`` as one shell script: one per
    line, the gap each closes as a comment, and a first check that stops it with a clear
    message if the logs' bucket was not set (else ``arn:aws:s3:::`` with no bucket went
    to AWS). The TUI's ``y`` and the headless table print this same script; "" when
    there is no gap to close."""
    fixes = [(posture.region, fix) for posture in postures for fix in remedies(posture)]
    if not fixes:
        return ""
    regions = list(dict.fromkeys(region for region, _ in fixes))
    where = clean(regions[0], 40) if len(regions) == 1 else f"{len(regions)} regions"
    lines = [
        "#!/bin/sh",
        f"# To close the logging gaps of {where}. These change the account:",
        "# awsir-tui never runs them. Read each one first.",
        "set -eu",
    ]
    if needs_bucket(fix for _, fix in fixes):
        lines.append(
            f': "${{{BUCKET_VARIABLE}:?set {BUCKET_VARIABLE} to the S3 bucket '
            'that is to receive the logs}"'
        )
    # A multi-region trail stopped is every region's gap, closed by one start-logging:
    # written once (17 times before), each region's gap still named.
    written: set[tuple[str, ...]] = set()
    for region, fix in fixes:
        again = fix.commands in written
        lines.append(f"# {clean(region, 40)}: {clean(fix.gap, 120)}"
                     + (" (the command above)" if again else ""))
        if not again:
            lines += [clean(command) for command in fix.commands]
            written.add(fix.commands)
    return "\n".join(lines) + "\n"
