"""E on a row of the events list opens the events of the row's instance (a responder
review at 80x24): it worked on the instance, group and key lists and on an event's
page, and did nothing on the events list, saying nothing. It decides as the page does
(the caller's instance when an instance role's session made the call, else the one
instance the record names) and says which, or why there is none.

Over Stratus Red Team's stolen-credentials detonation (the thief's calls made with
the instance's role) and its admin-user creation (IAM calls naming no instance).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from awsir_tui.cli import Options
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import composed, said_after, screen_text, wait_for
from tests.helpers_events import STEAL_CREDENTIALS, STRATUS
from tests.helpers_ui_events import archive_loaded, offline_app
from tests.test_ui_instance_events_mentions import STOLEN, events_above

SIZE = (80, 24)
CREATE_ADMIN = "aws.persistence.iam-create-admin-user"


def logs(tmp_path: Path) -> Path:
    """A folder holding copies of the two detonations' files."""
    folder = tmp_path / "logs"
    folder.mkdir()
    for name in (STEAL_CREDENTIALS, CREATE_ADMIN):
        shutil.copy(STRATUS / f"{name}.json", folder)
    return folder


async def test_E_on_a_row_opens_the_events_of_its_instance(tmp_path: Path) -> None:
    app = offline_app(Options(sources=[str(logs(tmp_path))]))
    async with app.run_test(size=SIZE) as pilot:
        first = await archive_loaded(pilot, app)
        # The footer keeps q Quit at 80 columns; E is in the view's help, as ? shows it.
        assert "q Quit" in screen_text(app).splitlines()[-1]
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: composed(app, HelpScreen, "Static"), "the help")
        assert isinstance(app.screen, HelpScreen)
        assert "E opens the events" in " ".join(app.screen.body.plain.split())
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is first, "the list")
        await pilot.press("slash", *"name:GetCallerIdentity", "enter")
        await wait_for(pilot, lambda: first.filter_text == "name:GetCallerIdentity"
                       and first.table.row_count == 1 and first.table.peek_row(0) is not None,
                       "the thief's GetCallerIdentity")
        said = await said_after(pilot, app, "E")
        assert said == (f"events of {STOLEN}: the caller's instance (its role's credentials "
                        "made this call)"), said
        view = await events_above(pilot, app, first)
        assert view.crumb == f"events of {STOLEN}"
        assert view.table.row_count == 45


async def test_E_on_a_row_naming_no_instance_says_why(tmp_path: Path) -> None:
    app = offline_app(Options(sources=[str(logs(tmp_path))]))
    async with app.run_test(size=SIZE) as pilot:
        first = await archive_loaded(pilot, app)
        await pilot.press("slash", *"name:CreateUser", "enter")
        await wait_for(pilot, lambda: first.filter_text == "name:CreateUser"
                       and first.table.row_count == 1 and first.table.peek_row(0) is not None,
                       "the CreateUser call")
        said = await said_after(pilot, app, "E")
        assert said == ("no instance here: the caller's user name is no instance ID and "
                        "the event names none"), said
        assert app.screen is first
        assert isinstance(app.screen, EventsView)
