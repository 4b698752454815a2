"""Making attacker-controlled strings safe to show.

Every string that comes from AWS or a log may have been written by the attacker:
a tag value, a user agent, a security-group description. Shown as-is, an ANSI escape
or a carriage return can repaint the responder's terminal and hide evidence. This module
is the one place that neutralises them; the UI then renders the result as plain
``rich.text.Text`` (never markup), and exports call it for text formats.
"""

from __future__ import annotations

import re

# C0 controls except tab, DEL, and C1 controls (which include the 8-bit CSI, 0x9b).
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
# Bidirectional overrides and isolates can reorder what the eye reads ("Trojan Source").
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def _visible(match: re.Match[str]) -> str:
    """Replace one control character with a visible, inert stand-in."""
    code = ord(match.group(0))
    if code == 0x0A:
        return "\u240a"  # SYMBOL FOR LINE FEED: keeps one record on one line
    if code == 0x1B:
        return "\u241b"  # SYMBOL FOR ESCAPE: shows that an escape was there
    return f"\\x{code:02x}"


def clean(value: object, max_len: int | None = None) -> str:
    """Return ``value`` as a single-line string with no terminal control characters.

    ``None`` becomes the empty string. ``max_len`` truncates very long values (a
    request parameter of several MB must not be laid out in a table cell) and marks
    the cut with an ellipsis.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = _BIDI.sub("", _CONTROL.sub(_visible, text))
    if max_len is not None and len(text) > max_len:
        return text[: max(0, max_len - 1)] + "\u2026"
    return text


def clean_multiline(value: object) -> str:
    """Like :func:`clean` but keeps newlines, for pretty-printed JSON and user data."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return "\n".join(clean(line) for line in text.split("\n"))


def count_of(count: int, noun: str) -> str:
    """``1 event``, ``2,000 events``: a count with its noun, for status lines and
    messages (a responder reading "1 events" wonders what else is wrong)."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
