"""The case journal: every AWS call the app made, for the record.

A responder must be able to show afterwards exactly what the tool did in the account
(and that it changed nothing unless told to). The data layer's choke point
(``awsir_tui.aws.guard``) hands each call to :meth:`Journal.record`. The journal is
append-only JSON Lines, one object per call, flushed and fsynced as it is written, and
it never holds request parameters: those can carry secrets, and the operation name is
what the record needs, with, for a change, the resource it acted on and the IDs it
created. A change the user declined, or a read-only session refused, is kept too.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from awsir_tui.case.call import CallLike, CallRecord, call_line
from awsir_tui.case.model import Case
from awsir_tui.case.store import private_dir

#: Regional services whose reads look at a region's own resources or its CloudTrail,
#: and how a report names what was read. STS, IAM and S3 are left out: their calls
#: name a region (the client's) without examining it; S3 reads an archive, whose
#: events say their regions themselves.
_EXAMINING = {"ec2": "EC2", "cloudtrail": "CloudTrail"}
#: Reads of those services that examine no region: the list of regions itself.
_NOT_EXAMINING = frozenset({"DescribeRegions"})


def region_read(call: CallLike) -> tuple[str, str] | None:
    """``(region, what)`` when ``call`` read a region's EC2 resources (``EC2``), its
    Event history (``Event history``) or its trails (``CloudTrail``), else None.

    Only a read that succeeded counts: the report says which regions were examined,
    and a region that denied every call, or was merely selected, was not."""
    if call.mutating or call.outcome != "ok" or not call.region:
        return None
    what = _EXAMINING.get(call.service)
    if what is None or call.operation in _NOT_EXAMINING:
        return None
    return call.region, "Event history" if call.operation == "LookupEvents" else what


def note_reads(case: Case, calls: Iterable[CallLike]) -> None:
    """Note in ``case`` every region that ``calls`` read (:func:`region_read`), and
    that its record of them is now whole."""
    for call in calls:
        read = region_read(call)
        if read is not None:
            case.note_read(*read)
    case.reads_noted = True


class Journal:
    """Append-only JSON Lines file of :class:`CallRecord`; safe to call from any thread.

    ``on_record`` is told of each call once it is on disk (the case session notes there
    which regions were read, so that its report can say so without reading the journal
    back)."""

    def __init__(
        self, path: Path | str, on_record: Callable[[CallLike], None] | None = None
    ) -> None:
        self.path = Path(path)
        self._on_record = on_record
        self._lock = threading.Lock()
        self._handle: IO[str] | None = None

    def record(self, call: CallLike) -> None:
        """Append one call and push it to disk before returning."""
        line = json.dumps(call_line(call), ensure_ascii=False, separators=(",", ":")) + "\n"
        with self._lock:
            if self._handle is None:
                self._handle = self._open()
            self._handle.write(line)
            self._handle.flush()
            os.fsync(self._handle.fileno())
        if self._on_record is not None:
            self._on_record(call)

    def _open(self) -> IO[str]:
        """Open for appending, readable by the owner only as the case is (a journal an
        older version left readable by all too: it names the account's regions and what
        was done in them); a last line cut short by a kill is ended first, so that the
        next record does not run into it and get lost with it."""
        private_dir(self.path.parent)
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        os.fchmod(fd, 0o600)
        with open(fd, "a+b") as probe:
            if probe.tell() > 0:
                probe.seek(-1, os.SEEK_END)
                if probe.read(1) != b"\n":
                    probe.write(b"\n")
        return open(self.path, "a", encoding="utf-8")

    def read_with_problems(self) -> tuple[list[CallRecord], list[str]]:
        """All readable records, and one message per line that could not be read (a line
        cut short when the app was killed mid-write, or an edited file)."""
        if not self.path.exists():
            return [], []
        records: list[CallRecord] = []
        problems: list[str] = []
        with open(self.path, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                    if not isinstance(data, dict):
                        raise ValueError("not a JSON object")
                    records.append(CallRecord.from_dict(data))
                except ValueError as exc:
                    problems.append(f"{self.path}:{number}: unreadable journal line ({exc})")
        return records, problems

    def read(self) -> list[CallRecord]:
        """All readable records in the order they were made."""
        return self.read_with_problems()[0]

    def close(self) -> None:
        with self._lock:
            if self._handle is not None:
                self._handle.close()
                self._handle = None
