"""Making attacker-controlled strings safe to show.

Every string that comes from AWS or a log may have been written by the attacker:
a tag value, a user agent, a security-group description. Shown as-is, an ANSI escape
or a carriage return can repaint the responder's terminal and hide evidence, and a
zero-width space or a bidi override makes one name look like another. This module
is the one place that neutralises them; the UI then renders the result as plain
``rich.text.Text`` (never markup), and exports call it for text formats.
"""

from __future__ import annotations

import json
import re

# C0 controls, DEL, and C1 controls (which include the 8-bit CSI, 0x9b). The tab among
# them: in a line of columns it jumps to the next tab stop and pushes the columns after
# it out of line (multi-line text keeps it: :func:`clean_multiline`).
_CONTROL = r"[\x00-\x1f\x7f-\x9f]"

#: The characters that show as nothing, reorder what the eye reads, or break a line for
#: some readers and not others: the one list every module that guards against them uses
#: (:func:`clean` shows each as an escape; the redaction looks through them; the JSON
#: exports write them as ``\uXXXX``). An attacker uses them to make ``ad\u200bmin``
#: look like ``admin``, to hide text (Unicode tags are an invisible copy of ASCII), to
#: split a secret's name from the redaction's patterns, or to show code or a command
#: other than the one that runs ("Trojan Source"). Unicode's default-ignorable code
#: points, with the bidi controls and the line and paragraph separators:
INVISIBLE = re.compile(
    "["
    "\u00ad"  # soft hyphen
    "\u034f"  # combining grapheme joiner
    "\u061c"  # Arabic letter mark (a bidi mark)
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers: a blank that is no space
    "\u17b4\u17b5"  # Khmer inherent vowels
    "\u180b-\u180f"  # Mongolian variation selectors and vowel separator
    "\u200b-\u200f"  # zero-width space, non-joiner, joiner; left-to-right, right-to-left marks
    "\u2028\u2029"  # line and paragraph separators (a line break to some readers only)
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2060-\u206f"  # word joiner, invisible operators, bidi isolates, deprecated formats
    "\ufe00-\ufe0f"  # variation selectors
    "\ufeff"  # byte order mark (zero-width no-break space)
    "\ufff0-\ufff8"  # reserved, ignorable
    "\U0001bca0-\U0001bca3"  # shorthand format controls
    "\U0001d173-\U0001d17a"  # musical symbol format controls
    "\U000e0000-\U000e0fff"  # tags (invisible ASCII), variation selectors supplement
    "]"
)
_UNSAFE = re.compile(f"{_CONTROL}|{INVISIBLE.pattern}")


def _visible(match: re.Match[str]) -> str:
    """Replace one control or invisible character with a visible, inert stand-in: the
    character's escape as Python writes it (``\\x1b``, ``\\x07``, ``\\x9b``,
    ``\\u200b``): ``ad\\u200bmin`` is not mistaken for ``admin``, and the responder sees
    what was there. One form for every control: an escape shown as ``\u241b`` beside a
    bell as ``\\x07`` read as two kinds of thing, and the C1 controls (the 8-bit CSI
    among them) have no such symbol. A line feed alone is a symbol: not a control to
    hide but a line break, which keeps one record on one line (multi-line text keeps
    it: :func:`clean_multiline`)."""
    char = match.group(0)
    return "\u240a" if char == "\n" else _escape(char)  # SYMBOL FOR LINE FEED


def _escape(char: str) -> str:
    """``char`` as Python writes it escaped: ``\\x1b``, ``\\u200b``, ``\\U000e0041``."""
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def clean(value: object, max_len: int | None = None) -> str:
    """Return ``value`` as a single-line string with no terminal control characters and
    no character that shows as nothing (:data:`INVISIBLE`): each is shown as an escape.

    ``None`` becomes the empty string. ``max_len`` truncates very long values (a
    request parameter of several MB must not be laid out in a table cell) and marks
    the cut with an ellipsis.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = _UNSAFE.sub(_visible, text)
    if max_len is not None and len(text) > max_len:
        return text[: max(0, max_len - 1)] + "\u2026"
    return text


def clean_multiline(value: object) -> str:
    """Like :func:`clean` but keeps newlines and tabs, which lay out pretty-printed JSON
    and user data."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return "\n".join("\t".join(clean(part) for part in line.split("\t"))
                     for line in text.split("\n"))


def escaped(value: str) -> str:
    """``value`` with every character :func:`clean` would not show as itself written as
    its escape, the line feed too (``\\x0a``, not a symbol a value may hold): for text
    that must read back as the same value, a filter written for a pivot on a hostile
    name (:func:`awsir_tui.query.quote`), and never put a raw escape in a prompt."""
    return _UNSAFE.sub(lambda match: _escape(match.group(0)), value)


def is_unsafe(char: str) -> bool:
    """Whether :func:`clean` shows ``char`` as an escape (a control, or invisible)."""
    return _UNSAFE.fullmatch(char) is not None


#: What JSON text holds that a terminal acts on or shows as nothing: every control but
#: the line feed and tab that lay the text out (JSON escapes C0 controls inside strings
#: itself, but not DEL, the C1 controls, nor :data:`INVISIBLE`; a record that is not JSON
#: may hold anything).
_JSON_TEXT_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f]|{INVISIBLE.pattern}")


def _json_escape(match: re.Match[str]) -> str:
    """One character as JSON writes it escaped: ``\\u009b``, a surrogate pair beyond
    the first plane (a Unicode tag), ``\\r``."""
    return json.dumps(match.group())[1:-1]


def inert_json_text(text: str) -> str:
    """JSON text safe to ``cat`` or paste into a terminal, that still reads back as the
    same values: what :data:`_JSON_TEXT_UNSAFE` names written as JSON escapes. Outside
    its strings JSON is plain ASCII, so every match is inside one, where an escape is
    valid; text that is not JSON (a record that did not parse) is made inert the same
    way. Printable ASCII, most records, holds none of them: two C-speed checks spare it
    the scan of every character (an export writes a million records)."""
    if text.isascii() and text.isprintable():
        return text
    return _JSON_TEXT_UNSAFE.sub(_json_escape, text)


def count_of(count: int, noun: str) -> str:
    """``1 event``, ``2,000 events``: a count with its noun, for status lines and
    messages (a responder reading "1 events" wonders what else is wrong)."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
