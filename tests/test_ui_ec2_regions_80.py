""":sg and :keys at 80x24 on the demo account, as QA reviewed "every security group and
key pair of each region, used or not" (#2): each row says its region on the first
screen and still does after `l` (the Region is pinned beside the ID and name, a key
pair's name), and an instance ID under "Used by" is whole (19 characters), never cut mid-ID."""

from __future__ import annotations

import re

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_groups import SecurityGroupsView
from awsir_tui.ui.ec2_keys import KeyPairsView
from awsir_tui.ui.ec2_table import ObjectTable
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ec2 import loaded_list, make_app

REGION = re.compile(r"\b[a-z]{2}(-[a-z]+)+-\d\b")
INSTANCE_ID = re.compile(r"i-[0-9a-f]{17}")


def table_rows(app: AwsirApp) -> tuple[str, list[str]]:
    """The list's header and its rows on screen: the table's lines (under it :keys says
    the fingerprint of the row under the cursor, then the status)."""
    table = app.screen.query_one(ObjectTable)
    header, *rows = screen_text(app).splitlines()[table.region.y:table.region.bottom]
    return header, [row for row in rows if row.strip()]


def assert_regions_and_whole_ids(app: AwsirApp) -> None:
    """Every row on screen names its region, pinned beside what names the row (a key
    pair's name; a group's ID and name); every instance ID on it is whole (i- and 17
    hex digits, no … after it)."""
    header, rows = table_rows(app)
    assert "Region" in header.split()[1:3], header
    assert len(rows) > 10
    for row in rows:
        assert REGION.search(row), row
        for shown in re.findall(r"i-[0-9a-f]*\S*", row):
            assert INSTANCE_ID.fullmatch(shown), row


async def scroll_right(pilot: Pilot[object], app: AwsirApp, gone: str) -> None:
    """`l` until the column ``gone`` has scrolled off the header."""
    await pilot.press("l")
    await wait_for(pilot, lambda: gone not in table_rows(app)[0], f"{gone} scrolled away")


async def test_groups_say_their_region_and_whole_ids_at_80(demo: DemoServer) -> None:
    """:sg opened on seven ``default … UNUSED`` rows with no Region column (l twice),
    and ``1: i-f8d4b68c066…``. What is open to the world comes first, where, used by
    what; the defaults nobody uses last."""
    facts = demo.facts
    app = make_app(demo, first_view="sg")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, SecurityGroupsView)
        header, rows = table_rows(app)
        assert header.split()[:6] == ["ID", "Name", "Region", "Open", "to", "world"], header
        assert_regions_and_whole_ids(app)
        assert "tcp/22" in next(row for row in rows if row.startswith(facts.attacker_group_id))
        assert "tcp/" in rows[0] and "UNUSED" not in rows[0], rows[0]
        await scroll_right(pilot, app, "Open to world")
        assert_regions_and_whole_ids(app)
        assert any(INSTANCE_ID.search(row) for row in table_rows(app)[1]), table_rows(app)


async def test_key_pairs_say_their_region_and_whole_ids_at_80(demo: DemoServer) -> None:
    """:keys showed ``1: i-a81bad37a6a6c5…`` under "Used by", and `l` took the Region
    away while the name stayed."""
    app = make_app(demo, first_view="keys")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, KeyPairsView)
        assert_regions_and_whole_ids(app)
        # More users than one: the first's whole ID and how many more, not a cut list.
        _, rows = table_rows(app)
        assert any(re.search(r"i-[0-9a-f]{17} \+\d+\b", row) for row in rows), rows
        await scroll_right(pilot, app, "Created")
        assert_regions_and_whole_ids(app)
