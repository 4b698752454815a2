"""A volume's page reads as a designed page (what a responder needs first, tags as
``key  value``), and `m` keeps a volume as a volume, through the case file."""

from __future__ import annotations

import re

from awsir_tui.case import Case, CaseStore
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_details import VolumeView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ec2 import (
    last_notification,
    lines_of,
    make_app,
    move_to,
    open_edge_proxy,
)


async def test_the_volume_page_shows_its_attachment_and_tags_as_a_responder_reads_them(
    demo: DemoServer
) -> None:
    """It was a raw dump at 80x24: ``Iops`` first, ``Tags[0].Key  Name`` then
    ``Tags[0].Value  edge-proxy-01``, and ``Attachments[0].Instance…`` cut."""
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_edge_proxy(pilot, app)
        instance_id = str(app.screen.instance["InstanceId"])  # type: ignore[attr-defined]
        await move_to(pilot, app, "vol-")
        volume_id = app.screen.sheet.target()[1]  # type: ignore[attr-defined,index]
        await pilot.press("m")  # a volume, not "other"
        assert last_notification(app) == f"marked volume {volume_id}"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, VolumeView), "the volume")
        await wait_for(pilot, lambda: "Tags" in screen_text(app), "the page")
        # Without the scrollbar's glyphs at a line's end: other tests' snapshots of this
        # volume (the demo is shared) make the page taller than the screen.
        shown = [re.sub(r"\s*[\u2581-\u2588]+$", "", line)
                 for line in lines_of(screen_text(app))]
        heads = [line for line in shown if line][2:6]
        assert heads == ["Volume", f"ID {volume_id}", "State in-use", "Size 20 GiB"], shown
        # The attachment is too long to sit beside its instance at 80 columns: the ID
        # stays whole on its line, and the device, since when and whether it outlives
        # the instance go whole on the line under it, not cut mid-word.
        at = shown.index(f"{instance_id} \u25b8")
        assert re.fullmatch(r"/dev/\S+ since 20\d\d-\S+Z kept on termination",
                            shown[at + 1]), shown
        assert "Name edge-proxy-01" in shown, shown
        assert not [line for line in shown if "Tags[" in line or "\u2026" in line], shown
        assert app.case is not None
        indicators = app.case.case.indicators
        assert indicators[("volume", volume_id)].sightings[0].region == "eu-west-1"


def test_a_volume_indicator_round_trips_through_the_case_file() -> None:
    case = Case("default")
    case.mark("vol-1e388380a4932a076", "volume", source="instance details")
    case.mark("vol-0abc12345678def90", source="events")  # guessed from its ID
    CaseStore().save(case)
    kinds = {value: kind for kind, value in CaseStore().load("default").indicators}
    assert kinds == {"vol-1e388380a4932a076": "volume", "vol-0abc12345678def90": "volume"}


async def test_m_on_a_section_heading_marks_nothing(demo: DemoServer) -> None:
    """`m` on the "User data" heading kept its note, "decoded as text, never run", as
    an indicator of kind other."""
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_edge_proxy(pilot, app)
        await move_to(pilot, app, "User data")
        await pilot.press("m")
        await wait_for(pilot, lambda: app._notifications, "what m says")
        assert "nothing to mark" in last_notification(app)
        assert app.case is not None and not app.case.case.indicators
