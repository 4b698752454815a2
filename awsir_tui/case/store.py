"""Saving and loading cases so that killing the app, or the SSH session dropping, loses
nothing.

Every save writes a temporary file in the case directory, fsyncs it, moves the previous
save to ``NAME.json.bak``, renames the new file into place and fsyncs the directory. At
any instant the directory therefore holds a complete case file, or (between the two
renames) a complete ``.bak``, which :meth:`CaseStore.load` falls back to.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from platformdirs import user_data_dir

from awsir_tui.case.model import Case
from awsir_tui.case.secrets import redact

#: What a file name may not hold: runs of anything outside ``[A-Za-z0-9._-]``.
UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME = 64


class CaseFileError(Exception):
    """A case file exists but cannot be read; the message says which file and why, and
    where the previous good save is. The unreadable file is never overwritten silently."""


def default_case_dir() -> Path:
    """``<XDG data dir>/awsir-tui/cases``."""
    return Path(user_data_dir("awsir-tui")) / "cases"


def export_folder(case_file: Path) -> Path:
    """Where every export of the case whose file is ``case_file`` goes, the events' and
    the yanked values' as well as the case's own: ``<case dir>/<case>-export/``, beside
    the case file, so that what was exported in a case is all in one place (the events'
    went to a folder of their own, the case's here). ``AWSIR_TUI_EXPORT_DIR`` sends them
    all to another. Made by the first export written there, readable by the owner only
    (:func:`private_dir`), as the files in it."""
    override = os.environ.get("AWSIR_TUI_EXPORT_DIR")
    return Path(override) if override else case_file.with_name(case_file.stem + "-export")


def safe_name(name: str) -> str:
    """A file-name-safe form of a case name.

    Case names can come from an account alias, which an attacker in the account controls:
    ``../../.bashrc`` must not escape the case directory. Anything outside
    ``[A-Za-z0-9._-]`` becomes ``_``, leading dots go, and when the name had to change a
    short hash of the original keeps two different names from sharing one file.
    """
    normal = unicodedata.normalize("NFKC", name).strip()
    cleaned = UNSAFE.sub("_", normal).lstrip(".-_")[:_MAX_NAME] or "case"
    if cleaned != name:
        cleaned = f"{cleaned[: _MAX_NAME - 9]}-{short_digest(name)}"
    return cleaned


def short_digest(text: str) -> str:
    """8 hex digits of SHA-256 of ``text``: what tells apart two names cut or cleaned
    to the same file-name-safe form (case names are found again by it: it must not
    change). ``surrogatepass``: a name that is not UTF-8 (os.fsdecode's surrogates)
    has a digest too."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def private_dir(directory: Path) -> Path:
    """``directory``, made with any missing parents readable by the owner only (0700):
    what goes in them is evidence, and the folder names alone (cases are named after
    accounts) tell what is being investigated. Folders that exist are left as they are:
    the user chose them."""
    missing: list[Path] = []
    folder = directory
    while not folder.is_dir() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
    return directory


def _fsync_dir(directory: Path) -> None:
    """Make a rename durable; some platforms cannot open directories, which is fine."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_output(
    path: Path, backup: Path | None = None, newline: str | None = None
) -> Iterator[TextIO]:
    """A text file to write that appears at ``path`` only once whole: written under a
    temporary name beside it, fsynced, then renamed. If the block raises (a full disk,
    an export stopped by quitting), ``path`` is left as it was and the temporary file
    removed: a partial file there would pass for a complete one. The file is readable
    by its owner only (``mkstemp``), as are the folders it makes (:func:`private_dir`):
    cases and exports are evidence, full of the account's details.

    With ``backup``, the previous content of ``path`` is moved there first.
    """
    private_dir(path.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if backup is not None and path.exists():
            os.replace(path, backup)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str, backup: Path | None = None) -> None:
    """Write ``text`` to ``path`` so that a reader never sees a partial file
    (:func:`atomic_output`)."""
    with atomic_output(path, backup) as handle:
        handle.write(text)


class CaseStore:
    """Where case files live: ``directory`` (default :func:`default_case_dir`)."""

    def __init__(self, directory: Path | str | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_case_dir()

    def path_for(self, name: str) -> Path:
        return self.directory / f"{safe_name(name)}.json"

    def backup_for(self, name: str) -> Path:
        return self.directory / f"{safe_name(name)}.json.bak"

    def journal_path_for(self, name: str) -> Path:
        return self.directory / f"{safe_name(name)}.journal.jsonl"

    def saved(self, name: str) -> bool:
        """Whether case ``name`` was saved (its file, or the ``.bak`` a save killed
        between its two renames leaves: :meth:`load` reads that)."""
        return self.path_for(name).exists() or self.backup_for(name).exists()

    def names(self) -> list[str]:
        """File-safe names of the saved cases, sorted."""
        if not self.directory.is_dir():
            return []
        return sorted(p.name[: -len(".json")] for p in self.directory.glob("*.json"))

    def save(self, case: Case) -> Path:
        """Write ``case`` atomically (secrets redacted) and return its path.

        Redaction works on the strings before they are encoded: redacting the JSON text
        afterwards could cut an escaped quote in half and make the file unreadable.
        """
        text = json.dumps(redact(case.to_dict()), indent=1, ensure_ascii=False)
        path = self.path_for(case.name)
        atomic_write_text(path, text + "\n", backup=self.backup_for(case.name))
        return path

    def load(self, name: str, account: str = "", *, from_backup: bool = False) -> Case:
        """The saved case ``name``, or a new empty one when none was saved yet.

        A missing file with a ``.bak`` beside it (the app was killed between the two
        renames of a save) loads the ``.bak``. An unreadable file raises
        :class:`CaseFileError`; ``from_backup=True`` then loads the previous save.
        """
        path = self.backup_for(name) if from_backup else self.path_for(name)
        if not path.exists() and not from_backup and self.backup_for(name).exists():
            path = self.backup_for(name)
        if not path.exists():
            if from_backup:
                raise CaseFileError(f"no previous save of case {name!r} at {path}")
            return Case(name=name, account=account)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            case = Case.from_dict(data)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise CaseFileError(self._set_aside(name, path, exc, from_backup)) from exc
        case.name = name
        if account and not case.account:
            case.account = account
        return case

    def peek(self, name: str) -> Case | None:
        """The saved case ``name`` read for a look (its file, else its ``.bak``), None
        when none reads: unlike :meth:`load`, an unreadable file is left where it is,
        for the session that opens that case to say so and set it aside."""
        for path in (self.path_for(name), self.backup_for(name)):
            try:
                return Case.from_dict(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError, ValueError):
                continue
        return None

    def _set_aside(self, name: str, path: Path, exc: Exception, from_backup: bool) -> str:
        """Move an unreadable case file out of the way (so that the next save cannot
        overwrite it, nor rotate it over the good ``.bak``) and say what happened."""
        kept = path.with_name(f"{path.name}.unreadable-{datetime.now(UTC):%Y%m%dT%H%M%S}")
        try:
            os.replace(path, kept)
            where = f"moved to {kept}"
        except OSError as move_error:
            where = f"left in place ({move_error})"
        backup = self.backup_for(name)
        hint = (
            f"the previous save {backup} can be opened instead"
            if backup.exists() and not from_backup
            else "there is no previous save"
        )
        return f"case file {path} is unreadable ({exc}); it was {where}; {hint}"
