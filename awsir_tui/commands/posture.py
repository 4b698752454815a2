"""`awsir-tui posture`: the logging posture of each region, headless.

The same check as the `:posture` view, for a script or a first look over a slow link:
per region, whether CloudTrail records it, whether a multi-region trail covers it, and
how many VPCs have no flow log. The table ends with the shell script that would close
the gaps, the one the view's ``y`` copies, as text: this command only reads. JSON keeps
every detail (trails, selectors, VPCs). A region that could not be read is one line on
stderr; the exit status is 0 if every region's trails and VPCs were read, 3 if some of
them were not, 1 if none were.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import asdict
from typing import Any, TextIO

from awsir_tui.aws.context import AwsContext
from awsir_tui.aws.fanout import RegionOutcome
from awsir_tui.aws.posture import RegionPosture, remedies, remedy_script, scan_posture
from awsir_tui.cli import Options, connect
from awsir_tui.commands.output import Column, Fit, answered_status, write
from awsir_tui.commands.regions import regions_or_home


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "NO")


def _multi_region(posture: RegionPosture) -> str:
    """yes, NO, stopped (:attr:`RegionPosture.multi_region_word`), or unknown."""
    return posture.multi_region_word or "unknown"


COLUMNS: list[Column] = [
    ("region", lambda p: p.region),
    ("cloudtrail_logging", lambda p: _yes_no(p.cloudtrail_logging)),
    ("multi_region_trail", _multi_region),
    ("trails", lambda p: ", ".join(t.name for t in p.trails)),
    ("vpcs_without_flow_logs", lambda p: len(p.vpcs_without_flow_logs)),
    ("vpcs", lambda p: len(p.vpcs)),
    ("verdict", lambda p: p.verdict()),
]
#: The verdict is prose, cut to fit a terminal; trail names are shown whole.
TEXT_FITS = {"verdict": Fit(24, 240)}


def as_json(posture: RegionPosture) -> dict[str, Any]:
    """Everything known about one region, plus the verdict and the printed remedies."""
    document = asdict(posture)
    document["cloudtrail_logging"] = posture.cloudtrail_logging
    document["multi_region_covered"] = posture.multi_region_covered
    document["multi_region_trail"] = _multi_region(posture)
    document["verdict"] = posture.verdict()
    document["remedies"] = [asdict(fix) for fix in remedies(posture)]
    return document


async def _collect(ctx: AwsContext, regions: list[str]) -> list[RegionOutcome[RegionPosture]]:
    return [outcome async for outcome in scan_posture(ctx, regions)]


def run(options: Options, out: TextIO) -> int:
    """Print every selected region's posture; see the module doc."""
    with connect(options) as ctx:
        assert isinstance(ctx, AwsContext)
        regions = regions_or_home(ctx, sys.stderr)
        outcomes = asyncio.run(_collect(ctx, regions))
    order = {region: index for index, region in enumerate(regions)}
    found: list[RegionPosture] = []
    failed = int(bool(ctx.unlisted(regions)))  # the regions not listed, not checked
    for outcome in sorted(outcomes, key=lambda o: order[o.region]):
        if outcome.value is None:
            print(f"awsir-tui: {outcome.region}: {outcome.failure}", file=sys.stderr)
            failed += 1
            continue
        failures = [f for f in (outcome.value.trail_failure, outcome.value.vpc_failure) if f]
        for failure in failures:
            print(f"awsir-tui: {outcome.region}: {failure}", file=sys.stderr)
        failed += bool(failures)
        found.append(outcome.value)
    write(found, COLUMNS, options.format, out, raw=as_json, fits=TEXT_FITS)
    script = remedy_script(found) if options.format == "table" else ""
    if script:
        out.write("\n" + script)
    return answered_status(sum(not p.unread for p in found), failed)
