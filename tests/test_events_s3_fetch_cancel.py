"""A slow first download does not hold up a cancel (#5, code review): fetching newest
first waited on each download in turn with no limit, so a slow or retrying first one
held every store and the cancel, checked only between files, until it ended (botocore
retries a read timeout of 30 s). The demo's trail bucket over HTTP; its first download
held by a test double of the downloader on an event the test sets, as no real S3 can be
made slow on demand."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from awsir_tui.demo.server import DemoServer
from awsir_tui.events.s3archive import ArchiveObject, Fetched, S3Archive, newest_first
from tests.helpers_app import demo_context


class SlowFirst(S3Archive):
    """The archive, its first object's download held until :attr:`release` is set."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.release = threading.Event()
        self.first = ""
        self.done: set[str] = set()

    def _fetch_one(self, obj: ArchiveObject) -> Fetched:
        if obj.key == self.first:
            self.release.wait(120)
        fetched = super()._fetch_one(obj)
        with self._listed_lock:
            self.done.add(obj.key)
        return fetched


def until(condition: Callable[[], bool], what: str) -> None:
    """Wait for ``condition`` (generously: a wait, not a speed bound)."""
    deadline = time.monotonic() + 120
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.05)


def archive_of(demo: DemoServer, cache: Path) -> tuple[SlowFirst, list[ArchiveObject]]:
    archive = SlowFirst(demo_context(demo).client("s3"), f"s3://{demo.facts.trail_bucket}",
                        cache_dir=cache, workers=4)
    objects = newest_first(archive.discover(), lambda o: o.key)
    archive.first = objects[0].key
    return archive, objects


def test_a_fetch_cancelled_while_its_first_download_is_slow_ends_at_once(
    demo: DemoServer, tmp_path: Path,
) -> None:
    archive, objects = archive_of(demo, tmp_path)
    cancel = threading.Event()
    yielded: list[Fetched] = []
    fetching = threading.Thread(
        target=lambda: yielded.extend(archive.fetch(objects, cancel.is_set)))
    try:
        fetching.start()
        until(lambda: len(archive.done) >= 3, "the downloads after it ran on")
        assert fetching.is_alive()
        cancel.set()
        fetching.join(60)  # a wait, not a speed bound: it ended once asked, not held
        assert not fetching.is_alive(), "the cancel waited for the slow first download"
        assert not archive.release.is_set() and yielded == []  # none out of order
    finally:
        archive.release.set()
        fetching.join(60)


def test_the_files_still_come_newest_first_after_a_slow_first_one(
    demo: DemoServer, tmp_path: Path,
) -> None:
    archive, objects = archive_of(demo, tmp_path)
    yielded: list[Fetched] = []
    fetching = threading.Thread(target=lambda: yielded.extend(archive.fetch(objects[:6])))
    try:
        fetching.start()
        until(lambda: len(archive.done) >= 5, "every other one fetched, the first held")
        assert yielded == []
    finally:
        archive.release.set()
        fetching.join(60)
    assert [f.obj.key for f in yielded] == [o.key for o in objects[:6]]
    assert all(f.path is not None for f in yielded)
