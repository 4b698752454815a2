"""An instance's user data at 80x24: a script's final newline ends its last line, it is
not a numbered empty line of its own."""

from __future__ import annotations

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_table import Sheet
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ec2 import make_app, open_instance_details, sheet


async def test_user_data_ending_in_a_newline_shows_no_empty_last_line(demo: DemoServer) -> None:
    facts = demo.facts
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, facts.proxy_instance_id)
        rows = sheet(app)
        start = rows.index(next(r for r in rows if r.startswith("User data")))
        # The demo's proxy (PROXY_BOOT), its heredoc's lines indented with tabs: laid
        # out as spaces, not shown as \x09 as a tab in a one-line value is.
        assert [r.split() for r in rows[start + 1:]] == [
            ["1", "#!/bin/bash"], ["2", "yum", "-y", "install", "squid"],
            ["3", "cat", ">", "/etc/squid/squid.conf", "<<-EOF"],
            ["4", "http_port", "3128"], ["5", "http_access", "allow", "all"], ["6", "EOF"],
            ["7", "systemctl", "enable", "--now", "squid"],
        ]
        assert rows[start + 4].endswith("    http_port 3128")
        await pilot.press("G")  # the page's end, as a responder reads it
        await wait_for(pilot, lambda: app.screen.query_one(Sheet).cursor_row == len(rows) - 1)
        await pilot.pause()
        shown = [line.split() for line in screen_text(app).splitlines()]
        assert ["8"] not in shown
        assert any(line[:2] == ["7", "systemctl"] for line in shown)
