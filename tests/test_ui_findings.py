"""`:findings` driven by keys in an 80x24 terminal: over the demo account's events, over
a --source archive with a broken rule in --rules, Enter to the finding's events, K to
keep it in the case."""

from __future__ import annotations

import asyncio
import gzip
import json
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.aws.inventory import Kind
from awsir_tui.case import CaseStore
from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.detect import Finding
from awsir_tui.ui.dialogs import ConfirmQuit
from awsir_tui.ui.ec2_common import inventory_of
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.findings_view import FindingsView
from tests.helpers_app import composed, demo_app, demo_context, help_shown, screen_text, wait_for
from tests.helpers_detect import technique_records
from tests.helpers_events import all_records, write_format
from tests.helpers_ui_events import offline_app

SIZE = (80, 24)
INGRESS = "awsir_ec2_ingress_open_to_internet"


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's case goes to a fresh XDG data directory."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


async def switch_to(pilot: Pilot[Any], name: str) -> None:
    """`:` then the view's name, as a responder types it."""
    await pilot.press("colon", *name, "enter")


def findings_done(app: AwsirApp) -> bool:
    screen = app.screen
    return isinstance(screen, FindingsView) and not screen.running and screen.scope is not None


def table_ids(view: EventsView) -> set[str]:
    return {view.table.row(i).event_id for i in range(view.table.row_count)}


async def move_to(pilot: Pilot[Any], view: FindingsView, rule_id: str) -> Finding:
    """Put the cursor on the first finding of ``rule_id`` with the keyboard."""
    index = next(i for i, f in enumerate(view.findings) if f.rule_id == rule_id)
    await pilot.press("g", *["j"] * index)
    finding = view.finding_at_cursor()
    assert finding is not None and finding.rule_id == rule_id
    return finding


async def events_view_reading(pilot: Pilot[Any], app: AwsirApp, filter_text: str) -> EventsView:
    """From the demo's first view, :events with ``filter_text``, opened and still reading."""
    await wait_for(pilot, lambda: app.screen.__class__.__name__ == "InstancesView")
    app.open_view("events", filter_text=filter_text)
    await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                   and app.screen.selection is not None)
    read = app.screen
    assert isinstance(read, EventsView) and read.selection is not None
    return read


async def findings_of_the_last_2h(pilot: Pilot[Any], app: AwsirApp) -> FindingsView:
    """From the demo's first view, :events since:2h, then :findings over its rows, run
    to the end."""
    await events_view_reading(pilot, app, "since:2h")
    await switch_to(pilot, "findings")
    await wait_for(pilot, lambda: findings_done(app), seconds=60)
    view = app.screen
    assert isinstance(view, FindingsView)
    return view


def archive_of(tmp_path: Path, records: list[dict[str, Any]]) -> str:
    """A folder holding one S3-style log file of ``records``: a --source archive."""
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "log.json").write_text(json.dumps({"Records": records}))
    return str(folder)


async def one_event_shown(pilot: Pilot[Any], app: AwsirApp, event_id: str) -> EventsView:
    """Once the app's --source archive has loaded, its events view filtered to one event
    (its row is drawn by the table's reader thread: wait for it)."""
    await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                   and app.archive is not None and app.archive.report is not None,
                   "the archive")
    events_view = app.screen
    assert isinstance(events_view, EventsView)
    await pilot.press("slash", *f"id:{event_id}", "enter")
    return events_view


async def findings_over_the_archive(pilot: Pilot[Any], app: AwsirApp) -> FindingsView:
    """From the events view a --source app opens on, :findings, run to the end."""
    await wait_for(pilot, lambda: app.screen.__class__.__name__ == "EventsView", seconds=30)
    await switch_to(pilot, "findings")
    await wait_for(pilot, lambda: findings_done(app), seconds=60)
    view = app.screen
    assert isinstance(view, FindingsView)
    return view


async def test_findings_over_the_events_view_then_enter_opens_their_events(
    demo: DemoServer, data_home: Path
) -> None:
    facts = demo.facts
    app = demo_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        read = await events_view_reading(pilot, app, "since:2h")
        # Straight on, while the events view still reads: the findings wait for it.
        await switch_to(pilot, "findings")
        await wait_for(pilot, lambda: findings_done(app), seconds=60)
        view = app.screen
        assert isinstance(view, FindingsView)
        assert read.selection is not None and read.selection.feed is not None
        assert not read.selection.feed.lookup.progress().running
        assert view.events_read == read.selection.count() > 0, view.scope
        await wait_for(pilot, lambda: "the events view's rows (since:2h)" in screen_text(app))

        ingress = await move_to(pilot, view, INGRESS)
        # The detail line follows the cursor by a message from the table: wait for it.
        detail = f"port 22/tcp to 0.0.0.0/0 on {facts.attacker_group_id}"
        await wait_for(pilot, lambda: detail in screen_text(app), "the finding's detail")
        text = screen_text(app)
        assert "Security group ingress opened" in text and " H Security group" in text
        assert f"port 22/tcp to 0.0.0.0/0 on {facts.attacker_group_id}" in text  # detail line

        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and app.screen.filter_text.startswith("id:=")
                       and app.screen.table.row_count > 0)
        events = app.screen
        assert isinstance(events, EventsView)
        assert table_ids(events) == set(ingress.event_ids)
        # (the event name column is 26 cells wide)
        await wait_for(pilot, lambda: "AuthorizeSecurityGro" in screen_text(app))

        # Esc back to the findings; K keeps the finding in the case file.
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, FindingsView))
        await wait_for(pilot, lambda: getattr(app, "case", None) is not None)
        await pilot.press("K")
        case_name = app.case.case.name  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: any(
            f.rule_id == INGRESS for f in CaseStore().load(case_name).findings))
        kept = CaseStore().load(case_name)
        assert set(ingress.event_ids) <= set(kept.timeline)


async def test_findings_over_event_history_when_no_events_view_is_open(
    demo: DemoServer,
) -> None:
    """Seven days of Event history, one region denied: said on screen, the rest found."""
    facts = demo.facts
    denied = "ap-southeast-2"
    app = demo_app(demo)
    with demo.denying(denied):
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: app.screen.__class__.__name__ == "InstancesView")
            await switch_to(pilot, "findings")
            await wait_for(pilot, lambda: "Event history since:7d in 3 regions"
                           in screen_text(app))
            await wait_for(pilot, lambda: findings_done(app), seconds=120)
            view = app.screen
            assert isinstance(view, FindingsView)
            # Said as the exports and :stack say it (and an archive's findings), first.
            await wait_for(pilot, lambda: f"partial: {denied}: denied \u00b7 " in screen_text(app))
            theft = view.findings[0]
            assert theft.rule_id == "awsir_instance_credentials_used_elsewhere"
            assert facts.attacker_ip in theft.summary
            text = screen_text(app)
            assert " C Instance role" in text and "findings (" in text
            attack = set(facts.attack_event_ids)
            readable = {r["eventID"] for r in demo.records
                        if r["eventID"] in attack and r.get("awsRegion") != denied}
            assert readable and readable < attack
            assert readable <= {e for f in view.findings for e in f.event_ids}


async def test_findings_over_an_archive_use_the_account_s_instances_if_it_answers(
    demo: DemoServer, tmp_path: Path
) -> None:
    """The demo's events handed over as an archive, with the account: the app opens on
    the events (no instance list read yet), and :findings reads the instances' own
    addresses itself, so the theft is as certain as over Event history. The same logs
    with an account that does not answer: found from what the events show, no EC2 call."""
    facts = demo.facts
    archive = archive_of(tmp_path, list(demo.records))
    app = demo_app(demo, sources=[archive])
    async with app.run_test(size=SIZE) as pilot:
        view = await findings_over_the_archive(pilot, app)
        theft = view.findings[0]
        assert theft.rule_id == "awsir_instance_credentials_used_elsewhere"
        assert theft.severity == "critical"
        assert facts.attacker_ip in theft.summary
        await wait_for(pilot, lambda: " C Instance role" in screen_text(app))

    alone = offline_app(Options(sources=(archive,)))
    async with alone.run_test(size=SIZE) as pilot:
        view = await findings_over_the_archive(pilot, alone)
        assert alone.identity is None
        assert [f.severity for f in view.findings
                if f.rule_id == "awsir_instance_credentials_used_elsewhere"] == ["high"]
        assert not [c for c in alone.ctx.guard.calls if c.service == "ec2"]


async def test_a_region_whose_instances_cannot_be_read_is_said_with_the_findings(
    demo: DemoServer, tmp_path: Path
) -> None:
    """The demo's events as an archive, with the account, whose EC2 denies the proxy's
    region: the theft there is judged without the proxy's own addresses (high, not
    critical), and the screen says which region and why, beside the findings. Allowed
    again, r reads that region: the line goes with the findings it qualified, not
    before them (the old high finding stayed on screen unqualified while the run went on)."""
    facts = demo.facts
    said = ("instance-credential findings judged without the instances' addresses in "
            f"1 region (instances not read: {facts.proxy_region}: denied)")
    app = demo_app(demo, sources=[archive_of(tmp_path, list(demo.records))])
    async with app.run_test(size=SIZE) as pilot:
        with demo.denying(facts.proxy_region):
            view = await findings_over_the_archive(pilot, app)
        theft = view.findings[0]
        assert theft.rule_id == "awsir_instance_credentials_used_elsewhere"
        assert theft.severity == "high"

        def joined() -> str:
            return " ".join(screen_text(app).split())  # the line wraps at 80 columns

        await wait_for(pilot, lambda: said in joined(), "the region said")
        assert " H Instance role" in joined() and "findings (" in joined()  # beside

        await pilot.press("r")
        unqualified: list[str] = []

        def rerun_shown() -> bool:
            text = joined()
            if view.findings[0].severity == "high" and said not in text:
                unqualified.append(text)
            return findings_done(app) and view.findings[0].severity == "critical"

        await wait_for(pilot, rerun_shown, "the rerun's findings", seconds=60)
        assert not unqualified, unqualified[0]
        assert "judged without" not in joined()


async def test_findings_over_an_archive_read_no_account_the_command_did_not_name(
    demo: DemoServer, tmp_path: Path
) -> None:
    """`awsir-tui --source DIR` alone on a jump box whose own role answers (here the
    demo account, reached without --demo): the logs are judged by what they show, and
    the jump box's account is not asked for its instances, as headless."""
    archive = archive_of(tmp_path, list(demo.records))
    app = AwsirApp(Options(sources=[archive]), demo_context(demo), first_view="instances")
    async with app.run_test(size=SIZE) as pilot:
        view = await findings_over_the_archive(pilot, app)
        assert app.identity is not None
        assert [f.severity for f in view.findings
                if f.rule_id == "awsir_instance_credentials_used_elsewhere"] == ["high"]
        assert described_instances(app) == 0


async def test_a_stopped_run_reads_no_instances(demo: DemoServer, tmp_path: Path) -> None:
    """A run stopped before it read the instances (r pressed again, the view left) makes
    no Describe call: the next run reads them."""
    app = demo_app(demo, sources=[archive_of(tmp_path, list(demo.records))])
    async with app.run_test(size=SIZE) as pilot:
        view = await findings_over_the_archive(pilot, app)
        inventory = inventory_of(view)
        inventory.forget(Kind.INSTANCES)
        described = described_instances(app)
        assert described  # the run read them
        stopped = threading.Event()
        stopped.set()
        view.detect(view.scope, inventory, None, stopped)
        await wait_for(pilot, lambda: all(
            w.is_finished for w in app.workers if w.group == "findings-detect"))
        assert described_instances(app) == described


def described_instances(app: AwsirApp) -> int:
    """How many DescribeInstances calls the app has made."""
    return sum(1 for c in app.ctx.guard.calls if c.operation == "DescribeInstances")


async def test_archive_source_with_a_rule_that_cannot_run(
    demo: DemoServer, tmp_path: Path
) -> None:
    archive = write_format(tmp_path, "lines.jsonl.gz")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "evil[red]rule.yml").write_text("title: [unclosed\n")
    app = demo_app(demo, sources=[str(archive)], rules=str(rules))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "EventsView", seconds=30)
        await switch_to(pilot, "findings")
        await wait_for(pilot, lambda: findings_done(app), seconds=60)
        view = app.screen
        assert isinstance(view, FindingsView)
        await wait_for(pilot, lambda: "1 rule could not run" in screen_text(app))
        assert "F1 lists them" in screen_text(app)
        stop = {r["eventID"] for r in technique_records("defense-evasion.cloudtrail-stop")}
        assert any(f.rule_id == "awsir_cloudtrail_logging_tampered" and stop & set(f.event_ids)
                   for f in view.findings)

        await pilot.press("f1")
        await wait_for(pilot, lambda: "evil[red]rule.yml" in screen_text(app))
        assert "not a readable Sigma file" in screen_text(app)


def rows_shown(app: AwsirApp) -> int:
    """The events view's row count; -1 before it is on top with its table composed."""
    view = composed(app, EventsView, "VirtualTable")
    return -1 if view is None else view.table.row_count


async def test_A_widens_the_findings_from_the_events_view_to_the_archive(
    demo: DemoServer, tmp_path: Path
) -> None:
    """Findings over one filter's rows undercount; A runs them over the whole archive."""
    archive = write_format(tmp_path, "lines.jsonl.gz")
    app = demo_app(demo, sources=[str(archive)])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: rows_shown(app) == 310, seconds=30)
        await pilot.press("slash", *"name:StopLogging", "enter")
        await wait_for(pilot, lambda: 0 < rows_shown(app) < 310)
        shown = rows_shown(app)
        await switch_to(pilot, "findings")
        await wait_for(pilot, lambda: findings_done(app), seconds=60)
        view = app.screen
        assert isinstance(view, FindingsView)
        assert view.events_read == shown
        await wait_for(pilot, lambda: "A: all events" in screen_text(app))
        assert "the events view's rows (name:StopLogging)" in screen_text(app)
        await pilot.press("A")
        await wait_for(pilot, lambda: findings_done(app) and view.events_read == 310, seconds=60)
        assert "the events view's rows" not in screen_text(app)
        assert len({f.rule_id for f in view.findings}) > 1


async def test_hostile_names_in_a_finding_show_as_plain_text(
    demo: DemoServer, tmp_path: Path
) -> None:
    """A trail name and user name written by the attacker, with markup and terminal
    escapes, reach the table and the detail line as inert text."""
    record = json.loads(json.dumps(technique_records("defense-evasion.cloudtrail-stop")[0]))
    record["eventID"] = "hostile-0001"
    record["requestParameters"]["name"] = "[bold red]trail[/]\x1b[2J"
    record["userIdentity"]["userName"] = "[link=http://x]mallory[/link]\x07"
    app = demo_app(demo, sources=[archive_of(tmp_path, [record])])
    async with app.run_test(size=SIZE) as pilot:
        view = await findings_over_the_archive(pilot, app)
        await move_to(pilot, view, "awsir_cloudtrail_logging_tampered")
        await wait_for(pilot, lambda: "[bold red]trail[/]" in screen_text(app))
        text = screen_text(app)
        assert "[link=http://x]mallory[/link]" in text
        assert "\x1b" not in text and "\x07" not in text


async def test_a_finding_with_many_events_opens_a_store_of_its_own(
    demo: DemoServer, tmp_path: Path
) -> None:
    """Past 50 event IDs Enter does not build a filter nobody can read: the events view
    opens on a store holding exactly the finding's events."""
    [original] = [r for r in technique_records("persistence.iam-create-admin-user")
                  if r["eventName"] == "CreateUser"][:1]
    records = technique_records("defense-evasion.cloudtrail-stop")  # other events beside
    for n in range(60):
        record = json.loads(json.dumps(original))
        record["eventID"] = f"bulk-user-{n:04d}"
        records.append(record)
    app = demo_app(demo, sources=[archive_of(tmp_path, records)])
    async with app.run_test(size=SIZE) as pilot:
        view = await findings_over_the_archive(pilot, app)
        finding = await move_to(pilot, view, "awsir_iam_user_created")
        assert len(finding.event_ids) == 60
        await pilot.press("enter")
        await wait_for(pilot, lambda: (view := composed(app, EventsView, "VirtualTable"))
                       is not None and view.table.row_count == 60)
        events = app.screen
        assert isinstance(events, EventsView)
        assert events.filter_text == ""
        assert table_ids(events) == set(finding.event_ids)


async def test_leaving_findings_does_not_stop_the_events_view_reading(demo: DemoServer) -> None:
    """Esc out of findings opened over a loading events view: that view reads on."""
    app = demo_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        read = await events_view_reading(pilot, app, "since:7d")
        await switch_to(pilot, "findings")
        await wait_for(pilot, lambda: isinstance(app.screen, FindingsView)
                       and app.screen.scope is not None)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is read)
        feed = read.selection.feed
        assert feed is not None
        await wait_for(pilot, lambda: not feed.lookup.progress().running
                       and feed.lookup.progress().pages > 0, seconds=60)
        progress = feed.lookup.progress()
        assert progress.capped or progress.regions_done == progress.regions  # not cancelled


async def test_after_a_findings_run_the_events_table_marks_what_the_correlations_found(
    tmp_path: Path, data_home: Path
) -> None:
    """The `!` column ran the single-event rules only, so the stolen instance
    credentials (a correlation, critical) left their events blank there. After
    `:findings`, every events table marks the events of its findings too."""
    from awsir_tui.cli import Options
    from awsir_tui.detect import Detector
    from awsir_tui.detect.marker import LETTERS
    from awsir_tui.events.record import from_record
    from tests.helpers_ui_events import offline_app

    records = technique_records("credential-access.ec2-steal-instance-credentials")
    events = [from_record(r) for r in records]
    theft = next(f for f in Detector().run(events)
                 if f.rule_id == "awsir_instance_credentials_used_elsewhere")
    by_rules = Detector(correlations=())
    by_rules.run(events)
    flagged = by_rules.findings_by_event()
    event_id = next(i for i in theft.event_ids if i not in flagged)  # no rule marks it
    app = offline_app(Options(sources=[archive_of(tmp_path, records)]))
    async with app.run_test(size=SIZE) as pilot:
        events_view = await one_event_shown(pilot, app, event_id)

        def flag() -> str | None:
            """The row's `!` cell; None while the row is not drawn (the store's rows are
            read by the table's reader thread: "…" until then)."""
            row = next((line for line in screen_text(app).splitlines() if "GetCallerIdentity"
                        in line or "Describe" in line or "List" in line), None)
            return None if row is None else row[0]

        await wait_for(pilot, lambda: events_view.table.row_count == 1 and flag() is not None,
                       "the one event, drawn")
        assert flag() == " "
        await switch_to(pilot, "findings")
        await wait_for(pilot, lambda: findings_done(app), seconds=60)
        await pilot.press("A")  # over every event loaded, not the one row on screen
        await wait_for(pilot, lambda: findings_done(app) and any(
            f.rule_id == theft.rule_id for f in app.screen.findings), seconds=60)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is events_view, "back to the events")
        await wait_for(pilot, lambda: flag() == LETTERS[theft.severity], "the mark")


async def test_kept_findings_are_marked_and_K_again_says_so_and_the_title_shows_whole(
    demo: DemoServer,
) -> None:
    """The table cuts a long title at 80 columns: the detail under it shows it whole.
    K marks the row (and the detail) as kept; K on a kept finding says it already is
    and keeps it once; r (a new run, new rows) still marks it, from the case."""
    theft_rule = "awsir_instance_credentials_used_elsewhere"
    app = demo_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        view = await findings_of_the_last_2h(pilot, app)
        theft = await move_to(pilot, view, theft_rule)
        assert len(theft.title) > 40
        # The detail follows the cursor by a message from the table: wait for it.
        await wait_for(pilot, lambda: any(line.startswith(theft.title)
                                          for line in screen_text(app).splitlines()),
                       "the finding's detail")
        lines = screen_text(app).splitlines()
        row = next(line for line in lines if theft.title[:16] in line and "\u2026" in line)
        assert theft.title not in row  # cut in the table...
        assert any(line.startswith(theft.title) for line in lines)  # ...whole below it
        assert row.startswith("  ")  # not kept yet

        await wait_for(pilot, lambda: getattr(app, "case", None) is not None)
        await pilot.press("K")
        await wait_for(pilot, lambda: any(str(n.message).startswith("kept in the case")
                                          for n in app._notifications), "kept")
        await wait_for(pilot, lambda: any(line.startswith("K ") and theft.title[:16] in line
                                          for line in screen_text(app).splitlines()),
                       "the row marked")
        assert f"{theft.title}  K: kept in the case" in screen_text(app).replace("\n", " ")

        await pilot.press("K")
        await wait_for(pilot, lambda: any(
            str(n.message) == f"already kept in the case: {theft.title}"
            for n in app._notifications), "already kept")
        case_name = app.case.case.name  # type: ignore[attr-defined]
        kept = [f for f in CaseStore().load(case_name).findings if f.rule_id == theft_rule]
        assert kept == [theft]

        await pilot.press("r")
        await wait_for(pilot, lambda: findings_done(app) and bool(view.findings), seconds=60)
        await move_to(pilot, view, theft_rule)
        await wait_for(pilot, lambda: any(line.startswith("K ") and theft.title[:16] in line
                                          for line in screen_text(app).splitlines()),
                       "still marked after a rerun")


async def test_K_twice_at_once_keeps_the_finding_once_and_says_so(demo: DemoServer) -> None:
    """K K typed before the first keep is shown: two keeps run; the case's own answer
    (under its lock) says the second is already kept, and the case holds it once."""
    app = demo_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        view = await findings_of_the_last_2h(pilot, app)
        ingress = await move_to(pilot, view, INGRESS)
        await wait_for(pilot, lambda: getattr(app, "case", None) is not None)
        await pilot.press("K", "K")
        messages = lambda: [str(n.message) for n in app._notifications]  # noqa: E731
        await wait_for(pilot, lambda: any(m.startswith("kept in the case") for m in messages())
                       and f"already kept in the case: {ingress.title}" in messages(),
                       "one kept, one already kept")
        assert sum(m.startswith("kept in the case") for m in messages()) == 1
        case_name = app.case.case.name  # type: ignore[attr-defined]
        assert [f for f in CaseStore().load(case_name).findings if f == ingress] == [ingress]


def test_the_first_and_last_columns_are_the_utc_minute_or_blank() -> None:
    """A finding's times in the table as the indicators view gives its own: to the
    minute, in UTC whatever offset a record carried, and blank where it has none."""
    from datetime import UTC, datetime, timedelta, timezone

    from awsir_tui.ui.findings_view import finding_columns

    year = datetime.now(UTC).year
    east = timezone(timedelta(hours=2))
    timed = Finding("r", "t", "high", "T1078", ("e-1",), "s",
                    first_time=datetime(year, 6, 29, 1, 5, 59, tzinfo=east),
                    last_time=datetime(year, 6, 29, 12, 0, tzinfo=east))
    untimed = Finding("r", "t", "high", "T1078", ("e-1",), "s")
    columns = finding_columns(lambda _f: False, [timed, untimed])
    value = {column.key: column.value for column in columns}
    # This year's: no year; first and last, of two days.
    assert value["when"](timed) == "06-28 23:05\u201306-29 10:00"
    assert value["when"](untimed) == ""


def test_the_scope_line_says_which_events_from_what_the_scope_is() -> None:
    """What the findings are over is said from the scope itself: an events view's rows,
    with its filter if it has one, of its store; else the store (an archive, Event
    history) alone. The label can no longer say one thing and the scope hold another."""
    from awsir_tui.events.sources import Selection
    from awsir_tui.events.store import EventStore
    from awsir_tui.ui.findings_view import Scope

    selection = Selection(EventStore())
    assert Scope(selection, borrowed=True, filter="name:StopLogging",
                 store_label="logs").label == "the events view's rows (name:StopLogging) of logs"
    assert Scope(selection, borrowed=True, store_label="logs").label == (
        "the events view's rows of logs")
    assert Scope(selection, store_label="/cases/logs").label == "/cases/logs"
    history = "Event history since:7d in 3 regions"
    assert Scope(selection, filter="since:7d", store_label=history).label == history


async def test_the_events_table_marks_rows_by_the_users_rules_too(
    tmp_path: Path, data_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--rules DIR` ran in `:findings` only: the `!` column knew the built-in rules,
    so a row the responder's own rule flags stayed blank in every events table. The
    rules load in the background (a SigmaHQ folder takes seconds): held here until the
    row is drawn, it is marked when they are in, with no key pressed to redraw it."""
    from awsir_tui.cli import Options
    from awsir_tui.detect import Detector, sigma_rules
    from awsir_tui.detect.marker import LETTERS
    from awsir_tui.events.record import from_record
    from tests.helpers_ui_events import offline_app

    records = technique_records("credential-access.ec2-steal-instance-credentials")
    flagged = Detector(correlations=())
    flagged.run([from_record(r) for r in records])
    by_builtin = flagged.findings_by_event()
    record = next(r for r in records if r["eventID"] not in by_builtin)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "ours.yml").write_text(
        "title: Our own rule\nid: 5b0c4a1e-2f3d-4c5b-9a6e-7d8f9a0b1c2d\nstatus: test\n"
        "logsource:\n  product: aws\n  service: cloudtrail\n"
        f"detection:\n  selection:\n    eventName: {record['eventName']}\n"
        "  condition: selection\nlevel: high\n")
    drawn = threading.Event()
    parse = sigma_rules.rules_from_text

    def held(text: str, name: str, path: str, builtin: bool = False) -> Any:
        """The user's rule files parse once the row is drawn; the built-in ones now."""
        if path.startswith(str(rules)):
            drawn.wait(60)
        return parse(text, name, path, builtin)

    monkeypatch.setattr(sigma_rules, "rules_from_text", held)
    app = offline_app(Options(sources=[archive_of(tmp_path, records)], rules=str(rules)))
    async with app.run_test(size=SIZE) as pilot:
        events_view = await one_event_shown(pilot, app, record["eventID"])

        def flag() -> str | None:
            """The row's `!` cell; None while the row is not drawn."""
            row = next((line for line in screen_text(app).splitlines()
                        if record["eventName"][:20] in line), None)  # the name may be cut
            return None if row is None else row[0]

        await wait_for(pilot, lambda: events_view.table.row_count == 1 and flag() == " ",
                       "the row drawn before the user's rules are in")
        drawn.set()
        await wait_for(pilot, lambda: flag() == LETTERS["high"], "the user's rule's mark",
                       seconds=30)


async def test_q_does_not_wait_for_the_users_rules_to_load(
    tmp_path: Path, data_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The `!` column's --rules load runs on a thread worker, which Textual waits for
    on quitting: a SigmaHQ folder (2,850 rules, 8 s) held `q` for the whole load."""
    from awsir_tui.detect import sigma_rules

    rules = tmp_path / "rules"
    rules.mkdir()
    for n in range(40):
        (rules / f"rule{n:02d}.yml").write_text(
            f"title: Rule {n}\nstatus: test\nlogsource:\n  product: aws\n"
            "  service: cloudtrail\ndetection:\n  selection:\n    eventName: StopLogging\n"
            "  condition: selection\nlevel: high\n")
    reading = threading.Event()
    parse = sigma_rules.rules_from_text

    def slow(text: str, name: str, path: str, builtin: bool = False) -> Any:
        """Each of the user's files takes 0.5 s: 20 s for the folder."""
        if path.startswith(str(rules)):
            reading.set()
            time.sleep(0.5)
        return parse(text, name, path, builtin)

    monkeypatch.setattr(sigma_rules, "rules_from_text", slow)
    records = technique_records("credential-access.ec2-steal-instance-credentials")
    app = offline_app(Options(sources=[archive_of(tmp_path, records)], rules=str(rules)))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and app.archive is not None and app.archive.report is not None
                       and reading.is_set(), "the archive, and the rules loading")
        await pilot.press("q")  # the archive is held in memory: q asks first
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmQuit), "the question")
        pressed = time.monotonic()
        await pilot.press("q")
    # As asyncio.run does when App.run returns: the process ends once the executor's
    # threads (the thread workers) have.
    await asyncio.get_running_loop().shutdown_default_executor()
    assert time.monotonic() - pressed < 5


async def test_the_events_help_says_the_mark_column_uses_the_users_rules_too(
    tmp_path: Path, data_home: Path
) -> None:
    """`?` on the events view said the `!` column marks what a built-in detection flags,
    after the marker learned the user's --rules: a blank row read as no rule flagging it."""

    records = technique_records("credential-access.ec2-steal-instance-credentials")
    app = offline_app(Options(sources=[archive_of(tmp_path, records)]))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "the events")
        shown = await help_shown(pilot, app)
        assert "the ! column says when a detection flags the event" in shown
        assert "the built-in rules and your --rules, and the findings of every" in shown


async def test_findings_over_an_archive_with_a_file_not_read_say_partial(
    tmp_path: Path, data_home: Path
) -> None:
    """`:stack` and an export said `partial:` over an archive with a truncated file;
    the findings over the same events said only how many, as if they were all."""
    from awsir_tui.cli import Options
    from tests.helpers_ui_events import offline_app

    folder = Path(archive_of(tmp_path, technique_records(
        "credential-access.ec2-steal-instance-credentials")))
    (folder / "truncated.json.gz").write_bytes(
        gzip.compress(json.dumps({"Records": all_records()}).encode())[:4000])
    app = offline_app(Options(sources=[str(folder)]))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.archive is not None
                       and app.archive.report is not None, "the archive")
        await findings_over_the_archive(pilot, app)
        await wait_for(pilot, lambda: "partial: 1 file not read whole \u00b7 " in
                       screen_text(app), "partial, before the count")
        assert re.search(r" findings?( of \d{4})? \(", screen_text(app)), screen_text(app)


async def test_i_shows_the_whole_finding_with_its_year(
    demo: DemoServer, tmp_path: Path
) -> None:
    """At 80x24 the pane under the table cuts why a finding matters, and the table's
    times have no year: i shows it all, the attacker's strings as inert text."""
    record = json.loads(json.dumps(technique_records("defense-evasion.cloudtrail-stop")[0]))
    record["eventID"] = "hostile-0002"
    record["requestParameters"]["name"] = "[bold red]trail[/]\x1b[2J"
    app = demo_app(demo, sources=[archive_of(tmp_path, [record])])
    async with app.run_test(size=SIZE) as pilot:
        view = await findings_over_the_archive(pilot, app)
        finding = await move_to(pilot, view, "awsir_cloudtrail_logging_tampered")
        assert finding.detail and finding.first_time
        last_words = " ".join(finding.detail.split()[-3:])
        assert last_words not in " ".join(screen_text(app).split())  # the pane cut it
        await pilot.press("i")
        await wait_for(pilot, lambda: "why it matters" in screen_text(app), "the page")
        page = " ".join(screen_text(app).replace("\u2502", " ").split())
        assert last_words in page
        assert f"first {finding.first_time:%Y-%m-%d %H:%M} UTC" in page
        assert "[bold red]trail[/]" in page and "\x1b" not in page
        # It says where Enter works (QA pressed it on this page, and nothing happened).
        assert "Esc closes this page; then Enter on the finding's row opens" in page
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, FindingsView), "back")
