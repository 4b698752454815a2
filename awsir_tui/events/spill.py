"""Where event stores spill, and the spill a killed session left behind.

DuckDB moves blocks beyond a store's memory limit to a temporary folder: a private one
under the system's temporary directory for a store in memory, ``FILE.tmp`` beside a
store file. A session that ends normally removes its spill; one that is killed (an SSH
connection dropped: SIGHUP; ``kill -9``; the machine out of memory) leaves it, up to a
gigabyte for a million events, of raw log records. A jump box's disk fills after a few
such nights, and the records stay readable there. So each store, when it opens, removes
the spill of the sessions that are no longer running: on this machine (a temporary
folder shared between hosts or containers holds other machines' process IDs, which say
nothing here), of this user, and never through a symbolic link.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

#: A private spill folder's name starts with this, then the host, the process ID and
#: a dash.
PREFIX = "awsir-store-"
#: This machine's name as it goes in a folder's name.
_HOST = re.sub(r"[^A-Za-z0-9]", "_", socket.gethostname())[:40] or "host"
#: DuckDB's spill files: ``duckdb_temp_<pid>_<n>_owner``, ``..._storage_DEFAULT-0.tmp``.
_DUCKDB_FILE = re.compile(r"duckdb_temp_(\d+)_")
_OURS = re.compile(re.escape(PREFIX) + r"(\w+)-(\d+)-")


def private_spill_dir() -> str:
    """A new spill folder for a store in memory, named after this process; the folders
    of processes that are gone are removed first."""
    parent = Path(tempfile.gettempdir())
    for folder in parent.glob(f"{PREFIX}{_HOST}-*"):
        found = _OURS.match(folder.name)
        if (found and found.group(1) == _HOST and _mine(folder)
                and not _running(int(found.group(2)))):
            _remove(folder)
    return tempfile.mkdtemp(prefix=f"{PREFIX}{_HOST}-{os.getpid()}-")


def remove_stale_duckdb_spill(folder: Path) -> None:
    """Remove DuckDB's spill files in ``folder`` (a store file's ``FILE.tmp``) that
    processes no longer running left. Called with the store file open, which DuckDB
    locks against every other process, so no running session's files are there but
    this one's."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return  # no such folder: nothing spilled
    for entry in entries:
        found = _DUCKDB_FILE.match(entry.name)
        if found and _mine(entry) and not _running(int(found.group(1))):
            _remove(entry)


def _mine(path: Path) -> bool:
    """Whether ``path`` is a file or folder itself (not a symbolic link to one) that
    this user owns: nothing else is a spill this session may remove."""
    try:
        stat = path.lstat()
    except OSError:
        return False
    return not path.is_symlink() and stat.st_uid == os.getuid()


def _running(pid: int) -> bool:
    """Whether a process ``pid`` runs (one of another user's counts: it is not ours to
    judge)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _remove(path: Path) -> None:
    """Remove a stale spill file or folder; one that cannot be removed stays, said."""
    try:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    except OSError as exc:
        log.warning("event store: could not remove a killed session's spill %s: %s",
                    path, exc)
        return
    log.info("event store: removed a killed session's spill %s", path)
