"""`:stack` shows the cursor's group whole under the table: at 80 columns a resource's
ARN was cut (``arn:aws:iam::307578594326:role/stratus-red-te…``), two of one account's
roles read alike, and nothing showed them whole (#5, responder review). Over the
Stratus archive, at 80x24, keys pressed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from awsir_tui.cli import Options
from tests.helpers_app import screen_text, wait_for
from tests.helpers_events import STRATUS
from tests.helpers_ui_events import offline_app
from tests.test_ui_stack import stack_by_resource


async def test_the_cursors_group_is_said_whole_under_the_table(tmp_path: Path) -> None:
    app = offline_app(Options(sources=[str(STRATUS)]))
    async with app.run_test(size=(80, 24)) as pilot:
        stack = await stack_by_resource(pilot, app)
        row = next(i for i, r in enumerate(stack.rows)
                   if isinstance(r[0], str) and len(r[0]) > 60)
        arn = str(stack.rows[row][0])
        await pilot.press("g", *["j"] * row)
        await wait_for(pilot, lambda: f"resource: {arn}" in joined(app), "the group whole")
        # Its row in the table cuts it: the line under the table is where it is whole.
        assert not any(arn in line for line in screen_text(app).splitlines()
                       if "\u2588" in line)
        assert f"{arn}  {stack.rows[row][-1]}" in joined(app)  # and its count


def joined(app: Any) -> str:
    """The screen's lines end to end, each without the spaces that pad it: a value
    wrapped onto the next line reads whole."""
    return "".join(line.rstrip() for line in screen_text(app).splitlines())
