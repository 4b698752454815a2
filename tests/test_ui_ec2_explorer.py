"""The EC2 explorer driven by keys (Textual Pilot, 80x24) against the demo account.

The responder's path: filter the instances on the attacker's key, open the instance,
pivot to its group and key, back with Esc; the other lists; hostile strings; a denied
region. IDs are read off the screen's tables (the cells as rendered, plain text).
"""

from __future__ import annotations

import re
from datetime import UTC
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from textual.widgets import Input

from awsir_tui.app import AwsirApp
from awsir_tui.aws.inventory import Pivot
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.ec2_details import InstanceDetailsView, rule_mark
from awsir_tui.ui.ec2_groups import SecurityGroupsView, SecurityGroupView
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.ec2_keys import KeyPairsView
from awsir_tui.ui.ec2_table import PINNED, ObjectTable, Sheet
from tests.helpers_app import composed, open_view, screen_text, wait_for
from tests.helpers_ec2 import (
    first_row_styles,
    ids,
    last_notification,
    loaded_list,
    loaded_sheet,
    make_app,
    move_to,
    open_instance_details,
    sheet,
    type_filter,
)


async def test_filter_open_pivot_to_group_and_key_and_back(demo: DemoServer) -> None:
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        assert len(ids(app)) >= 40
        await type_filter(pilot, f"key:={facts.attacker_key_name}")
        assert ids(app) == [facts.malicious_instance_id]

        await pilot.press("enter")
        await loaded_sheet(pilot, app, InstanceDetailsView)
        rows = sheet(app)
        assert f"ID {facts.malicious_instance_id}" in rows
        assert "in OPEN tcp/22 from 0.0.0.0/0" in rows
        assert f"Name \u25b8 {facts.attacker_key_name}" in rows

        await move_to(pilot, app, facts.attacker_group_id)
        await pilot.press("enter")
        await loaded_sheet(pilot, app, SecurityGroupView)
        rows = sheet(app)
        assert "OPEN tcp/22 from 0.0.0.0/0" in rows
        used = [row.split()[0] for row in rows if row.startswith("i-")]
        assert used == [facts.malicious_instance_id]

        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, InstanceDetailsView), "back")
        await pilot.press("K")  # the other instances launched with this key
        await loaded_list(pilot, app, InstancesView)
        assert app.screen.pivot == Pivot("key", facts.attacker_key_name)
        assert ids(app) == [facts.malicious_instance_id]
        assert f"key:={facts.attacker_key_name}" in screen_text(app)

        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, InstanceDetailsView), "back")
        await pilot.press("S")  # the instances sharing its (first) security group
        await loaded_list(pilot, app, InstancesView)
        assert ids(app) == [facts.malicious_instance_id]

        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView), "first list")
        assert app.screen.pivot is None
        assert ids(app) == [facts.malicious_instance_id]  # the filter is still there


async def test_hostile_strings_render_literally(demo: DemoServer) -> None:
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await type_filter(pilot, f"id:{facts.malicious_instance_id}")
        assert ids(app, column=1) == [facts.hostile_tag_value]
        assert "[bold red]x[/] [/" in screen_text(app)
        await pilot.press("enter")
        await loaded_sheet(pilot, app, InstanceDetailsView)
        assert f"Name {facts.hostile_tag_value}" in sheet(app)
        assert "\x1b" not in screen_text(app)

        app.open_view("sg")
        await loaded_list(pilot, app, SecurityGroupsView)
        await type_filter(pilot, "desc:maintenance")
        assert facts.attacker_group_id in ids(app)
        assert ids(app, "Description")[0].startswith("[link=https://example.invalid]maint")
        await pilot.press("enter")
        await loaded_sheet(pilot, app, SecurityGroupView)
        assert f"Description {facts.hostile_group_description}" in sheet(app)
        assert "\x1b" not in screen_text(app)


async def test_security_groups_flag_open_rules_and_unused(demo: DemoServer) -> None:
    facts = demo.facts
    app = make_app(demo, first_view="sg")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, SecurityGroupsView)
        rows = dict(zip(ids(app, "Name"), ids(app, "Open to world"), strict=True))
        assert "tcp/22" in rows[facts.attacker_group_name].split(", ")
        used = dict(zip(ids(app, "Name"), ids(app, "Used by"), strict=True))
        for name in facts.unused_group_names:
            assert used[name] == "UNUSED", name
        await type_filter(pilot, "used:false")
        assert set(facts.unused_group_names) <= set(ids(app, "Name"))
        # The demo's own (a group other tests make may be open to the world: red, first).
        await type_filter(pilot, f"used:false name:={facts.unused_group_names[0]}")
        assert all(style.dim for style in first_row_styles(app)), "unused is dim"
        await type_filter(pilot, f"id:{facts.attacker_group_id}")
        assert all(
            style.color and style.color.name == "red" for style in first_row_styles(app)
        ), "world-open is red"
        await pilot.press("enter")
        await loaded_sheet(pilot, app, SecurityGroupView)
        await pilot.press("I")  # the instances using it, as a list
        await loaded_list(pilot, app, InstancesView)
        assert ids(app) == [facts.malicious_instance_id]


async def test_key_pairs_newest_first_unused_visible_enter_lists_instances(
    demo: DemoServer,
) -> None:
    facts = demo.facts
    app = make_app(demo, first_view="keys")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, KeyPairsView)
        created = ids(app, "Created")
        assert created == sorted(created, reverse=True)
        assert ids(app)[0] == facts.attacker_key_name  # made during the incident
        unused = {name for name, used in zip(ids(app), ids(app, "Used by"), strict=True)
                  if used == "UNUSED"}
        assert set(facts.unused_key_names) <= unused
        await pilot.press("enter")
        await loaded_list(pilot, app, InstancesView)
        assert ids(app) == [facts.malicious_instance_id]


async def test_denied_region_shows_denied_while_others_list(demo: DemoServer) -> None:
    denied = demo.regions[1]
    app = make_app(demo)
    with demo.denying(denied):
        async with app.run_test(size=(80, 24)) as pilot:
            await loaded_list(pilot, app, InstancesView)
            assert f"{denied} DENIED" in screen_text(app)
            regions = set(ids(app, "Region/AZ"))
            assert regions and not any(az.startswith(denied) for az in regions)
            assert "denied" in app.region_status[denied]


async def test_bad_filter_keeps_rows_refresh_keeps_filter_sort_cursor(demo: DemoServer) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await type_filter(pilot, "state:running")
        before = ids(app)
        await type_filter(pilot, "nosuchfield:x")
        assert "nosuchfield" in screen_text(app)
        assert ids(app) == before  # last good results stay
        await pilot.press("escape")
        await type_filter(pilot, "launched:>>x")  # parses; this view refuses it
        assert "use since:, after: or before:" in screen_text(app)
        assert ids(app) == before
        # The view found the error after the bar closed: the bar has the focus back,
        # so Esc closes it rather than leaving the view.
        assert isinstance(app.focused, Input)
        await pilot.press("escape")
        table = app.screen.query_one(ObjectTable)
        assert app.focused is table
        await pilot.press("s", "R")  # from Launched (the first sort) to Key, reversed
        assert table.sort_column == 4 and table.sort_reverse
        keys = ids(app, "Key")
        assert keys == sorted(keys, key=str.lower, reverse=True)
        await pilot.press("j", "j", "j")
        chosen = table.current()
        await pilot.press("r")
        await wait_for(pilot, lambda: app.screen.loaded, "refreshed")
        await pilot.pause()
        assert table.current() is not None and chosen is not None
        assert table.current()["InstanceId"] == chosen["InstanceId"]  # type: ignore[index]
        assert table.sort_column == 4 and table.sort_reverse
        assert "state:running" in screen_text(app)
        assert all(row[2] == "running" for row in table.cell_texts())


@pytest.mark.parametrize("key", ["G", "end"])
async def test_bottom_and_top_keys(demo: DemoServer, key: str) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        table = app.screen.query_one(ObjectTable)
        await pilot.press(key)
        assert table.cursor_row == table.row_count - 1
        # The cursor moves at once; the table scrolls to it after the next refresh.
        last = table.current()["InstanceId"]  # type: ignore[index]
        await wait_for(pilot, lambda: last in screen_text(app), "the last row scrolled to")
        assert table.current()["InstanceId"] in screen_text(app)  # type: ignore[index]
        await pilot.press("g")
        assert table.cursor_row == 0


async def test_m_keeps_the_instance_and_its_group_as_indicators(
    demo: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))  # the case file goes here
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await wait_for(pilot, lambda: app.case is not None, "case open")
        await type_filter(pilot, f"id:{facts.malicious_instance_id}")
        await pilot.press("m")
        await pilot.press("enter")
        await loaded_sheet(pilot, app, InstanceDetailsView)
        await move_to(pilot, app, facts.attacker_group_id)
        await pilot.press("m")
        assert app.case is not None
        values = {value for _, value in app.case.case.indicators}
        assert {facts.malicious_instance_id, facts.attacker_group_id} <= values


async def test_changing_the_region_selection_reloads_the_list(demo: DemoServer) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        assert {az[:-1] for az in ids(app, "Region/AZ")} == set(demo.regions)
        only = demo.regions[2]
        app.set_regions([only])
        await wait_for(pilot, lambda: {az[:-1] for az in ids(app, "Region/AZ")} == {only},
                       "only the selected region listed")
        assert "1/1 regions" in screen_text(app)


async def test_left_right_scroll_by_whole_columns(demo: DemoServer) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        table = app.screen.query_one(ObjectTable)
        assert "AMI" not in screen_text(app).splitlines()[2]
        await pilot.press(*["right"] * 12)
        await wait_for(pilot, lambda: "AMI" in header_line(app), "the last column on screen")
        assert "Name" not in header_line(app)
        await pilot.press(*["h"] * 12)
        await wait_for(pilot, lambda: "Name" in header_line(app), "back to the first columns")
        assert table.first_column == PINNED
        assert header_line(app).startswith("ID")


async def test_the_id_stays_at_the_left_edge_while_columns_scroll(demo: DemoServer) -> None:
    """After l l a row still says which object it is: the ID (a key pair's name) is
    pinned at the left edge, beside the later columns."""
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await pilot.press("j", "j", "l", "l")
        await wait_for(pilot, lambda: "Groups" in header_line(app), "two columns right")
        table = app.screen.query_one(ObjectTable)
        assert header_line(app).split()[0] == "ID" and "Name" not in header_line(app)
        cursor = screen_text(app).splitlines()[3 + table.cursor_row]
        assert cursor.startswith(table.current()["InstanceId"] + " ")  # type: ignore[index]
        assert ids(app, "Groups")[table.cursor_row][:8] in cursor

        await open_view(pilot, app, "keys")
        await loaded_list(pilot, app, KeyPairsView)
        await pilot.press("l", "l")
        await wait_for(pilot, lambda: "Fingerprint" in header_line(app), "keys scrolled right")
        # The name and its Region stay: a key pair's name alone is one in each region.
        assert header_line(app).split()[:2] == ["Name", "Region"]
        assert "Created" not in header_line(app)
        first = screen_text(app).splitlines()[3].split()
        assert ids(app, "Name")[0].startswith(first[0].rstrip("\u2026"))
        assert first[1] == ids(app, "Region")[0]


async def test_launched_with_a_date_lists_that_days_launches(demo: DemoServer) -> None:
    """`/launched:2026-11-29` lists the instances launched that day (UTC, as the Launched
    column shows it); `launched:2h` says what to type for the last 2h."""
    facts = demo.facts
    day = f"{facts.malicious_launch_time.astimezone(UTC):%Y-%m-%d}"
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        that_day = [when for when in ids(app, "Launched") if when.startswith(day)]
        assert len(that_day) < len(ids(app))
        await type_filter(pilot, f"launched:{day}")
        await wait_for(pilot, lambda: len(ids(app)) == len(that_day), "that day's launches")
        assert facts.malicious_instance_id in ids(app)
        assert f"{len(that_day)} of " in screen_text(app)
        await type_filter(pilot, " launched:2h")
        await wait_for(pilot, lambda: "use since:2h" in screen_text(app), "the hint")
        assert len(ids(app)) == len(that_day)  # the last good results stay
        await pilot.press("escape", "question_mark")  # and the help says it
        await wait_for(pilot, lambda: composed(app, HelpScreen, "Static"), "the help")
        assert isinstance(app.screen, HelpScreen)
        assert "launched:2019-08-09 (that day, UTC)" in app.screen.body.plain


async def test_proxy_details_show_role_policies_and_user_data(demo: DemoServer) -> None:
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, facts.proxy_instance_id)
        rows = sheet(app)
        assert f"Role \u25b8 {facts.role_name}" in rows
        assert any(row.startswith(("attached ", "inline ")) for row in rows)
        assert any(row.endswith("yum -y install squid") for row in rows)
        await move_to(pilot, app, "Role")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.crumb == f"role {facts.role_name}", "role page")
        assert f"RoleName {facts.role_name}" in sheet(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, InstanceDetailsView), "back")
        await pilot.press("P")  # the instances with the same instance profile
        await loaded_list(pilot, app, InstancesView)
        assert facts.proxy_instance_id in ids(app)
        # The breadcrumb names the profile (its ARN's end), which 80 columns can show.
        assert re.search(r"instances profile:=[\w+=,.@-]+$", app.screen.crumb)
        assert "arn:aws" not in app.screen.crumb


def header_line(app: AwsirApp) -> str:
    """The list's header as on screen (under the app header and the breadcrumb)."""
    return screen_text(app).splitlines()[2]


async def test_lists_fit_80_columns_and_scroll_by_whole_columns(demo: DemoServer) -> None:
    """At 80 columns a list shows its most useful columns whole (times short), never a
    column cut to a sliver; left/right bring every other column on screen, whole."""
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        table = app.screen.query_one(ObjectTable)
        headers = [word for word in header_line(app).split() if word not in "\u25b2\u25bc"]
        assert headers[:5] == ["ID", "Name", "State", "Launched", "Key"]  # sorted: ▼
        assert header_line(app).rstrip().endswith("\u00bb")  # more to the right
        first = screen_text(app).splitlines()[3]
        assert re.search(r" \d{4}-\d\d-\d\d \d\d:\d\d ", first), first
        assert f" {ids(app, 'Key')[0]}" in first
        headers = [header for header, _ in table.columns_spec]
        seen: set[str] = set()
        for _ in headers:
            for index, width in table.placed_columns():
                assert width >= min(table.widths[index], 12), (headers[index], width)
            seen.update(header for header in headers if f"{header} " in header_line(app) + " ")
            await pilot.press("l")
            await pilot.pause()
        assert seen == set(headers)
        assert header_line(app).rstrip().endswith("\u00ab")  # the last columns: more left

        await open_view(pilot, app, "sg")
        await loaded_list(pilot, app, SecurityGroupsView)
        # Which group, where, what is open to the world: the first screen of :sg.
        assert header_line(app).split()[:3] == ["ID", "Name", "Region"]
        assert "Open to world" in header_line(app)
        await type_filter(pilot, f"id:{facts.attacker_group_id}")
        first = screen_text(app).splitlines()[3]
        assert "tcp/22" in first and f" {facts.malicious_instance_id}" in first

        await open_view(pilot, app, "keys")
        await loaded_list(pilot, app, KeyPairsView)
        assert header_line(app).split()[:2] == ["Name", "Region"]
        assert "Used by" in header_line(app)


async def test_details_label_column_fits_labels_and_long_values_go_whole_under_them(
    demo: DemoServer,
) -> None:
    """The label column is as wide as the labels, and a value too long to sit beside its
    label (profile ARN, an instance's name and state) goes whole on the line under it
    instead of running off the screen or being cut where the screen ends."""
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, facts.proxy_instance_id)
        details = app.screen.query_one(Sheet)
        assert details.max_scroll_x == 0  # nothing off to the right
        await move_to(pilot, app, "Profile")
        profile = details.value_at_cursor()
        assert len(profile) > 60
        await wait_for(pilot, lambda: [line.strip() for line in screen_text(app).splitlines()]
                       .count(profile) == 1, "the profile's ARN whole on a line")

        await pilot.press("escape")
        await open_view(pilot, app, "sg")
        await loaded_list(pilot, app, SecurityGroupsView)
        await type_filter(pilot, f"id:{facts.attacker_group_id}")
        await pilot.press("enter")
        await loaded_sheet(pilot, app, SecurityGroupView)
        lines = screen_text(app).splitlines()
        instance = f"{facts.malicious_instance_id} \u25b8"
        at = next(n for n, line in enumerate(lines) if line.strip() == instance)
        # Values start just past the widest label, an instance ID ▸ (whole on its line),
        # not LABEL_WIDTH along: the ID's line shows where they start.
        start = next(line for line in lines if line.split()[:1] == ["ID"]).index("sg-")
        label_end = lines[at].index(instance) + len(instance)
        assert label_end < start <= label_end + 2, lines
        # Its name, state, region and launch, too long beside it, go whole under it.
        row = next(row for row in sheet(app) if row.startswith(instance))
        assert lines[at + 1].strip() == row.removeprefix(instance).strip(), lines
        description = next(line for line in lines if "Description" in line)
        assert facts.hostile_group_description in description


async def test_role_filter_reads_roles_from_iam_and_says_when_it_cannot(
    demo: DemoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The details show `Role ▸ edge-proxy-role`; role: finds the instances with that
    role (EC2 lists profiles only). If IAM cannot be read, the list says so."""
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await type_filter(pilot, f"role:{facts.role_name}")
        await wait_for(pilot, lambda: facts.proxy_instance_id in ids(app), "the proxy")
        assert f"role:{facts.role_name}" in screen_text(app)
        await type_filter(pilot, f"role:{facts.instance_profile_name}")
        assert ids(app) == []  # a profile's name is not a role's
        # The roles read, the empty list says which the instances have.
        await wait_for(pilot, lambda: f"role:{facts.instance_profile_name} matches none "
                       f"(role: {facts.role_name}" in screen_text(app), "the roles there")

        asked: list[str] = []

        class DeniedIam:
            def get_instance_profile(self, InstanceProfileName: str) -> None:
                asked.append(InstanceProfileName)
                raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}},
                                  "GetInstanceProfile")

        real = app.ctx.client
        monkeypatch.setattr(app.ctx, "client", lambda service, *args, **kwargs: (
            DeniedIam() if service == "iam" else real(service, *args, **kwargs)))
        await pilot.press("r")  # read again: now IAM denies every profile
        await wait_for(pilot, lambda: "role unknown for" in screen_text(app), "said so")
        assert "(IAM denied)" in screen_text(app)
        assert ids(app) == []
        before = len(asked)
        await type_filter(pilot, f"role:{facts.role_name}")
        assert len(asked) == before  # a denied profile is not asked again on every key
        assert "role unknown for" in screen_text(app)
        assert "matches none" not in screen_text(app)  # the roles are not known: no hint


async def test_star_on_a_true_false_field_means_true(demo: DemoServer) -> None:
    """Every group is open to the world or not: open:* lists the open ones, used:* the
    used ones, as open:true and used:true do (not every group)."""
    app = make_app(demo, first_view="sg")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, SecurityGroupsView)
        total = len(ids(app))
        await type_filter(pilot, "open:*")
        opened = ids(app)
        assert 0 < len(opened) < total and all(ids(app, "Open to world"))
        await type_filter(pilot, "open:true")
        assert ids(app) == opened
        await type_filter(pilot, "used:*")
        assert ids(app) and "UNUSED" not in ids(app, "Used by")


async def test_m_keeps_the_kind_and_region_the_view_knows(
    demo: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key pair's name is a key pair, a world-open rule its group, a rule from a
    network that network, a role its ARN, a fingerprint a fingerprint; each seen in its
    region. Marking again says so."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    facts = demo.facts
    app = make_app(demo, first_view="keys")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, KeyPairsView)
        await wait_for(pilot, lambda: app.case is not None, "case open")
        assert app.case is not None
        indicators = app.case.case.indicators
        await type_filter(pilot, "name:=bob-admin region:eu-west-1")
        await pilot.press("m")
        assert last_notification(app) == "marked key-pair bob-admin"
        await pilot.press("m")
        assert last_notification(app) == "already marked key-pair bob-admin"
        assert [s.region for s in indicators[("key-pair", "bob-admin")].sightings] == [
            "eu-west-1"]

        await open_view(pilot, app, "instances")
        await open_instance_details(pilot, app, facts.malicious_instance_id)
        region = app.screen.instance["Region"]  # type: ignore[attr-defined]
        await move_to(pilot, app, "in OPEN tcp/22 from 0.0.0.0/0")
        await pilot.press("m")  # the internet is no attacker's address: the group is kept
        assert last_notification(app) == f"marked security-group {facts.attacker_group_id}"
        assert not [value for kind, value in indicators if kind == "ip"]
        group = indicators[("security-group", facts.attacker_group_id)]
        assert group.sightings[0].region == region
        await move_to(pilot, app, "Fingerprint")
        await pilot.press("m")
        assert last_notification(app).startswith("marked fingerprint ")
        await move_to(pilot, app, f"Name {facts.hostile_tag_value}")
        await pilot.press("m")  # a tag, though its value could pass for a user agent
        assert last_notification(app) == f"marked tag Name={facts.hostile_tag_value}"
        assert ("tag", facts.hostile_tag_value) in indicators
        assert not [value for kind, value in indicators if kind in ("user-agent", "other")]

        await pilot.press("escape")
        await type_filter(pilot, f"id:{facts.proxy_instance_id}")
        await pilot.press("enter")
        await loaded_sheet(pilot, app, InstanceDetailsView)
        await move_to(pilot, app, "Role")
        await pilot.press("m")
        role_arn = f"arn:aws:iam::{facts.account_id}:role/{facts.role_name}"
        assert ("arn", role_arn) in indicators
        await move_to(pilot, app, "in tcp/22 from 198.51.100.0/24")
        await pilot.press("m")  # a rule from a network of its own: that network
        assert last_notification(app) == "marked ip 198.51.100.0/24"


@pytest.mark.parametrize(("peer", "kind", "value"), [
    ("203.0.113.7/32", "ip", "203.0.113.7"),
    ("2001:db8::7/128", "ip", "2001:db8::7"),
    ("198.51.100.0/24", "ip", "198.51.100.0/24"),
    ("sg-0peer", "security-group", "sg-0peer"),
    ("0.0.0.0/0", "security-group", "sg-0own"),
    ("::/0", "security-group", "sg-0own"),
    ("0.0.0.0/1", "security-group", "sg-0own"),  # half the internet
    ("pl-63a5400a", "security-group", "sg-0own"),
])
def test_m_on_a_rule_keeps_an_address_or_a_group_never_the_internet(
    peer: str, kind: str, value: str
) -> None:
    assert rule_mark({"GroupId": "sg-0own"}, peer, world=False) == (kind, value)
    if kind == "ip":  # an address that adds up to the world with others is not one
        assert rule_mark({"GroupId": "sg-0own"}, peer, world=True) == (
            "security-group", "sg-0own")


async def test_lists_open_newest_first_and_R_flips_them(demo: DemoServer) -> None:
    """The attacker's instance, launched minutes ago, is above every older launch as the
    list opens (it sat at row 35 of 43, under last year's); the status line says how the
    list is sorted; R flips it. Key pairs open newest first too."""
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        launched = ids(app, "Launched")
        assert launched == sorted(launched, reverse=True) and launched[0] != launched[-1]
        attacker = ids(app).index(facts.malicious_instance_id)
        assert all(when < launched[attacker] for when in launched[attacker + 1:])
        assert facts.malicious_instance_id in screen_text(app)  # on the first screen
        assert "sort Launched \u2193" in screen_text(app)
        await pilot.press("R")
        assert ids(app, "Launched") == sorted(launched)
        assert "sort Launched \u2191" in screen_text(app)

        await open_view(pilot, app, "keys")
        await loaded_list(pilot, app, KeyPairsView)
        created = ids(app, "Created")
        assert created == sorted(created, reverse=True)
        await pilot.press("R")
        assert ids(app, "Created") == sorted(created)


async def test_each_list_has_its_own_filter_example_and_gone_volumes_say_none(
    demo: DemoServer,
) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        examples = {}
        for name, view in (("sg", SecurityGroupsView), ("keys", KeyPairsView)):
            await open_view(pilot, app, name)
            await loaded_list(pilot, app, view)
            await pilot.press("slash")
            examples[name] = str(app.screen.query_one(Input).placeholder)
            await pilot.press("escape")
        assert "open:" in examples["sg"] and "used:" in examples["keys"]
        assert "key:" not in examples["sg"] + examples["keys"]  # the instances' example

        await open_view(pilot, app, "instances")
        await loaded_list(pilot, app, InstancesView)
        await type_filter(pilot, "state:terminated")
        await pilot.press("enter")
        await loaded_sheet(pilot, app, InstanceDetailsView)
        rows = sheet(app)
        assert rows[rows.index("Volumes") + 1] == "none"


async def test_a_keys_used_by_and_enter_agree_or_the_list_says_why(demo: DemoServer) -> None:
    """`Used by 13` on deploy-2025 in one region, and Enter lists 27: the key name's
    instances in every region. The list says so, and its rows of that region are the 13."""
    region = demo.regions[0]
    app = make_app(demo, first_view="keys")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, KeyPairsView)
        await type_filter(pilot, f"name:=deploy-2025 region:={region}")
        (used,) = ids(app, "Used by")  # i-… +12: the first instance and 12 more
        count = 1 + int(used.partition(" +")[2] or 0)
        await pilot.press("enter")
        await loaded_list(pilot, app, InstancesView)
        listed = ids(app, "Region/AZ")
        assert len(listed) > count  # the demo has deploy-2025 in more than one region
        assert sum(az.startswith(region) for az in listed) == count
        assert f"key name searched in the {len(demo.regions)} selected regions" in screen_text(app)


async def test_enter_on_the_key_pair_row_opens_the_key(demo: DemoServer) -> None:
    """The README says Enter on a key opens it: its row in :keys, in its region (K lists
    the instances sharing it)."""
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, facts.malicious_instance_id)
        region = app.screen.instance["Region"]  # type: ignore[attr-defined]
        await move_to(pilot, app, f"Name \u25b8 {facts.attacker_key_name}")
        await pilot.press("enter")
        await loaded_list(pilot, app, KeyPairsView)
        assert ids(app) == [facts.attacker_key_name]
        assert ids(app, "Region") == [region]
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, InstanceDetailsView), "back")
