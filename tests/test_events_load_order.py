"""A load reads the newest log files first (#5, responder review): the first rows on
screen are the incident's latest, and a load cancelled keeps the most recent days, not
the oldest. Against the Stratus records repackaged in a trail's S3 layout on disk (the
same over S3 is in test_events_s3.py)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from awsir_tui.events.loader import LoadProgress, LoadReport, load
from awsir_tui.events.store import EventStore
from tests.helpers_events import envelope_gz, s3_key, stratus_files

ACCOUNT = "111122223333"
DAY0 = datetime(2024, 11, 23, 9, 5, tzinfo=UTC)


def _trail_copy(root: Path, days: int) -> dict[Path, set[str]]:
    """A copy of a trail bucket (``aws s3 sync``): one Stratus technique a day, each in
    its day's folder under CloudTrail's name. Returns each file's event IDs."""
    placed = {}
    for day, records in zip(range(days), stratus_files().values(), strict=False):
        path = root / s3_key(ACCOUNT, "us-east-1", DAY0 + timedelta(days=day), f"{day:x}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(envelope_gz(records))
        placed[path] = {record["eventID"] for record in records}
    return placed


def _cancelled_after_first_batch(source: str) -> tuple[EventStore, LoadReport]:
    """Load ``source`` and cancel once the first batch (one file) is stored: what a
    responder pressing C at the first rows keeps."""
    cancel = threading.Event()

    def on_progress(progress: LoadProgress) -> None:
        if progress.events:
            cancel.set()

    store = EventStore()
    report = load([source], store, on_progress=on_progress, cancel=cancel)
    return store, report


def test_a_cancelled_load_of_a_folder_keeps_the_newest_day(tmp_path: Path) -> None:
    placed = _trail_copy(tmp_path, days=4)
    newest = max(placed)  # the last day's folder
    store, report = _cancelled_after_first_batch(str(tmp_path))
    with store:
        stored = {event.event_id for event in store.events()}
    assert report.cancelled and report.not_reached == 3
    assert stored == placed[newest]


def test_the_newest_files_first_then_those_that_say_no_time_in_name_order() -> None:
    """By the name's stamp, else the day folders of the layout; a file whose path says no
    time comes after, in the order given (its modification time says when it was
    copied, not when its events happened)."""
    from awsir_tui.events.s3archive import newest_first

    layout = f"AWSLogs/{ACCOUNT}/CloudTrail/eu-west-1"
    paths = [
        "handed-over/b.json",
        f"{layout}/2026/11/29/{ACCOUNT}_CloudTrail_eu-west-1_20261129T2355Z_a.json.gz",
        "handed-over/a.json",
        f"{layout}/2026/12/01/renamed-by-someone.json",
        f"{layout}/2026/11/30/{ACCOUNT}_CloudTrail_eu-west-1_20261130T0010Z_b.json.gz",
        f"{layout}/2026/12/01/{ACCOUNT}_CloudTrail_eu-west-1_20261201T0605Z_c.json.gz",
    ]
    assert newest_first(paths, str) == [paths[5], paths[3], paths[4], paths[1],
                                        paths[0], paths[2]]
