"""`:findings` at 80x24 tells every finding's row from the others by what it says (#5,
responder review): over the Stratus logs the title had 17 cells and the rows read
``EC2 serial conso…`` four times, ``Interactive acce…`` six, ``Bedrock model ac…``
three, ``Denied attempt: …`` for three rules, and the summary, which names the
instance, ran out before it; only the row under the cursor was readable, in the pane.
The severity is its letter and the count is past the right edge (``l``): their cells
went to the title and the summary."""

from __future__ import annotations

import re
from itertools import combinations

from awsir_tui.cli import Options
from awsir_tui.ui.findings_view import FindingsTable, FindingsView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_events import STRATUS
from tests.helpers_ui_events import offline_app
from tests.test_ui_findings import findings_over_the_archive

TIME = re.compile(r"\d\d-\d\d \d\d:\d\d")


def table_lines(view: FindingsView) -> list[str]:
    """The findings table's lines on screen, its header first."""
    region = view.query_one(FindingsTable).region
    lines = screen_text(view.app).splitlines()[region.y:region.bottom]
    return [line[region.x:region.right] for line in lines]


async def test_each_findings_row_reads_apart_at_80() -> None:
    app = offline_app(Options(sources=[str(STRATUS)]))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await findings_over_the_archive(pilot, app)
        findings = view.findings
        titles = [f.title for f in findings]
        assert titles.count("EC2 serial console access enabled or used") == 4, titles
        table = view.table
        header = table_lines(view)[0]
        assert header.split()[:4] == ["K", "!", "finding", "summary"], header
        assert "when (UTC)" in header and "events" not in header, header
        title_at, summary_at = header.index("finding"), header.index("summary")
        when_at = header.index("when")

        rows: dict[int, str] = {}
        while len(rows) < len(findings):
            top = int(table.scroll_y)
            await wait_for(pilot, lambda top=top: bool(table_lines(view)[1][title_at:].strip())
                           and int(table.scroll_y) == top, "the page drawn")
            for index, line in enumerate(table_lines(view)[1:], start=top):
                if index < len(findings) and line.strip():
                    rows[index] = line
            await pilot.press("ctrl+f")
            await wait_for(pilot, lambda top=top: int(table.scroll_y) > top
                           or top + table.size.height > len(findings), "the next page")
        # Every row says something the others do not, its time aside.
        untimed = [TIME.sub("", rows[i]) for i in range(len(findings))]
        assert len(set(untimed)) == len(findings), "\n".join(untimed)
        for one, other in combinations(range(len(findings)), 2):
            a, b = rows[one], rows[other]
            if findings[one].title != findings[other].title:
                # Titles that begin alike differ in their cells (Denied attempt: …).
                assert a[title_at:summary_at] != b[title_at:summary_at], (a, b)
            else:
                # One rule's findings differ by their summary (the instance, the call).
                assert a[summary_at:when_at] != b[summary_at:when_at], (a, b)
        # Severity in its letter, as the events table marks them.
        assert {line[2] for line in rows.values()} == {"H", "M", "L"}, rows

        # The count is one l away, beside the severity, which stays.
        await pilot.press("l")
        await wait_for(pilot, lambda: "events" in table_lines(view)[0], "the count")
        assert table_lines(view)[0].split()[:2] == ["K", "!"], table_lines(view)[0]
