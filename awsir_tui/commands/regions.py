"""The regions a headless command reads, when the account will not list them."""

from __future__ import annotations

from typing import TextIO

from awsir_tui.aws.context import AwsContext


def regions_or_home(ctx: AwsContext, err: TextIO) -> list[str]:
    """``--regions``, else every enabled region; when the account cannot list them
    (DescribeRegions denied to a responder's read-only role, throttled, the network
    down), the home region alone, said on ``err`` with how to name others. Event
    history, EC2 and the posture checks read region by region: failing the whole
    command for the list gave nothing where the home region's answer was at hand, as
    the app gives it."""
    from awsir_tui.aws.errors import classify

    try:
        return ctx.selected_regions()
    except Exception as exc:  # denied, throttled, no credentials, no network...
        print(f"awsir-tui: regions not listed ({classify(exc)}): reading "
              f"{ctx.home_region} only; --regions names others", file=err)
        return [ctx.home_region]
