"""A filter that leaves a list empty because one term matches nothing says what that
field holds: `state:runing` gave "0 of 43" and read as "no instance is running"; a
key's name mistyped, as "no instance was launched with the attacker's key" (#5,
responder review). At 80x24 on the demo account, keys pressed."""

from __future__ import annotations

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.ec2_keys import KeyPairsView
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_ec2 import ids, loaded_list, make_app, type_filter


async def test_a_mistyped_state_or_key_says_what_the_instances_hold(demo: DemoServer) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await type_filter(pilot, "state:runing")
        await wait_for(pilot, lambda: "state:runing matches none (state: running"
                       in screen_text(app), "what state: holds")
        assert ids(app) == []

        misspelt = demo.facts.attacker_key_name.replace("-", "")
        await type_filter(pilot, f"state:running key:={misspelt}")
        await wait_for(pilot, lambda: f"key:={misspelt} matches none (key: "
                       in screen_text(app), "what key: holds")
        assert "state:running matches none" not in screen_text(app)

        # A list with rows says nothing of the kind.
        await type_filter(pilot, "state:running")
        await wait_for(pilot, lambda: ids(app) != [], "running instances")
        assert "matches none" not in screen_text(app)

        await open_view(pilot, app, "keys")
        await loaded_list(pilot, app, KeyPairsView)
        await type_filter(pilot, f"name:={misspelt}")
        await wait_for(pilot, lambda: f"name:={misspelt} matches none (name: "
                       in screen_text(app), "what name: holds")
