"""An instance its page read again replaces the inventory's cached one (the demo over
HTTP): a new list, so that a worker holding the old one (the groups' users being
counted) is not changed under it, and the one EC2 no longer has is taken out."""

from __future__ import annotations

from awsir_tui.aws.inventory import Inventory, Kind
from awsir_tui.demo.server import DemoServer
from tests.helpers_app import demo_context
from tests.helpers_ec2 import launch


def test_read_again_replaces_or_takes_out_the_instance_in_a_new_list(
    demo: DemoServer,
) -> None:
    region = demo.facts.proxy_region
    instance_id = launch(demo, region)
    inventory = Inventory(demo_context(demo), [region])
    before = inventory.fetch(Kind.INSTANCES, region)
    assert [i["State"]["Name"] for i in before if i["InstanceId"] == instance_id] == ["running"]
    changes = inventory.changes

    demo.client("ec2", region).terminate_instances(InstanceIds=[instance_id])
    read = demo.client("ec2", region).describe_instances(InstanceIds=[instance_id])
    inventory.read_again(region, instance_id, read["Reservations"][0]["Instances"][0])
    after = inventory.cached_in(Kind.INSTANCES, region)
    assert after is not None and after is not before
    assert [i["State"]["Name"] for i in after if i["InstanceId"] == instance_id] == [
        "terminated"]
    assert all(i["Region"] == region for i in after)
    assert len(after) == len(before) and inventory.changes == changes + 1
    # The list a worker still holds is as it was.
    assert [i["State"]["Name"] for i in before if i["InstanceId"] == instance_id] == ["running"]

    inventory.read_again(region, instance_id, None)  # EC2 no longer returns it
    gone = inventory.cached_in(Kind.INSTANCES, region)
    assert gone is not None and instance_id not in {i["InstanceId"] for i in gone}
    assert len(gone) == len(before) - 1

    inventory.read_again(region, "i-0ffffffffffffffff", None)  # never listed: no change
    assert inventory.cached_in(Kind.INSTANCES, region) is gone
    assert inventory.changes == changes + 2
