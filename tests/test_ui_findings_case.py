"""`:findings` writes its severities alike and its counts as every other view does (#5).

At 80x24 over an archive the table wrote ``HIGH`` and ``CRITICAL`` in capitals beside
``medium`` and ``low``: read as inconsistent, not as emphasis, which the rows' style
(critical reversed, high bold) gives. And a finding's events were ``6452`` where every
other view writes ``6,452``. Since the titles took the room (#5), the severity is its
letter, as the events table marks their events, and the count is one ``l`` away.
"""

from __future__ import annotations

import json
from pathlib import Path

from awsir_tui.cli import Options
from awsir_tui.detect.marker import LETTERS
from tests.helpers_app import screen_text, wait_for
from tests.helpers_events import all_records
from tests.helpers_ui_events import offline_app
from tests.test_ui_findings import SIZE, findings_over_the_archive

#: Copies of the Stratus BatchGetSecretValue call: one finding of 1,000 events and more.
COPIES = 1000


def table_lines(text: str) -> list[str]:
    """The screen's lines that are findings rows: each starts with its K column and
    its severity's letter (``  H Security group…``)."""
    return [line for line in text.splitlines()
            if line[:1] in (" ", "K") and line[2:].split(" ", 1)[0] in LETTERS.values()]


async def test_severities_in_lower_case_and_event_counts_with_separators(
    tmp_path: Path,
) -> None:
    records = all_records()
    bulk = next(r for r in records if r["eventName"] == "BatchGetSecretValue")
    copies = [{**bulk, "eventID": f"copy-{n}-{bulk['eventID']}"} for n in range(COPIES)]
    (tmp_path / "logs.json").write_text(json.dumps({"Records": records + copies}))
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=SIZE) as pilot:
        view = await findings_over_the_archive(pilot, app)
        levels = {f.severity for f in view.findings}
        assert {"high", "medium", "low"} <= levels
        bulk = next(f for f in view.findings if "BatchGetSecretValue" in f.title)
        count = len(bulk.event_ids)
        assert count >= 1000

        await pilot.press("g")
        await wait_for(pilot, lambda: bool(table_lines(screen_text(app))), "the rows")
        seen = table_lines(screen_text(app))
        await pilot.press(*["j"] * view.findings.index(bulk))
        await wait_for(pilot, lambda: any(
            line.startswith("  M Secrets Manag") for line in table_lines(screen_text(app))),
            "the bulk read's row")
        seen += table_lines(screen_text(app))
        # Its count, one l away: 1,0xx.
        await pilot.press("l")
        await wait_for(pilot, lambda: any(
            line.startswith("  M ") and f" {count:,} " in line
            for line in table_lines(screen_text(app))), "the bulk read's 1,0xx")
        await pilot.press("h", "G")
        await wait_for(pilot, lambda: any(line.startswith("  L ")
                                          for line in table_lines(screen_text(app))), "low")
        seen += table_lines(screen_text(app))
        written = {line[2] for line in seen}
        assert written == {LETTERS[level] for level in levels}, written  # each its letter

        await pilot.press("g", *["j"] * view.findings.index(bulk), "i")
        await wait_for(pilot, lambda: f"events   {count:,}" in screen_text(app), "its page")
