"""QA's walk at 80x24: the malicious instance's page, `m` on its key name and on its
Name tag (the attacker's ``[bold red]x[/] [/``), then :indicators, Enter and x. What the
page showed goes with each mark, and the values written for a sweep survive the tag."""

from __future__ import annotations

import shutil
import subprocess

from awsir_tui.case.export import VALUES, export_name
from awsir_tui.case.store import export_folder
from awsir_tui.demo.attack import HOSTILE_TAG_VALUE
from awsir_tui.demo.server import DemoServer
from awsir_tui.query.times import to_datetime
from awsir_tui.ui.case_views import IndicatorsView, PivotMenu
from tests.helpers_app import demo_app, open_view, said_after, screen_text, wait_for
from tests.helpers_ec2 import move_to, open_instance_details, sheet

TAGGED = f"Name={HOSTILE_TAG_VALUE}"


async def test_the_key_and_the_tag_marked_on_the_page_keep_what_the_page_showed(
    demo: DemoServer,
) -> None:
    """The key marked on its ``Key name`` row was first seen "unknown" though the page
    showed ``Created`` under it (from :keys it is dated); the tag was kept as ``tag
    [bold red]x[/] [/``, no word of the Name tag. The key is first seen at its creation;
    the tag is ``Name=…`` in the notification, the row and Enter's menu, whose events
    search the value itself; x writes the values alone, and ``grep -F -f`` sweeps a log
    with them, the tag included."""
    facts = demo.facts
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, facts.malicious_instance_id)
        await wait_for(pilot, lambda: app.case is not None, "case open")
        session = app.case
        assert session is not None
        [created] = [row.split()[1] for row in sheet(app) if row.startswith("Created ")]
        await move_to(pilot, app, "Key name ")
        await pilot.press("m")
        await move_to(pilot, app, f"Name {HOSTILE_TAG_VALUE}")
        assert await said_after(pilot, app, "m") == f"marked tag {TAGGED}"
        await wait_for(pilot, lambda: len(session.case.indicators) == 2, "the two marks")
        key = session.case.indicators[("key-pair", facts.attacker_key_name)]
        assert key.first_seen == key.last_seen == to_datetime(created)

        view = await open_view(pilot, app, "indicators")
        assert isinstance(view, IndicatorsView)
        await wait_for(pilot, lambda: TAGGED in screen_text(app), "the tag's row, with its key")
        row = [item.kind for item in view._indicators()].index("tag")
        await pilot.press("g", *"j" * row, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PivotMenu), "Enter's menu")
        shown = screen_text(app)
        assert f"tag {TAGGED}" in shown and "the value of the tag Name" in shown, shown
        assert f"instances with the tag {TAGGED}" in shown, shown
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is view, "back on :indicators")

        await pilot.press("x")
        values = export_folder(session.path) / export_name(session.path.stem, VALUES)
        await wait_for(pilot, values.exists, "the values written")

    assert sorted(values.read_text(encoding="utf-8").splitlines()) == sorted(
        [facts.attacker_key_name, HOSTILE_TAG_VALUE])
    log = values.with_name("some.log")
    log.write_text(f"boot\nName={HOSTILE_TAG_VALUE}\nkey {facts.attacker_key_name} used\n",
                   encoding="utf-8")
    grep = shutil.which("grep")
    assert grep is not None
    found = subprocess.run([grep, "-F", "-f", str(values), str(log)], capture_output=True,
                           text=True, check=False, timeout=60)
    assert (found.returncode, found.stderr) == (0, "")
    assert found.stdout.splitlines() == [f"Name={HOSTILE_TAG_VALUE}",
                                         f"key {facts.attacker_key_name} used"]
