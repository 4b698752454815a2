"""The load's end says when an archive holds other accounts' events (a responder
review at 80x24): ``--demo`` with an archive of Stratus Red Team's detonations, made in
twenty-odd accounts, showed 123456789012 in the header and named no other; only
stacking by account showed them, and every mark went to that account's case."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.accounts import accounts_note
from tests.helpers_app import demo_app, wait_for
from tests.helpers_events import STEAL_CREDENTIALS, STRATUS
from tests.helpers_ui_events import archive_loaded, offline_app


def notes(app: object) -> str:
    return "\n".join(str(n.message) for n in app._notifications)  # type: ignore[attr-defined]


async def test_an_archive_of_other_accounts_is_said_at_the_end_of_its_load(
    demo: DemoServer,
) -> None:
    app = demo_app(demo, sources=[str(STRATUS)])
    async with app.run_test(size=(80, 24)) as pilot:
        await archive_loaded(pilot, app)
        await wait_for(pilot, lambda: ":stack, f account, counts them" in notes(app),
                       "the accounts said")
        said = " ".join(notes(app).split())
        # The session's account, once known, is named; before, the accounts are counted.
        assert re.search(r"\d+ events of \d+ accounts other than this session's "
                         r"123456789012|events of \d+ accounts:", said), said


async def test_one_accounts_archive_says_nothing_of_accounts(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    shutil.copy(STRATUS / f"{STEAL_CREDENTIALS}.json", folder)
    app = offline_app(Options(sources=[str(folder)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await archive_loaded(pilot, app)
        await wait_for(pilot, lambda: "loaded" in notes(app), "the load's notice")
        assert "account" not in notes(app)


def test_the_note_counts_the_other_accounts_events() -> None:
    counts = [("111111111111", 300), ("222222222222", 7), ("", 3), ("333333333333", 2)]
    assert accounts_note(counts, "111111111111") == (
        "9 events of 2 accounts other than this session's 111111111111: "
        ":stack, f account, counts them")
    assert accounts_note(counts, "") == "events of 3 accounts: :stack, f account, counts them"
    assert accounts_note([("111111111111", 5), ("", 1)], "111111111111") == ""
    assert accounts_note([("222222222222", 5)], "") == ""
    assert accounts_note([("222222222222", 5)], "111111111111").startswith(
        "5 events of 1 account other than")
