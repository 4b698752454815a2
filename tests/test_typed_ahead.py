"""Keys typed before the TUI has the terminal (the demo account starting) reach it as
typed: on a real pseudo-terminal, `:indicators⏎` typed then left the prompt open with
its text in it, the Enter turned into ctrl+j and the keys echoed over the screen."""

from __future__ import annotations

import os
import pty
import select
import termios
import tty
from collections.abc import Iterator

import pytest

from awsir_tui.typed_ahead import typed_keys_kept


@pytest.fixture
def terminal() -> Iterator[tuple[int, int]]:
    """A pseudo-terminal in its default (cooked) settings: (the keyboard's end, the
    app's end)."""
    keyboard, app = pty.openpty()
    yield keyboard, app
    os.close(keyboard)
    os.close(app)


def pending(fd: int) -> bytes:
    """What can be read from ``fd`` now, without waiting."""
    data = b""
    while select.select([fd], [], [], 0.2)[0]:
        chunk = os.read(fd, 1024)
        if not chunk:
            break
        data += chunk
    return data


def test_keys_typed_while_the_app_starts_reach_it_as_typed(terminal: tuple[int, int]) -> None:
    keyboard, app = terminal
    before = termios.tcgetattr(app)
    with open(app, closefd=False) as stream, typed_keys_kept(stream):
        os.write(keyboard, b":indicators\r")
        assert pending(keyboard) == b""  # nothing echoed over the "starting" line
        tty.setraw(app, termios.TCSANOW)  # as Textual takes the terminal (no flush)
        assert pending(app) == b":indicators\r"  # Enter, not a newline (ctrl+j)
    assert termios.tcgetattr(app) == before  # the shell gets its terminal back


def test_no_terminal_is_no_matter() -> None:
    """Input from a pipe or a file (a test runner, a script): nothing to hold."""
    read, write = os.pipe()
    try:
        with open(read, closefd=False) as stream, typed_keys_kept(stream):
            pass
    finally:
        os.close(read)
        os.close(write)
