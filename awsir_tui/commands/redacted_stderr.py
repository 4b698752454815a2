"""The headless commands' stderr, with every secret redacted.

What the commands say on stderr quotes the responder's filter and the loader's
reasons (a file name, an error's text), and either can hold a secret: a session token
searched for as a bare word, a log handed over as ``password=hunter2.json``. The
exports and the coverage files redact them; stderr goes to the terminal, to CI logs and
to ``2> file``, so it is redacted the same way, line by line, in one place rather than
at each of the commands' dozens of messages.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from awsir_tui.case.secrets import redact_text

#: A line ends at a line break, or at the carriage return a progress line redraws with.
_LINE_END = re.compile(r"(?<=[\r\n])")


class RedactingStream:
    """A text stream that writes ``stream`` whole lines at a time, each redacted: a
    secret split over two ``write`` calls (print writes the text, then the line break)
    must still be seen whole by the patterns."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._pending = ""
        #: The regions' threads print their failures at the same time.
        self._lock = threading.Lock()

    def write(self, text: str) -> int:
        with self._lock:
            *lines, self._pending = _LINE_END.split(self._pending + text)
            for line in lines:
                self._stream.write(redact_text(line))
        return len(text)

    def flush(self) -> None:
        with self._lock:
            if self._pending:
                self._stream.write(redact_text(self._pending))
                self._pending = ""
            self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()


@contextmanager
def redacted_stderr() -> Iterator[None]:
    """``sys.stderr`` redacted for the duration (not for the TUI: Textual draws the
    screen on stderr)."""
    real = sys.stderr
    stream = RedactingStream(real)
    sys.stderr = stream
    try:
        yield
    finally:
        stream.flush()
        sys.stderr = real
