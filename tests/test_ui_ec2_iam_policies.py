"""An instance role's policy documents, opened from the instance's details by keys
(Textual Pilot, 80x24, the demo account): what the stolen credentials could do."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Tree

from awsir_tui.app import AwsirApp
from awsir_tui.aws.iam import statements
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_details import InstanceDetailsView
from awsir_tui.ui.iam_views import RoleView, wildcard_text
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ec2 import make_app, open_instance_details, sheet
from tests.helpers_iam import deny_iam, open_policy, open_role


async def back_to_details(pilot: Pilot[int], app: AwsirApp,
                          view: type = InstanceDetailsView) -> None:
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, view), "details again")


async def test_the_role_page_has_every_field_and_opens_its_policies(demo: DemoServer) -> None:
    """"Every field of this object" showed five made-up ones (no trust policy, ID, path,
    session length), and Enter on a policy there did nothing."""
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, facts.proxy_instance_id)
        await open_role(pilot, app)
        rows = sheet(app)
        assert f"RoleName {facts.role_name}" in rows
        for field in ("RoleId AROA", "Path /", "MaxSessionDuration 3600", "CreateDate 20",
                      f"Arn arn:aws:iam::{facts.account_id}:role/{facts.role_name}"):
            assert any(row.startswith(field) for row in rows), (field, rows)
        assert "trust \u25b8 who may assume the role" in rows
        assert f"inline \u25b8 {facts.role_name}-inline" in rows

        for row, said in (("trust", "Allow sts:AssumeRole by Service ec2.amazonaws.com"),
                          ("attached", "Allow ssm:UpdateInstanceInformation"),
                          ("inline", "\u26a0 allows all ec2 actions on any resource")):
            await open_policy(pilot, app, row)
            assert said in screen_text(app), row
            await back_to_details(pilot, app, RoleView)


def get_role_calls(app: AwsirApp) -> int:
    """How many iam:GetRole calls the app has sent (the guard's journal of every call)."""
    return sum(1 for call in app.ctx.guard.calls
               if (call.service, call.operation) == ("iam", "GetRole"))


async def test_the_role_pages_trust_row_opens_the_policy_it_holds_without_reading_again(
    demo: DemoServer,
) -> None:
    """The role's page read iam:GetRole, trust policy included, and Enter on its trust
    row sent iam:GetRole again for the same document."""
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, facts.proxy_instance_id)
        await open_role(pilot, app)
        assert get_role_calls(app) == 1
        view = await open_policy(pilot, app, "trust")
        assert "Allow sts:AssumeRole by Service ec2.amazonaws.com" in screen_text(app)
        assert view.policy is not None and view.policy.failure is None
        assert ("ARN", f"arn:aws:iam::{facts.account_id}:role/{facts.role_name}") \
            in view.policy.about
        assert get_role_calls(app) == 1
        # From the instance's page, which holds no GetRole answer, the trust row reads it.
        await back_to_details(pilot, app, RoleView)
        await back_to_details(pilot, app)
        await open_policy(pilot, app, "trust")
        assert get_role_calls(app) == 2


async def test_a_denied_role_read_says_so_and_its_policies_still_open(
    demo: DemoServer,
) -> None:
    facts = demo.facts
    app = make_app(demo)
    deny_iam(app.ctx, "GetRole")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, facts.proxy_instance_id)
        await open_role(pilot, app)
        rows = sheet(app)
        assert f"RoleName {facts.role_name}" in rows
        assert any(row.startswith("unavailable iam:GetRole denied: ") for row in rows)
        await open_policy(pilot, app, "inline")
        assert "Allow ec2:* on *" in screen_text(app)
        # The trust row says the denial the page holds, without asking again.
        await back_to_details(pilot, app, RoleView)
        await open_policy(pilot, app, "trust")
        assert "iam:GetRole denied: " in screen_text(app)
        assert get_role_calls(app) == 1


async def test_enter_on_a_policy_shows_its_document_with_wildcards_in_red(
    demo: DemoServer,
) -> None:
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, facts.proxy_instance_id)
        inline = next(row for row in sheet(app) if row.startswith("inline "))
        assert inline == f"inline \u25b8 {facts.role_name}-inline"

        view = await open_policy(pilot, app, "inline")
        screen = screen_text(app)
        assert f"Role: {facts.role_name}" in screen
        assert "\u26a0 allows all ec2 actions on any resource: 1 of 1 statement" in screen
        assert "[0] \u26a0 Allow ec2:* on *" in screen
        tree = view.query_one(Tree)
        line = next(n for n in range(tree.last_line + 1)
                    if "Allow ec2:*" in tree.render_line(n).text)
        red = [seg.style for seg in tree.render_line(line) if "ec2:*" in seg.text]
        assert red and red[0] is not None and red[0].color is not None
        assert red[0].color.name == "red"
        await back_to_details(pilot, app)

        await open_policy(pilot, app, "attached")
        screen = screen_text(app)
        assert "Default version: v1" in screen
        assert "Allow ssm:UpdateInstanceInformation" in screen
        # The SSM agent's channels (as AWS's AmazonSSMManagedInstanceCore grants them)
        # are said as they are, not as "any action" in red.
        assert "allows all ssmmessages and ec2messages actions on any resource" in screen
        assert "\u26a0" not in screen and "any action" not in screen
        await back_to_details(pilot, app)

        await open_policy(pilot, app, "trust")
        assert "Allow sts:AssumeRole by Service ec2.amazonaws.com" in screen_text(app)
        assert "none allows a wildcard" in screen_text(app)


async def test_a_denied_policy_read_says_so_and_the_details_stay(demo: DemoServer) -> None:
    facts = demo.facts
    app = make_app(demo)
    deny_iam(app.ctx, "GetRolePolicy")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, facts.proxy_instance_id)
        before = sheet(app)
        view = await open_policy(pilot, app, "inline")
        screen = screen_text(app)
        assert "iam:GetRolePolicy denied: User: " in screen
        assert f"Inline policy: {facts.role_name}-inline" in screen
        assert not view.query_one(Tree).display
        await back_to_details(pilot, app)
        assert sheet(app) == before


def test_the_warning_says_what_is_allowed_and_any_action_only_for_star() -> None:
    said = wildcard_text(statements({"Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Allow", "Action": ["ec2:*", "iam:PassRole"], "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    ]}))
    assert said.plain == ("\u26a0 allows any action on any resource; all ec2 actions on any "
                          "resource: 2 of 3 statements (red)")


def test_a_document_with_no_readable_statement_gives_no_reassurance() -> None:
    """'0 statements, none allows a wildcard' read as all clear for a document that
    was not a policy at all."""
    assert wildcard_text([]).plain == "no statement could be read: see the document below"


async def test_i_on_the_role_page_lists_every_instance_given_the_role(demo: DemoServer) -> None:
    """The role's page had no way back to the instances that carry it, as an instance's
    page has to those sharing its key, group or profile."""
    from awsir_tui.ui.ec2_instances import InstancesView

    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, facts.proxy_instance_id)
        await open_role(pilot, app)
        await pilot.press("I")
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView)
                       and app.screen.loaded, "the instances with the role")
        view = app.screen
        assert isinstance(view, InstancesView)
        assert view.filter_text == f"role:={facts.role_name}"
        shown = {str(item.get("InstanceId")) for item in view.table.items}
        assert facts.proxy_instance_id in shown
        assert all(facts.role_name in (item.get("RoleNames") or ()) for item in view.table.items)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, RoleView), "back to the role")
