"""The files a store file holds already, so that a load of the same sources reads the rest.

A responder works an archive with ``--store``, quits (or the SSH session drops during
the load), and starts again with the same command: every file was read again, 80-100 s
at 5M events, for events the store held already (the copies dropped as duplicates). So
the store keeps each file a load read whole (:meth:`EventStore.record_files_read`): its
name, size, a stamp (an S3 object's ETag; a local file's inode, modification and change
times: :func:`local_stamp`) and the time window its load kept. A later load into that store reads a
file again only if its size or stamp differ, or if it asks for a wider window than was
kept. The new files of a trail still delivering, and those a cancelled or killed load
never reached, are read; the rest are counted in the report as read before.

Files read in part, skipped or found not to be logs are not kept: a later load reads
them again, and its report lists them again, so that the coverage it gives never
passes over a file whose events are missing (and digest files are found again).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import duckdb

from awsir_tui.events.files import storable_path
from awsir_tui.events.store import EventStore, StoreError

#: A time window as a load keeps it: (after, before), None for an end left open.
Window = tuple[datetime | None, datetime | None]


def file_key(name: str) -> str:
    """How the store names a file: an S3 URL as it is, a path made absolute with its
    links resolved (a load started from another folder, or through a link to the same
    folder, names the same file alike), as DuckDB can hold it and tell from another."""
    return name if "://" in name else storable_path(os.path.realpath(name))


def local_stamp(status: os.stat_result) -> str:
    """What tells a local file's copy from another of the same name and size: its
    inode, modification and change times. The change time is the kernel's: a log
    altered in place with its modification time put back (``touch -r``, ``cp -p`` or
    ``rsync -a`` of another copy over it) has a new one, and is read again, so that a
    copy that differs from the stored one is said, as when the first load read it."""
    return f"{status.st_ino}:{status.st_mtime_ns}:{status.st_ctime_ns}"


def remember(store: EventStore, files: Iterable[tuple[str, int, str]], window: Window) -> bool:
    """Keep in ``store`` that ``files`` (name, size, stamp) were read whole by a load
    of ``window``; whether it did. A file without a stamp is not kept (it is read
    again); nor is anything when the store refuses or the statement is interrupted (C,
    the app quitting): read again then, its copies dropped as duplicates."""
    kept = [(file_key(name), size, stamp) for name, size, stamp in files if stamp]
    try:
        store.record_files_read(kept, window)
    except (duckdb.Error, StoreError):
        return False
    return True


def covers(kept: Window, asked: Window) -> bool:
    """Whether a load that kept the events of ``kept`` kept every event ``asked``
    wants of a file (an end left open keeps everything on its side)."""
    (kept_after, kept_before), (after, before) = kept, asked
    return ((kept_after is None or (after is not None and after >= kept_after))
            and (kept_before is None or (before is not None and before <= kept_before)))


@dataclass(frozen=True, slots=True)
class ReadBefore:
    """The files that earlier loads into a store read whole, by name: (size, stamp),
    each kept by a load whose window covers the one now asked."""

    files: Mapping[str, tuple[int, str]]

    @classmethod
    def of(cls, store: EventStore, window: Window) -> ReadBefore:
        """What ``store`` holds for a load of ``window``; nothing when its table cannot
        be read (the load then reads every file, as before stores kept them)."""
        try:
            rows = store.files_read()
        except (duckdb.Error, StoreError):
            return cls({})
        return cls({name: (size, stamp) for name, size, stamp, after, before in rows
                    if covers((after, before), window)})

    def holds(self, name: str, size: int, stamp: str) -> bool:
        """Whether the store holds the events of the file ``name`` as it is now (same
        size and stamp): not to be read again."""
        return bool(stamp) and self.files.get(file_key(name)) == (size, stamp)
