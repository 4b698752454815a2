"""F and I on a row of the instances list at 80x24 (Pilot, real keys, the demo account
over HTTP) do what they do on the instance's page: the responder who found the
instance in the list pressed F there and nothing happened, nor was anything said."""

from __future__ import annotations

from pathlib import Path

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.forensics import READ_ONLY_MESSAGE
from tests.helpers_app import demo_app, open_view, screen_text, wait_for
from tests.helpers_ec2 import launch, loaded_list, type_filter
from tests.helpers_events import STRATUS
from tests.helpers_posture import notifications
from tests.test_ui_posture_forensics import confirm_shown


async def test_f_and_i_on_a_row_ask_for_its_snapshot_and_image(demo: DemoServer) -> None:
    instance_id = launch(demo, demo.facts.proxy_region)
    app = demo_app(demo, allow_actions=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await type_filter(pilot, f"id:{instance_id}")
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView)
                       and app.screen.table.row_count == 1, "the one row")
        for key, call in (("F", "CreateSnapshot"), ("I", "CreateImage")):
            await pilot.press(key)
            await wait_for(pilot, lambda: confirm_shown(app), f"{key}'s question")
            said = " ".join(screen_text(app).split())
            assert call in said and instance_id in said, said
            await pilot.press("n")
            await wait_for(pilot, lambda: not confirm_shown(app), "declined")
        # Declined: nothing was made.
        assert not [c for c in app.ctx.guard.calls if c.mutating and c.created]


async def test_f_on_a_row_read_only_says_why_it_is_refused(demo: DemoServer) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await type_filter(pilot, f"id:{demo.facts.malicious_instance_id}")
        await pilot.press("F")
        await wait_for(pilot, lambda: READ_ONLY_MESSAGE in " ".join(notifications(app)),
                       "the refusal")
        # On Event history: what the restart keeps, and what it reads again.
        assert ("the case, its indicators and notes are kept; Event history is read "
                "again)") in " ".join(notifications(app))


async def refusal(demo: DemoServer, store: str | None) -> str:
    """F refused on the malicious instance's row in an app started on the Stratus
    archive (with ``store`` as --store): what it said."""
    app = demo_app(demo, sources=[str(STRATUS)], store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.archive is not None
                       and app.archive.report is not None, "the archive loaded")
        if not isinstance(app.screen, InstancesView):
            await open_view(pilot, app, "instances")
        await loaded_list(pilot, app, InstancesView)
        await type_filter(pilot, f"id:{demo.facts.malicious_instance_id}")
        await pilot.press("F")
        await wait_for(pilot, lambda: READ_ONLY_MESSAGE in " ".join(notifications(app)),
                       "the refusal")
        [said] = [note for note in notifications(app) if READ_ONLY_MESSAGE in note]
    if app.archive is not None:
        app.archive.store.close()
    return said


async def test_the_refusal_says_what_the_restart_keeps(demo: DemoServer, tmp_path: Path) -> None:
    """Started on an archive without --store, the refusal says the archive would be read
    again and how to keep it; with --store, that the store keeps the events. A
    responder deep in an archive hesitated to restart, not knowing what would survive."""
    in_memory = await refusal(demo, None)
    assert "the case, its indicators and notes are kept" in in_memory
    assert "the archives are read again: add --store FILE" in in_memory
    kept = await refusal(demo, str(tmp_path / "kept.duckdb"))
    assert "the store keeps the events loaded" in kept and "read again" not in kept
