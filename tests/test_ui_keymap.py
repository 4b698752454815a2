"""keymap.toml: rebinding works, and an id that names no binding is said, not ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.ui.dialogs import SwitchView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ui_events import account_ready, offline_app


async def test_a_misspelt_binding_id_is_reported_and_the_others_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "awsir-tui").mkdir()
    (tmp_path / "awsir-tui" / "keymap.toml").write_text(
        '[keys]\n"filter.opne" = "f"\nswitch = "v"\n'
    )
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "the regions view")
        await wait_for(pilot, lambda: any(n.title == "keymap" for n in app._notifications),
                       "the keymap check")
        [note] = [str(n.message) for n in app._notifications if n.title == "keymap"]
        assert "names no binding filter.opne" in note and "switch" not in note
        await pilot.press("v")  # the rebinding that names a real id works
        await wait_for(pilot, lambda: isinstance(app.screen, SwitchView), "v opens the switcher")


async def test_ctrl_c_says_which_key_quits_in_plain_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The notifications never read markup (they show AWS strings): Textual's own
    ctrl+c hint showed ``Press [b]ctrl+q[/b]``. The hint names the key that quits now,
    rebound or not."""
    (tmp_path / "awsir-tui").mkdir()
    (tmp_path / "awsir-tui" / "keymap.toml").write_text('[keys]\nquit = "Q"\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    app = offline_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "the regions view")
        await pilot.press("ctrl+c")
        # The words from the notification (a toast beside another may wrap them), the
        # screen read for the markup alone.
        await wait_for(pilot, lambda: "to quit" in screen_text(app) and any(
            "press Q to quit" in str(n.message) for n in app._notifications), "the hint")
        assert "[b]" not in screen_text(app)


async def test_a_notification_takes_only_the_rows_it_says() -> None:
    """A title and a line cover two rows of an 80x24 screen and a row that parts it
    from the next (under the footer for the last one), not five."""
    from textual.widgets._toast import Toast

    app = offline_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "the regions view")
        app.notify("written to /tmp/x.jsonl", title="export")
        await wait_for(pilot, lambda: "written to" in screen_text(app), "the notification")
        [toast] = [t for t in app.screen.query(Toast) if "written to" in str(t.render())]
        assert toast.outer_size.height == 3


async def test_a_key_that_is_no_key_is_reported_and_the_default_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: ``quit = "[red]x"`` was taken as it is: q no longer quit, Quit left the
    footer and the help, and nothing said why."""
    (tmp_path / "awsir-tui").mkdir()
    (tmp_path / "awsir-tui" / "keymap.toml").write_text(
        '[keys]\nquit = "[red]x"\nswitch = "v"\n'
    )
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "the regions view")
        notes = [str(n.message) for n in app._notifications if n.title == "keymap ignored"]
        assert len(notes) == 1 and "not keys, the defaults kept: quit = '[red]x'" in notes[0]
        await wait_for(pilot, lambda: "q Quit" in screen_text(app), "q in the footer")
        await pilot.press("v")  # the valid rebinding still applies
        await wait_for(pilot, lambda: isinstance(app.screen, SwitchView), "v opens the switcher")
