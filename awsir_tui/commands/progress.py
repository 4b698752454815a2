"""A progress line on stderr for the headless commands' long reads.

Event history pages at 2 calls/s per region, so ``awsir-tui events --filter 'user:i-…'``
can take half a minute; with stdout sent to a file, a silent terminal for that long
reads as a hang. On a terminal the line is rewritten in place (carriage return) a few
times a second; piped to a file or a CI log it is printed only every
:data:`PIPED_EVERY` seconds, so a log holds a handful of lines, not one per page.
Only counts go on it (never a value from AWS or a log), and it is cut to the terminal's
width: a line the terminal folded could no longer be rewritten in place.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

from awsir_tui.commands.output import DEFAULT_WIDTH, terminal_width

#: Least time between two rewrites of the line on a terminal (seconds).
TERMINAL_EVERY = 0.1
#: Least time between two printed lines when stderr is not a terminal (seconds). The
#: first comes only after this long, so a quick read prints no progress at all.
PIPED_EVERY = 10.0
#: "Erase to the end of the line": what is left of a longer previous text.
_ERASE = "\x1b[K"


class ProgressLine:
    """Shows the latest of a series of progress texts on ``err``; see the module doc.

    Use it as a context manager: on exit, a line drawn on a terminal is erased, so the
    final summary that follows starts on a clean line.
    """

    def __init__(
        self,
        err: TextIO,
        piped_every: float = PIPED_EVERY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._err = err
        self._clock = clock
        self._terminal = terminal_width(err) is not None
        self._every = TERMINAL_EVERY if self._terminal else piped_every
        self._last = clock() if not self._terminal else float("-inf")
        self._drawn = False

    def show(self, text: str) -> None:
        """Show ``text`` (counts only) now if enough time passed since the last one."""
        now = self._clock()
        if now - self._last < self._every:
            return
        self._last = now
        if self._terminal:
            width = terminal_width(self._err) or DEFAULT_WIDTH
            self._err.write("\r" + text[: max(0, width - 1)] + _ERASE)
            self._drawn = True
        else:
            self._err.write(text + "\n")
        self._err.flush()

    def clear(self) -> None:
        """Erase the line from the terminal (nothing to do when piped)."""
        if self._drawn:
            self._err.write("\r" + _ERASE)
            self._err.flush()
            self._drawn = False

    def __enter__(self) -> ProgressLine:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.clear()

