"""At 80x24 an ID or an ARN is never broken across screen lines where it fits on one:
copied off the terminal (over SSH, the usual way), a value broken at the edge pasted as
two. A value too long to sit beside its label goes whole on the lines under it; only one
longer than a line is broken, after a space, ``/`` or ``:``."""

from __future__ import annotations

import re

from awsir_tui.demo.server import DemoServer
from tests.helpers_app import screen_text
from tests.helpers_ec2 import make_app, open_edge_proxy, sheet

#: A line that ends inside an instance ID: ``i-`` and fewer than its 17 hex digits.
CUT_ID = re.compile(r"\bi-[0-9a-f]{0,16}$")


def cut_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if CUT_ID.search(line.rstrip())]


async def test_the_profile_arn_is_whole_on_one_line_of_the_instance_page(
    demo: DemoServer,
) -> None:
    """It showed ``…:instance-profile/edge-pro`` and ``xy-profile`` under it."""
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_edge_proxy(pilot, app)
        profile = next(row for row in sheet(app) if row.startswith("Profile "))
        arn = profile.removeprefix("Profile ")
        assert arn.startswith("arn:aws:iam::") and arn.endswith("/edge-proxy-profile"), arn
        text = screen_text(app)
        assert any(arn in line for line in text.splitlines()), text
        assert not cut_lines(text), text
