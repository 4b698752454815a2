"""User settings under the XDG config dir: key rebindings for now.

``$XDG_CONFIG_HOME/awsir-tui/keymap.toml`` maps binding ids (shown in F1 help) to keys::

    [keys]
    back = "escape,backspace"
    "filter.open" = "slash,f"

A broken file must not stop a responder from working: it is reported and ignored.
"""

from __future__ import annotations

import os
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_dir
from textual.keys import KEY_NAME_REPLACEMENTS, Keys

#: What may come before ``+`` in a key: ``ctrl+q``, ``shift+tab``.
_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
#: Keys by name (``escape``, ``f1``, ``pageup``), the modifiers' combinations left out.
_NAMED_KEYS = frozenset(key.value for key in Keys if "+" not in key.value)
#: A character's Unicode name where Textual calls it otherwise (``slash``: solidus).
_UNICODE_NAMES = {short: name for name, short in KEY_NAME_REPLACEMENTS.items()}


def config_dir() -> Path:
    """Where awsir-tui reads its settings (``AWSIR_TUI_CONFIG_DIR`` overrides, for tests)."""
    override = os.environ.get("AWSIR_TUI_CONFIG_DIR")
    return Path(override) if override else Path(user_config_dir("awsir-tui"))


@dataclass
class Keymap:
    """Binding id -> key string, plus any problem found reading the file."""

    keys: dict[str, str] = field(default_factory=dict)
    problem: str = ""


def load_keymap(path: Path | None = None) -> Keymap:
    """Read the keymap file; a missing file is an empty keymap, a bad one a problem."""
    path = path or config_dir() / "keymap.toml"
    if not path.exists():
        return Keymap()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Keymap(problem=f"{path}: {exc}")
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in keys.items()
    ):
        return Keymap(problem=f"{path}: [keys] must map binding ids to key strings")
    bad = {binding: spec for binding, spec in keys.items() if not valid_keys(spec)}
    if bad:
        named = ", ".join(f"{binding} = {spec!r}" for binding, spec in sorted(bad.items()))
        return Keymap(
            keys={b: spec for b, spec in keys.items() if b not in bad},
            problem=f"{path}: not keys, the defaults kept: {named}",
        )
    return Keymap(keys=dict(keys))


def valid_keys(spec: str) -> bool:
    """Whether ``spec`` names keys Textual knows (``q``, ``ctrl+q``, ``f1``,
    ``question_mark``, several with commas). Textual takes any string: ``quit =
    "[red]x"`` bound quit to no key at all, and q stopped quitting."""
    parts = [part.strip() for part in spec.split(",")]
    return bool(parts) and all(_valid_key(part) for part in parts)


def _valid_key(part: str) -> bool:
    *modifiers, key = part.split("+")
    if not key or not set(modifiers) <= _MODIFIERS:
        return False
    if len(key) == 1:
        return key.isprintable()
    return key in _NAMED_KEYS or key_character(key) is not None


def key_character(key: str) -> str | None:
    """The character a key name stands for (``question_mark``: ``?``, ``slash``: ``/``,
    ``minus``: ``-``), None for a key that is none (``enter``, ``f1``). Its name is
    Textual's: the Unicode name, underscores for its spaces and hyphens, some shortened."""
    if len(key) == 1:
        return key
    name = _UNICODE_NAMES.get(key, key)
    for written in (name.replace("_", " "), name.replace("_", "-")):
        try:
            return unicodedata.lookup(written)
        except KeyError:
            continue
    return None
