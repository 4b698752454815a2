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
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_dir


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
    return Keymap(keys=dict(keys))
