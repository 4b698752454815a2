"""The session's end with a load still tidying: the archive waits for it, then closes
its store. Closing under it (as the app did when it began to close the store itself)
left a reloaded case file holding its events twice: its duplicates had not gone."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from awsir_tui.events.sources import ArchiveSource
from awsir_tui.events.store import EventStore
from tests.helpers_events import all_records, envelope_gz


class SlowTidying(EventStore):
    """The real store file; removing a load's duplicates starts late (as it takes long
    at millions of events), and says when it begins."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.tidying = threading.Event()

    def remove_duplicates(self) -> int:
        self.tidying.set()
        threading.Event().wait(0.5)
        return super().remove_duplicates()


def test_close_waits_for_the_load_to_remove_its_duplicates(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    records = all_records()
    for copy in ("a", "b"):  # the same events twice, as an archive read again
        (logs / f"{copy}.json.gz").write_bytes(envelope_gz(records))
    path = tmp_path / "case.duckdb"
    archive = ArchiveSource([str(logs)], SlowTidying(path))
    reports: list[Any] = []
    loading = threading.Thread(target=lambda: reports.append(archive.load()))
    loading.start()
    store = archive.store
    assert isinstance(store, SlowTidying)
    assert store.tidying.wait(60)
    archive.close()  # q: while the duplicates are still there
    loading.join(60)
    assert not loading.is_alive() and reports
    with EventStore(path) as reopened:
        total = reopened.count()
        distinct = reopened.cursor().execute(
            "SELECT count(DISTINCT event_id) FROM events").fetchone()
        assert distinct is not None and total == distinct[0] == len(records)
