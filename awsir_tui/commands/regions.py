"""The regions a headless command reads, when the account will not list them."""

from __future__ import annotations

from typing import TextIO

from awsir_tui.aws.context import AwsContext
from awsir_tui.aws.errors import FailureKind, classify

#: The list refused to this principal (a responder's read-only role) or throttled: the
#: home region's own reads may still answer. No credentials, rejected ones or no
#: network would fail every region as they failed the list: the command ends on them.
_FALL_BACK_ON = frozenset({FailureKind.DENIED, FailureKind.THROTTLED})


def regions_or_home(ctx: AwsContext, err: TextIO, what: str | None = None) -> list[str]:
    """``--regions``, else every enabled region; when DescribeRegions is refused or
    throttled, the home region alone, said on ``err`` (see :func:`regions_and_why`)."""
    return regions_and_why(ctx, err, what)[0]


def regions_and_why(
    ctx: AwsContext, err: TextIO, what: str | None = None
) -> tuple[list[str], str]:
    """The regions to read, and why they are the home region alone ("" when they are
    what was asked): an export's coverage must not call a read of one region COMPLETE
    when every region was asked. Event history, EC2 and the posture checks read region
    by region: failing the whole command for the list gave nothing where the home
    region's answer was at hand, as the app gives it.

    ``what`` names what is read from the regions when that is not the whole command's
    output (the instances' addresses beside an archive's events): then the line says
    so, and does not advise ``--regions``, which would narrow the archive too.
    """
    try:
        return ctx.selected_regions(), ""
    except Exception as exc:
        failure = classify(exc)
        if failure.kind not in _FALL_BACK_ON:
            raise
        home = ctx.home_region
        reading = (f"{what} read from {home} only" if what
                   else f"reading {home} only; --regions names others")
        print(f"awsir-tui: regions not listed ({failure}): {reading}", file=err)
        return [home], f"regions not listed ({failure.kind.value}): {home} only"
