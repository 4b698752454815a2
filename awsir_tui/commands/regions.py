"""The regions a headless command reads, when the account will not list them."""

from __future__ import annotations

from typing import TextIO

from awsir_tui.aws.context import AwsContext


def regions_or_home(ctx: AwsContext, err: TextIO, what: str | None = None) -> list[str]:
    """``--regions``, else every enabled region (:meth:`AwsContext.regions_to_read`,
    which the app uses too); when DescribeRegions is refused or throttled, the home
    region alone, said on ``err``. Why is kept by the context, and by each Event
    history read of those regions: an export's coverage must not call a read of one
    region COMPLETE when every region was asked. Any other failure to list them ends
    the command.

    ``what`` names what is read from the regions when that is not the whole command's
    output (the instances' addresses beside an archive's events): then the line says
    so, and does not advise ``--regions``, which would narrow the archive too.
    """
    regions, fallback = ctx.regions_to_read()
    if fallback is None:
        return regions
    home = fallback.region
    reading = (f"{what} read from {home} only" if what
               else f"reading {home} only; --regions names others")
    print(f"awsir-tui: regions not listed ({fallback.failure}): {reading}", file=err)
    return regions
