"""The case a session over archives continues once they are kept in a ``--store`` file
(#5): a responder who read a folder with ``--source`` alone, then again with ``--store
FILE`` (or reopened FILE alone), found their indicators gone: the case was named after
the store, and the work was in the archives' case, which nothing named."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from awsir_tui.case.session import CaseSession, case_name_for, default_case_name
from awsir_tui.case.store import CaseStore
from awsir_tui.cli import Options
from awsir_tui.events.loader import load
from awsir_tui.events.store import EventStore
from tests.helpers_app import help_shown, open_view, screen_text, wait_for
from tests.helpers_events import STRATUS
from tests.helpers_ui_events import offline_app
from tests.test_case_naming import logs_folder, mark_first_event

TECHNIQUES = ("aws.defense-evasion.cloudtrail-stop", "aws.discovery.ec2-download-user-data",
              "aws.persistence.iam-create-admin-user")


def archive(parent: Path, techniques: tuple[str, ...] = TECHNIQUES) -> str:
    """A folder of a few real CloudTrail files (Stratus Red Team's detonations), as a
    responder is handed one."""
    folder = parent / "logs"
    folder.mkdir(parents=True)
    for technique in techniques:
        shutil.copy(STRATUS / f"{technique}.json", folder)
    return str(folder)


def work_saved_on(cases: Path, archives: list[str]) -> str:
    """A session over ``archives`` alone marked an address: its case's name."""
    name = default_case_name("", archives)
    CaseSession(name, directory=cases).mark("203.0.113.7", source="events")
    return name


def kept_in(store: Path, *loads: list[str]) -> None:
    """Each of ``loads`` (a session's sources) loaded into the store file, in turn."""
    with EventStore(store) as events:
        for sources in loads:
            load(sources, events)


def test_archives_kept_in_a_store_continue_the_case_they_were_read_in(tmp_path: Path) -> None:
    cases, store = tmp_path / "cases", str(tmp_path / "kept.duckdb")
    logs = [archive(tmp_path / "incident-1")]
    read_alone = work_saved_on(cases, logs)
    assert case_name_for("", logs, store, cases) == read_alone
    # Other archives into the same (new) store: the store's own case, as before.
    other = [archive(tmp_path / "incident-2")]
    assert case_name_for("", other, store, cases) == default_case_name("", [], store)
    # The store's own case, once saved, is the store's: it wins over the archives'.
    CaseSession(default_case_name("", [], store), directory=cases).note("kept")
    assert case_name_for("", logs, store, cases) == default_case_name("", [], store)
    assert case_name_for("123456789012", logs, store, cases) == "account-123456789012"


def test_a_store_reopened_alone_continues_the_case_of_what_it_was_loaded_from(
    tmp_path: Path,
) -> None:
    cases, store = tmp_path / "cases", tmp_path / "kept.duckdb"
    first = [archive(tmp_path / "incident-1", TECHNIQUES[:1])]
    second = [archive(tmp_path / "incident-2", TECHNIQUES[1:])]
    kept_in(store, first)
    assert case_name_for("", [], str(store), cases) == default_case_name("", [], str(store))
    first_case = work_saved_on(cases, first)
    assert case_name_for("", [], str(store), cases) == first_case
    # Loaded again from other archives, whose case is saved too: the newest load's.
    kept_in(store, second)
    second_case = work_saved_on(cases, second)
    assert case_name_for("", [], str(store), cases) == second_case
    CaseStore(cases).path_for(second_case).unlink()
    CaseStore(cases).backup_for(second_case).unlink(missing_ok=True)
    assert case_name_for("", [], str(store), cases) == first_case


def test_a_store_that_cannot_be_read_opens_its_own_case(tmp_path: Path) -> None:
    """Held by another process, not a store, or gone: the store's own case, no crash,
    and the file as it was. Readable again, the archives' case."""
    cases, store = tmp_path / "cases", tmp_path / "kept.duckdb"
    logs = [archive(tmp_path / "incident-1")]
    kept_in(store, logs)
    read_alone = work_saved_on(cases, logs)
    own = default_case_name("", [], str(store))
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
         "print('held', flush=True); sys.stdin.read()", str(store)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert case_name_for("", [], str(store), cases) == own
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait()
    assert case_name_for("", [], str(store), cases) == read_alone
    export = tmp_path / "export.csv"
    export.write_text("eventTime,eventName\n")
    assert case_name_for("", [], str(export), cases) == default_case_name("", [], str(export))
    assert export.read_text() == "eventTime,eventName\n"
    missing = tmp_path / "none.duckdb"
    assert case_name_for("", [], str(missing), cases) == default_case_name("", [], str(missing))
    assert not missing.exists()


async def reopen_finds(options: Options, marked: str, value: str) -> None:
    """The app started with ``options`` says at start and in ? that case ``marked`` is
    open, and :indicators lists ``value``; a load it runs is let end (kept in the store)."""
    app = offline_app(options)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: any(
            n.title == "case continued" and marked in str(n.message)
            for n in app._notifications), "the case said at start")
        # (Before :indicators replaces the events view, which would then never load.)
        await wait_for(pilot, lambda: not options.sources or (
            app.archive is not None and app.archive.report is not None), "the load")
        assert f"Case: {marked} (continued" in await help_shown(pilot, app)
        await pilot.press("escape")
        await open_view(pilot, app, "indicators")
        await wait_for(pilot, lambda: value in screen_text(app), "the indicator marked before")
    if app.archive is not None:
        app.archive.store.close()


async def test_an_indicator_marked_on_archives_is_there_once_they_are_kept_in_a_store(
    tmp_path: Path,
) -> None:
    """Marked with --source alone; the next start with --source and --store, and the one
    after with --store alone (reopened where the last one was left: :indicators), list
    it in :indicators, and say at start and in ? which case is open."""
    folder = logs_folder(tmp_path / "incident-1")
    marked = await mark_first_event(folder)
    [(_, value)] = CaseStore().load(marked).indicators
    store = str(tmp_path / "kept.duckdb")
    await reopen_finds(Options(sources=[str(folder)], store=store), marked, value)
    await reopen_finds(Options(store=store), marked, value)
