"""Counts of the loaded events are reused while the load has not moved (#5: `x` in
:indicators takes the pane's). A part of the load that L went on with, reading as many
events as the part before it, left the mark as it was: the counts of the part before C
were taken for current beside a COMPLETE verdict. Over the Stratus records."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from awsir_tui.case.model import Case
from awsir_tui.events.naming import Counted, load_mark, loaded_counts, loaded_naming, naming_filters
from awsir_tui.events.sources import ArchiveSource
from awsir_tui.events.store import EventStore
from tests.helpers_events import all_records


def test_a_part_reading_as_many_events_as_the_last_still_moves_the_mark(
    tmp_path: Path,
) -> None:
    records = all_records()
    logs = tmp_path / "logs"
    logs.mkdir()
    whole = json.dumps({"Records": records}).encode()
    (logs / "a.json").write_bytes(whole)
    (logs / "b.json").write_bytes(whole[:40])  # cut short: skipped, and L tries it again
    address = Counter(r["sourceIPAddress"] for r in records).most_common(1)[0][0]
    case = Case("c")
    case.mark(address, "ip")
    indicators = list(case.indicators.values())
    filters = naming_filters(indicators)
    archive = ArchiveSource([str(logs)], EventStore())
    try:
        first = archive.load()
        assert first.skipped and first.events == len(records)
        assert archive.progress is not None and archive.progress.events == len(records)
        before = Counted(archive, load_mark(archive), filters,
                         dict(loaded_naming(filters, archive)))
        assert before.current(archive, filters) == before.counts  # nothing moved yet

        again = [{**r, "eventID": f"b-{r['eventID']}"} for r in records]
        (logs / "b.json").write_text(json.dumps({"Records": again}))
        second = archive.load(again=True)
        assert not second.skipped and second.events == 2 * len(records)
        assert archive.progress is not None  # this part read as many as the first:
        assert archive.progress.events == len(records)

        assert before.current(archive, filters) == {}
        reused = loaded_counts(indicators, archive, before).counts
        assert reused == loaded_counts(indicators, archive).counts
        assert reused[("ip", address)].count == 2 * before.counts[("ip", address)].count
    finally:
        archive.store.close()
