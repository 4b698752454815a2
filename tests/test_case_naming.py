"""Which case a session without an account opens: one per store file, else per set of
archives (#6). They all shared ``default``: a second incident's indicators landed among
the first's."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from awsir_tui.case.session import default_case_name
from awsir_tui.case.store import CaseStore, safe_name
from awsir_tui.cli import Options
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_events import all_records
from tests.helpers_ui_events import offline_app


def logs_folder(parent: Path) -> Path:
    """A folder called ``logs`` with real records, as a responder is handed one."""
    folder = parent / "logs"
    folder.mkdir(parents=True)
    (folder / "a.json").write_text(json.dumps({"Records": all_records()[:30]}))
    return folder


def test_case_names_follow_the_account_the_store_or_the_archives(tmp_path: Path) -> None:
    one, two = str(tmp_path / "one" / "logs"), str(tmp_path / "two" / "logs")
    assert default_case_name("123456789012", [one]) == "account-123456789012"
    first = default_case_name("", [one])
    assert first.startswith("archive-logs-") and first != default_case_name("", [two])
    assert default_case_name("", [one, two]) == default_case_name("", [two, one])
    store = str(tmp_path / "case.duckdb")
    # The store is what is reopened: with or without the archives that filled it.
    assert default_case_name("", [one], store) == default_case_name("", [], store)
    assert default_case_name("", [], store).startswith("store-case-")
    assert default_case_name("", ["s3://trail-bucket/AWSLogs/../x y"]).startswith("archive-x-y-")
    assert default_case_name("", []) == "default"


async def mark_first_event(folder: Path) -> str:
    """Open the archive, mark the first event's row; the case's name."""
    app = offline_app(Options(sources=[str(folder)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and "loaded" in screen_text(app) and app.case is not None, "loaded")
        await wait_for(pilot, lambda: "GetPasswordData" in screen_text(app)
                       and app.screen.event_at_cursor() is not None, "the rows, cursor on one")
        await pilot.press("m")
        await wait_for(pilot, lambda: app.case is not None and bool(app.case.case.indicators),
                       "the mark")
        assert app.case is not None
        return app.case.case.name


async def test_two_folders_of_logs_are_two_cases_and_one_reopened_is_the_same(
    tmp_path: Path,
) -> None:
    first = await mark_first_event(logs_folder(tmp_path / "incident-1"))
    second = await mark_first_event(logs_folder(tmp_path / "incident-2"))
    assert first != second and first.startswith("archive-logs-")
    cases = CaseStore()
    assert len(cases.load(first).indicators) == len(cases.load(second).indicators) == 1
    assert not cases.load("default").indicators
    again = await mark_first_event(tmp_path / "incident-1" / "logs")
    assert again == first


def test_a_path_that_is_not_utf8_still_names_a_case() -> None:
    """A folder name that is not UTF-8 (os.fsdecode's surrogates) made the digest raise
    in the account worker, and the case never opened."""
    name = default_case_name("", [os.fsdecode(b"/tmp/\xff-logs")])
    assert name.startswith("archive-") and name.isascii()


async def test_work_done_in_the_shared_default_case_on_these_logs_continues_there(
    tmp_path: Path,
) -> None:
    """Before cases were named after their archives, every such session used `default`:
    a responder reopening the same folder finds the indicators marked then, not an
    empty new case. Another folder gets its own."""
    from awsir_tui.case.session import CaseSession, case_name_for, case_sources

    folder = logs_folder(tmp_path / "incident-1")
    earlier = CaseSession("default", sources=case_sources([str(folder)]))
    earlier.note("seen on the first night")
    assert case_name_for("", [str(folder)]) == "default"
    other = logs_folder(tmp_path / "incident-2")
    assert case_name_for("", [str(other)]).startswith("archive-logs-")
    assert await mark_first_event(folder) == "default"
    assert CaseStore().load("default").notes


def test_choosing_a_case_name_leaves_an_unreadable_default_where_it_is(tmp_path: Path) -> None:
    """Choosing the name only looks at `default`: a damaged default file stays in place
    (loading it, to read its sources, set it aside without a word)."""
    from awsir_tui.case.session import case_name_for

    store = CaseStore()
    store.path_for("default").parent.mkdir(parents=True, exist_ok=True)
    store.path_for("default").write_text("{not json")
    assert case_name_for("", [str(logs_folder(tmp_path / "logs"))]).startswith("archive-")
    assert store.path_for("default").read_text() == "{not json"


def test_an_account_s_case_is_never_the_shared_default(tmp_path: Path) -> None:
    """An account session's case is its account's, even on its first run over logs an
    account-less session once read into `default`."""
    from awsir_tui.case.session import CaseSession, case_name_for, case_sources

    folder = logs_folder(tmp_path / "incident-1")
    CaseSession("default", sources=case_sources([str(folder)])).note("first night")
    assert case_name_for("123456789012", [str(folder)]) == "account-123456789012"


@pytest.mark.parametrize(("archives", "store", "name"), [
    (["s3://trail-bucket/AWSLogs/../x y"], None, "archive-x-y-878a2e9c"),
    (["s3://b/logs/", "s3://a/logs"], None, "archive-logs-077d2fe9"),
    ([os.fsdecode(b"/nonexistent/pin/\xff-logs")], None, "archive-logs-d2c566f3"),
    (["s3://b/\u202e\x1b[31m../../.bashrc"], None, "archive-bashrc-397be1be"),
    ([], "/nonexistent/pin/case.duckdb", "store-case-7804beed"),
])
def test_an_account_less_case_keeps_the_name_it_was_saved_under(
    archives: list[str], store: str | None, name: str,
) -> None:
    """A case named after its archives or store is found again only under the very name
    it was saved under: these are the names cases were given, hostile and non-UTF-8
    paths among them, and must stay so whatever names them."""
    assert default_case_name("", archives, store) == name


@pytest.mark.parametrize(("name", "file_name"), [
    ("account-123456789012", "account-123456789012"),
    ("../../.bashrc", "bashrc-1559504c"),
    ("prod/\uff21cme", "prod_Acme-819b3326"),
    (os.fsdecode(b"\xff\xfe"), "case-8db8cb0a"),
    ("x" * 100, "x" * 55 + "-09ecb6eb"),
])
def test_a_saved_case_s_file_keeps_its_name(name: str, file_name: str) -> None:
    """The file a case is saved in is found by its name alone: these are the names the
    files were given (a hostile alias, a name that is not UTF-8), and must stay so."""
    assert safe_name(name) == file_name


def test_a_source_through_a_link_is_named_as_typed_as_the_store_names_it(tmp_path: Path) -> None:
    """A review: the store's loads and the exports named ``bench/out/1000000`` (typed,
    a link), the case ``/tmp/nat/arch1m`` (where it pointed) and was called after it."""
    from awsir_tui.case.session import case_sources, default_case_name
    from awsir_tui.events.loader import source_names

    target = tmp_path / "arch1m"
    target.mkdir()
    typed = tmp_path / "1000000"
    typed.symlink_to(target)
    assert case_sources([str(typed)]) == [("archive", str(typed))]
    assert [where for _, where in case_sources([str(typed)])] == source_names([str(typed)])
    assert default_case_name("", [str(typed)]).startswith("archive-1000000-")
