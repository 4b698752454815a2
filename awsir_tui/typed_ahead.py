"""Keys typed before the TUI has the terminal reach it as they were typed.

The demo account takes seconds to start before the app's first frame, and a responder
who knows the keys types on (`:events⏎`). Until
Textual takes the terminal, the keys go through its line discipline in cooked mode:
echoed over the "starting" line, and Enter turned from CR into a newline (ICRNL),
which Textual reads as ctrl+j, so the prompt typed ahead stayed open with its text in
it. While :func:`typed_keys_kept` holds, the terminal neither echoes nor edits lines
nor turns CR into a newline; the keys wait in its buffer for the app. Signals stay
on: ctrl+c still stops a start that hangs. Only where nothing else reads the terminal
meanwhile: a real account's credentials may ask for an MFA code (botocore's getpass
reads a line, which a held terminal never ends).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TextIO

try:
    import termios
except ImportError:  # not a POSIX terminal: nothing to hold
    termios = None  # type: ignore[assignment]


@contextlib.contextmanager
def typed_keys_kept(stream: TextIO | None = None) -> Iterator[None]:
    """Hold ``stream``'s terminal (stdin's by default) so that keys typed meanwhile stay
    as typed, then give it back its settings. Textual restores, when it exits, the
    settings it found (these), so this must enclose the whole run of the app."""
    if termios is None:
        yield
        return
    try:
        fd = (stream or sys.stdin).fileno()
        saved = termios.tcgetattr(fd)
    except (AttributeError, OSError, ValueError, termios.error):  # not a terminal
        yield
        return
    held = termios.tcgetattr(fd)
    held[0] &= ~termios.ICRNL
    held[3] &= ~(termios.ECHO | termios.ICANON)
    termios.tcsetattr(fd, termios.TCSANOW, held)
    try:
        yield
    finally:
        with contextlib.suppress(OSError, termios.error):  # the terminal went away
            termios.tcsetattr(fd, termios.TCSANOW, saved)
