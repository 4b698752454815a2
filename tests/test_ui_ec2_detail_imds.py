"""IMDSv1 allowed (``HttpTokens optional``) is flagged on the instance page as an open
rule is, in red with a word: it is how the demo's proxy gave away its role's
credentials. `y` still copies AWS's own word."""

from __future__ import annotations

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_table import OPEN, Sheet
from tests.helpers_app import screen_text
from tests.helpers_ec2 import lines_of, make_app, move_to, open_edge_proxy
from tests.test_ui_ec2_yank import press_y


async def test_imds_tokens_optional_is_flagged_in_red_with_a_word(demo: DemoServer) -> None:
    """It showed ``IMDS tokens  optional`` in red with nothing said: a responder reading
    it in a capture, or without colours, saw nothing wrong."""
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_edge_proxy(pilot, app)
        await move_to(pilot, app, "IMDS tokens")
        shown = [line for line in lines_of(screen_text(app)) if line.startswith("IMDS tokens")]
        assert shown == ["IMDS tokens optional OPEN: IMDSv1, no token needed"], shown
        sheet = app.screen.query_one(Sheet)
        [laid] = sheet.get_row_at(sheet.cursor_row)  # one cell: label and value laid out
        def styles_at(at: int) -> set[object]:
            return {span.style for span in laid.spans if span.start <= at < span.end}

        assert styles_at(0) == styles_at(laid.plain.index("optional")) == {OPEN}, laid.spans
        await press_y(pilot, app, "optional")
