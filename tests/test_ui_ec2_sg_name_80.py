""":sg at 80x24 (#5): the first screen showed ``ID  Region  Open to world  Used by »``,
and a group's name (the attacker's ``sys-maint``) only after `l l`. The name comes
right after the ID, as in :keys and :instances, and stays there, with the region, as
`l` scrolls the rest; every ID stays whole."""

from __future__ import annotations

import re

from awsir_tui.demo.attack import ATTACKER_GROUP_NAME
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_groups import SecurityGroupsView
from tests.helpers_app import open_view
from tests.helpers_ec2 import loaded_list, make_app
from tests.test_ui_ec2_regions_80 import table_rows

GROUP_ID = re.compile(r"\bsg-[0-9a-f]+\S*")


def assert_whole_group_ids(rows: list[str]) -> None:
    """Every row starts with a group's whole ID (sg- and 17 hex digits, no …)."""
    for row in rows:
        shown = GROUP_ID.match(row)
        assert shown and re.fullmatch(r"sg-[0-9a-f]{17}", shown.group()), row


async def test_group_names_beside_their_ids_at_80(demo: DemoServer) -> None:
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_view(pilot, app, "sg")
        await loaded_list(pilot, app, SecurityGroupsView)
        header, rows = table_rows(app)
        assert header.split()[:3] == ["ID", "Name", "Region"], header
        assert "Open to world" in header, header
        attacker = next(row for row in rows if row.startswith(facts.attacker_group_id))
        assert attacker.split()[1] == ATTACKER_GROUP_NAME, attacker
        assert "tcp/22" in attacker, attacker
        assert_whole_group_ids(rows)
        await pilot.press("l")
        await pilot.pause()
        header, rows = table_rows(app)
        assert header.split()[:4] == ["ID", "Name", "Region", "Used"], header
        attacker = next(row for row in rows if row.startswith(facts.attacker_group_id))
        assert attacker.split()[1] == ATTACKER_GROUP_NAME, attacker
        assert facts.malicious_instance_id in attacker, attacker
        assert_whole_group_ids(rows)
        for row in rows:
            assert re.search(r"i-[0-9a-f]{17}\b|UNUSED|ENI only", row), row
