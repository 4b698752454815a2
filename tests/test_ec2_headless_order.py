"""Every headless EC2 list comes out in the order its view opens in, in every format:
instances newest launches first, key pairs newest first, security groups open to the
world first, then used, unused, default groups last. A responder piping `awsir-tui
instances` to `head` expects the rows the screen opens on; AWS's order put a
two-month-old instance first.

The view's order is read from its table after Pilot opened it (and typed its filter)
at 80x24; the command's from its output; both on the demo account, whose instances
and key pairs AWS does not list newest first.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json

import pytest

from awsir_tui.cli import main
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_groups import SecurityGroupsView
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.ec2_keys import KeyPairsView
from tests.helpers_ec2 import ids, loaded_list, make_app, type_filter

#: command -> (view name, its class, the ID's header, its JSON field, the time column
#: the view opens sorted on, newest first: None where it opens on what needs a look)
LISTS: dict[str, tuple[str, type, str, str, str | None]] = {
    "instances": ("instances", InstancesView, "ID", "InstanceId", "Launched"),
    "security-groups": ("sg", SecurityGroupsView, "ID", "GroupId", None),
    "key-pairs": ("keys", KeyPairsView, "ID", "KeyPairId", "Created"),
}
#: Each list whole, and filtered to some of its rows.
CASES = [
    ("instances", ""), ("instances", "state:running"),
    ("security-groups", ""), ("security-groups", "used:false"),
    ("key-pairs", ""), ("key-pairs", "used:false"),
]
FORMATS = ("table", "json", "jsonl", "csv")


async def command_ids(demo: DemoServer, capsys: pytest.CaptureFixture[str], command: str,
                      fmt: str, filter_text: str) -> list[str]:
    """The IDs `awsir-tui COMMAND --format FMT` prints, in its order (on the regions
    the app reads: the demo's, in their order)."""
    # In a thread: the command runs its own event loop, the test's is running.
    # No --filter for the whole list: an empty one is refused (an unset variable?).
    filtered = ["--filter", filter_text] if filter_text else []
    code = await asyncio.to_thread(
        main, [command, *filtered, "--format", fmt,
               "--endpoint-url", demo.endpoint_url, "--regions", ",".join(demo.regions)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    out = captured.out
    _, _, header, field, _ = LISTS[command]
    if fmt == "json":
        return [item[field] for item in json.loads(out)]
    if fmt == "jsonl":
        return [json.loads(line)[field] for line in out.splitlines()]
    if fmt == "csv":
        return [row[header] for row in csv.DictReader(io.StringIO(out))]
    # A table piped: a header line, then one record a line, the ID column first or last.
    headers, *rows = out.splitlines()
    words = headers.split()
    assert header in (words[0], words[-1]), headers
    return [row.split()[0 if words[0] == header else -1] for row in rows]


@pytest.mark.parametrize(("command", "filter_text"), CASES)
async def test_every_format_lists_in_the_views_order(
    demo: DemoServer, capsys: pytest.CaptureFixture[str], command: str, filter_text: str
) -> None:
    name, view, header, _, newest = LISTS[command]
    app = make_app(demo, first_view=name)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, view)
        shown = ids(app, header)
        if filter_text:
            whole = shown
            await type_filter(pilot, filter_text)
            shown = ids(app, header)
            assert 0 < len(shown) < len(whole), filter_text  # the filter kept some rows
        times = ids(app, newest) if newest else []
    assert shown
    # The view's order is the one asked for, so matching it is not matching AWS's.
    assert times == sorted(times, reverse=True)
    for fmt in FORMATS:
        assert await command_ids(demo, capsys, command, fmt, filter_text) == shown, fmt
