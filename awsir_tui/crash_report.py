"""What the app leaves behind when it fails: a traceback with no values in it.

Textual's own report of an unhandled exception prints every frame's local variables
on the terminal. In this app those are CloudTrail records, filters typed by the
responder, response bodies: a session token or an attacker's escape sequence would
reach the screen past every redaction and cleaning. And the report is lost with the
terminal: in tmux, or over an SSH session that closes with the program, the pane goes
and the traceback with it. So the report is the traceback alone (file, line, function,
the exception's message), redacted and cleaned, and it is also written to a file in
the app's data folder, which the message on the terminal names.
"""

from __future__ import annotations

import os
import traceback
from datetime import UTC, datetime
from pathlib import Path

from platformdirs import user_data_dir

from awsir_tui.case.secrets import redact_text
from awsir_tui.text import clean_multiline


def crash_dir() -> Path:
    """Where crash reports go (beside the cases and exports)."""
    return Path(user_data_dir("awsir-tui")) / "crashes"


def crash_text(error: BaseException) -> str:
    """``error``'s traceback: where it happened and its message, no variable's value;
    secrets redacted and control characters shown as escapes."""
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    return clean_multiline(redact_text("".join(lines)))


def write_crash_report(error: BaseException, folder: Path | None = None) -> Path | None:
    """Write ``error``'s report to a new file (owner-only) and return its path; None
    when the file cannot be written (a full disk must not hide the report on screen)."""
    folder = folder or crash_dir()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"crash-{stamp}-{os.getpid()}.txt"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(path, "x", encoding="utf-8", opener=_private) as out:
            out.write(crash_text(error))
    except OSError:
        return None
    return path


def _private(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)
