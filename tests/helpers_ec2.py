"""Helpers for the EC2 explorer's tests: a context and the app on the demo account,
and the keys a responder presses to reach a list, a filter or a details row."""

from __future__ import annotations

from typing import Any

from rich.style import Style
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_details import InstanceDetailsView
from awsir_tui.ui.ec2_groups import SecurityGroupView
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.ec2_table import ObjectTable, Sheet
from tests.helpers_app import demo_app, screen_text, wait_for


def make_app(demo: DemoServer, first_view: str = "instances") -> AwsirApp:
    """The app on the demo account, opening on ``first_view``."""
    return demo_app(demo, first_view=first_view)


def ids(app: AwsirApp, column: int | str = 0) -> list[str]:
    """One column's cells (by index or header), as rendered, in display order."""
    table = app.screen.query_one(ObjectTable)
    if isinstance(column, str):
        column = [header for header, _ in table.columns_spec].index(column)
    return [row[column] for row in table.cell_texts()]


def first_row_styles(app: AwsirApp) -> list[Style]:
    """The styles the first row is drawn with, where it has text (as on screen)."""
    table = app.screen.query_one(ObjectTable)
    table.scroll_home(animate=False)
    strip = table.render_line(1)
    return [seg.style or Style() for seg in strip if seg.text.strip()]


def sheet(app: AwsirApp) -> list[str]:
    return app.screen.query_one(Sheet).texts()


async def loaded_list(pilot: Pilot[int], app: AwsirApp, view: type) -> None:
    """Wait until ``view`` is on top and every region answered."""
    await wait_for(pilot, lambda: isinstance(app.screen, view), view.__name__)
    await wait_for(pilot, lambda: app.screen.loaded, "all regions answered")
    await pilot.pause()


async def loaded_sheet(pilot: Pilot[int], app: AwsirApp, view: type) -> None:
    await wait_for(pilot, lambda: isinstance(app.screen, view), view.__name__)
    if view is SecurityGroupView:
        await wait_for(pilot, lambda: app.screen.users is not None, "group users")
    else:
        await wait_for(pilot, lambda: app.screen.loaded, f"{view.__name__} loaded")
    await pilot.pause()


async def type_filter(pilot: Pilot[int], text: str) -> None:
    await pilot.press("slash")
    await pilot.press(*text)
    await pilot.pause()
    # What is typed is on screen (Input's focus border once hid it at height 1).
    assert text in screen_text(pilot.app), screen_text(pilot.app)
    await pilot.press("enter")
    await pilot.pause()


async def move_to(pilot: Pilot[int], app: AwsirApp, starts: str) -> None:
    """Move the details cursor down (j) to the first row starting with ``starts``."""
    rows = sheet(app)
    target = next(n for n, row in enumerate(rows) if row.startswith(starts))
    await pilot.press("g", *(["j"] * target))
    assert app.screen.query_one(Sheet).cursor_row == target


async def open_instance_details(pilot: Pilot[int], app: AwsirApp, instance_id: str) -> None:
    """From the instances list: filter on ``instance_id``, Enter, and wait for its page."""
    await loaded_list(pilot, app, InstancesView)
    await type_filter(pilot, f"id:{instance_id}")
    await pilot.press("enter")
    await loaded_sheet(pilot, app, InstanceDetailsView)


def launch(demo: DemoServer, region: str, **run: Any) -> str:
    """An instance launched now on the demo account, as an attacker would (boto3 straight
    at the demo), with ``run``'s RunInstances arguments; its ID. On the image of one of
    the region's own instances; no key pair unless ``run`` names one, so that the key
    lists other tests read stay as they were."""
    ec2 = demo.client("ec2", region)
    image = ec2.describe_instances()["Reservations"][0]["Instances"][0]["ImageId"]
    answer = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1,
                               InstanceType="t3.micro", **run)
    return str(answer["Instances"][0]["InstanceId"])


def last_notification(app: AwsirApp) -> str:
    """The newest notification's text."""
    return str(list(app._notifications)[-1].message)


def lines_of(text: str) -> list[str]:
    """Screen lines with their runs of spaces made one: ``label  value`` as read."""
    return [" ".join(line.split()) for line in text.splitlines()]


async def open_edge_proxy(pilot: Pilot[int], app: AwsirApp) -> None:
    """The demo's edge-proxy-01 (the compromised instance) opened from :instances, its
    page loaded, the case open for `m`."""
    await loaded_list(pilot, app, InstancesView)
    await wait_for(pilot, lambda: app.case is not None, "case open")
    await type_filter(pilot, "name:=edge-proxy-01")
    await pilot.press("enter")
    await loaded_sheet(pilot, app, InstanceDetailsView)
