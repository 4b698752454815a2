"""`:posture` through the real app and keys, against the demo account."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Static

from awsir_tui.aws.posture import RegionPosture, TrailPosture, VpcPosture
from awsir_tui.ui.posture import PostureDetailView, PostureView
from tests.helpers_app import saved_path, screen_text, wait_for
from tests.helpers_posture import make_app, notifications, run_script


def row_texts(table: DataTable[Any]) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_posture_table_then_details_of_a_region_without_flow_logs(
    demo: Any, tmp_path: Path
) -> None:
    app = make_app(demo)
    flow_region = demo.facts.flow_log_region
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PostureView), "posture view")
        view = app.screen
        assert isinstance(view, PostureView)
        await wait_for(
            pilot,
            lambda: all(p is not None for p, _ in view.results.values()) and view.results,
            "every region checked",
        )
        rows = {row[0]: row for row in row_texts(view.query_one(DataTable))}
        assert set(rows) == set(demo.regions)
        for region, row in rows.items():
            assert row[1] == "yes" and row[2] == "yes", row
            assert row[4].split(" of ")[0] != "0" or region == flow_region
        summary = str(view.query_one("#posture-summary", Static).render())
        assert f"{len(demo.regions)} of {len(demo.regions)} regions checked" in summary
        # Go to a region without flow logs on any VPC and open it.
        target = sorted(demo.regions).index(
            next(r for r in sorted(demo.regions) if r != flow_region)
        )
        for _ in range(target):
            await pilot.press("j")
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, PostureDetailView) and app.screen.query("#posture-detail")
            ),
            "details",
        )
        details = app.screen
        assert isinstance(details, PostureDetailView)
        text = str(details.query_one("#posture-detail", Static).render())
        assert demo.facts.trail_name in text
        assert "NO FLOW LOG" in text
        assert "aws ec2 create-flow-logs" in text
        assert "not run by awsir-tui" in text
        # y copies the commands whole (on screen they wrap); m has nothing to mark here.
        # (The footer draws the new screen's keys a moment after the screen is composed.)
        await wait_for(pilot, lambda: "Yank commands" in screen_text(app), "the footer")
        keys = next(line for line in screen_text(app).splitlines() if "Yank commands" in line)
        assert "m Mark" not in keys
        await pilot.press("y")
        await wait_for(pilot, lambda: any("saved to" in m for m in notifications(app)), "saved")
        saved = saved_path(next(m for m in notifications(app) if "saved to" in m))
        lines = saved.read_text().splitlines()
        [command] = [line for line in lines if line.startswith("aws ec2 create-flow-logs")]
        assert command.endswith(f"--region {details.posture.region}")
        ran = run_script(saved, tmp_path, {})  # no bucket set: stops before any command
        assert ran.returncode != 0 and "set LOG_BUCKET" in ran.stderr
        assert not (tmp_path / "aws-calls").exists()
        ran = run_script(saved, tmp_path, {"LOG_BUCKET": "ir-logs"})
        assert ran.returncode == 0, ran.stderr
        calls = (tmp_path / "aws-calls").read_text().splitlines()
        assert any(
            "--log-destination arn:aws:s3:::ir-logs" in call
            and call.endswith(f"--region {details.posture.region}")
            for call in calls
        ), calls
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is view, "back to the table")


async def test_posture_view_shows_a_denied_region_and_the_rest(demo: Any) -> None:
    denied = next(r for r in demo.regions if r != "us-east-1")
    app = make_app(demo)
    with demo.denying(denied):
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PostureView), "posture view")
            view = app.screen
            assert isinstance(view, PostureView)
            await wait_for(
                pilot,
                lambda: bool(view.results) and all(p for p, _ in view.results.values()),
                "every region checked",
            )
            rows = {row[0]: row for row in row_texts(view.query_one(DataTable))}
            assert rows[denied][1] == "denied" and rows[denied][4] == "denied"
            assert all(rows[r][1] == "yes" for r in demo.regions if r != denied)
            assert "denied" in app.region_status[denied]
    assert not any(call.mutating for call in app.ctx.guard.calls)


async def test_attacker_chosen_names_are_shown_literally(demo: Any) -> None:
    hostile = "[bold red]x[/] \x1b[2J [/"
    trail = TrailPosture(
        name=hostile,
        arn="arn:aws:cloudtrail:us-east-1:1:trail/x",
        home_region="us-east-1",
        multi_region=False,
        organization=False,
        s3_bucket=hostile,
        log_file_validation=False,
        cloudwatch_logs="",
        is_logging=False,
    )
    vpc = VpcPosture("vpc-1", name=hostile, cidr="10.0.0.0/16", is_default=False)
    posture = RegionPosture("us-east-1", trails=(trail,), vpcs=(vpc,))
    app = make_app(demo, first_view="regions")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: len(app.screen_stack) > 1, "first view")
        app.push_screen(PostureDetailView(posture))
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, PostureDetailView) and app.screen.query("#posture-detail")
            ),
            "details",
        )
        shown = str(app.screen.query_one("#posture-detail", Static).render())
    assert "[bold red]x[/]" in shown and "\x1b" not in shown and "\\x1b[2J" in shown
    assert "NOT LOGGING" in shown and "aws cloudtrail start-logging" in shown


async def test_y_on_a_posture_row_copies_the_region_and_its_verdict(demo: Any) -> None:
    """y on a row said nothing at all: it copies the row whole (cut at 80 columns), for
    the case's notes or a report of where the account is blind."""
    app = make_app(demo)
    region = sorted(demo.regions)[1]
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PostureView), "posture view")
        view = app.screen
        assert isinstance(view, PostureView)
        await wait_for(pilot, lambda: view.results.get(region, (None,))[0] is not None,
                       f"{region} checked")
        await pilot.press("j", "y")
        await wait_for(pilot, lambda: any("saved to" in m for m in notifications(app)), "saved")
        saved = saved_path(next(m for m in notifications(app) if "saved to" in m))
        posture = view.results[region][0]
        assert posture is not None
        assert saved.read_text() == f"{region}: {posture.verdict()}"
        assert f"the posture of {region} copied" in " ".join(notifications(app))
