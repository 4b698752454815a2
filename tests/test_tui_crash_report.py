"""An unhandled exception ends the app with a report that shows no variable's value
(Textual's own prints every frame's locals: records, tokens, escape sequences) and is
kept in a file, since a tmux pane or SSH session may close with the program."""

from __future__ import annotations

import pytest
from platformdirs import user_data_dir

from awsir_tui.crash_report import crash_dir
from tests.helpers_app import wait_for
from tests.helpers_ui_events import account_ready, offline_app

#: A value only a local variable of the failing frame holds.
HELD_BY_A_LOCAL = "ASIAQEXAMPLELOCALVALUE7"


def _fail_with_a_secret_in_scope() -> None:
    held = HELD_BY_A_LOCAL + "\x1b[2J"
    raise RuntimeError(f"a failure {len(held)} long")


async def test_a_failure_reports_where_not_what_and_keeps_the_report(
        capsys: pytest.CaptureFixture[str]) -> None:
    app = offline_app()
    with pytest.raises(RuntimeError, match="a failure"):
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: account_ready(app), "the first view")
            app.call_later(_fail_with_a_secret_in_scope)
            await pilot.pause()
    said = capsys.readouterr().err

    assert app.return_code == 1
    assert "_fail_with_a_secret_in_scope" in said and "RuntimeError: a failure" in said
    assert HELD_BY_A_LOCAL not in said and "\x1b[2J" not in said
    reports = list(crash_dir().iterdir())
    assert len(reports) == 1 and str(reports[0]) in said.replace("\n", "")
    assert crash_dir().is_relative_to(user_data_dir("awsir-tui"))
    kept = reports[0].read_text(encoding="utf-8")
    assert "_fail_with_a_secret_in_scope" in kept and "RuntimeError: a failure" in kept
    assert HELD_BY_A_LOCAL not in kept
    assert reports[0].stat().st_mode & 0o077 == 0
