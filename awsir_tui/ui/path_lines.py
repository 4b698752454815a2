"""A path in a notice, broken where a responder can still read and copy it.

Textual's toast is half the screen wide: at 80 columns a path such as
``/home/ir/.local/share/awsir-tui/cases/account-123456789012-export/events-….jsonl``
was folded every 36 characters, in the middle of a name (``…/exports/event`` and
``s-2026….jsonl`` on the next line), and the file could be found by neither half. Each
line here ends at a ``/`` instead, so that every line is whole folders or the whole
file name; the home folder is said as ``~``, as a shell takes it back.
"""

from __future__ import annotations

import re
from pathlib import Path

from awsir_tui.text import clean

#: Characters of text a notice holds on a line at 80 columns: Textual's toast is 50% of
#: the screen wide, less its border (1) and padding (1 each side) and the rack's edge.
NOTICE_WIDTH = 36
#: A path's pieces: each folder with its ``/``, then the file's name.
_FOLDERS = re.compile(r"[^/]*/|[^/]+")
#: A piece longer than a line (a case named after a long folder of logs): broken after
#: a ``-``, ``_`` or ``.`` rather than in the middle of a word.
_WORDS = re.compile(r"[^-_.]*[-_.]|[^-_.]+")


def said_path(path: Path, folder: bool = False) -> str:
    """``path`` as a notice shows it: the home folder as ``~``, control characters made
    visible (the folder can come from the environment); a ``folder`` ends with ``/``."""
    text = str(path) + ("/" if folder else "")
    home = str(Path.home())
    if home != "/" and (text == home or text.startswith(home + "/")):
        text = "~" + text[len(home):]
    return clean(text)


def exports_said(folder: Path) -> str:
    """What `?` says of the export folder: its whole path, to read or copy at leisure (a
    notice goes after seconds). Unbroken: the help joins a paragraph's lines with
    spaces, which a path broken on lines kept inside it once copied."""
    return f"Exports (x, X; x in :indicators; y's files) go to: {said_path(folder, True)}"


def path_lines(path: Path, width: int = NOTICE_WIDTH, folder: bool = False) -> str:
    """:func:`said_path` on as many lines as it needs of at most ``width`` characters,
    each ending at a ``/`` (or, in a name longer than a line, after a ``-``, ``_`` or
    ``.``; only a run of ``width`` characters without any is cut where it must be)."""
    pieces: list[str] = []
    for piece in _FOLDERS.findall(said_path(path, folder)):
        if len(piece) <= width:
            pieces.append(piece)
            continue
        for word in _WORDS.findall(piece):
            pieces.extend(word[start:start + width] for start in range(0, len(word), width))
    lines = [""]
    for piece in pieces:
        if lines[-1] and len(lines[-1]) + len(piece) > width:
            lines.append("")
        lines[-1] += piece
    return "\n".join(lines)
