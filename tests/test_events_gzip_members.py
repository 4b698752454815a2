"""A gzip file of very many members (``cat`` of gzip files is one) is read whole, at once.

The reader copied the rest of the file for each member, and the rest of a megabyte
piece: a file of empty members took 1.3 s at 640 kB, four times longer for each
doubling, and the 4 MB below more than a minute; a forged log holds as many as it likes.
"""

from __future__ import annotations

import gzip
from typing import Any

import pytest

from awsir_tui.events import files
from awsir_tui.events.files import inflate

EMPTY = gzip.compress(b"", mtime=0)  # 20 bytes
RECORDS = b'{"Records":[{"eventID":"1","eventName":"RunInstances"}]}'


def test_a_record_between_many_empty_members_is_read() -> None:
    half = EMPTY * 100_000  # 2 MB
    data = half + gzip.compress(RECORDS, mtime=0) + half
    assert inflate(data) == (RECORDS, "")


def test_damage_after_many_members_keeps_what_came_before_it() -> None:
    data = gzip.compress(RECORDS, mtime=0) + EMPTY * 200_000 + b"\x1f\x8b\x08\x00damaged"
    inflated, problem = inflate(data)
    assert inflated == RECORDS
    assert problem == "truncated gzip (file cut short)"


def test_a_bomb_is_inflated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopped at its bound, it was inflated again in megabyte pieces (as a damaged
    member is), up to the bound a second time, before the same message."""
    calls: list[int] = []
    member = files._inflate_member

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return member(*args, **kwargs)

    monkeypatch.setattr(files, "_inflate_member", counted)
    data, problem = files.inflate(gzip.compress(bytes(files.MAX_INFLATED + 1)))
    assert data == b"" and "gzip bomb" in problem
    assert len(calls) == 1
