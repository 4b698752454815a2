"""A pivot's events reopened by the case keep the pivot's terms under `/` (#5): Enter on
an address in an event's page lists its events, `/` adds to the address's terms; after
a restart the case reopened that list (or, since the pivot's events were made with
more than text, not even that) and `/` typed over the terms, as any filter. Keys at
80x24 over the Stratus archive, the same case (XDG data dir) across the two starts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.case.store import CaseStore
from awsir_tui.cli import Options
from awsir_tui.ui.events_detail import EventDetailView
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import wait_for
from tests.helpers_events import STRATUS
from tests.helpers_ui_events import archive_loaded, offline_app
from tests.test_ui_event_page_keys import cursor_key

NARROWED = "name:GetCallerIdentity"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def the_app() -> AwsirApp:
    """The app over the Stratus archive: each start continues the one case."""
    return offline_app(Options(sources=[str(STRATUS)]))


async def address_events(pilot: Pilot[Any], app: AwsirApp) -> EventsView:
    """Over an app started with ``--source``, once loaded: Enter on the first event,
    Enter on its address, and the address's events (a pivot's) up."""
    listing = await archive_loaded(pilot, app)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, EventDetailView), "the event")
    page = app.screen
    assert isinstance(page, EventDetailView)
    await pilot.press("slash", *"sourceIPAddress", "enter")
    await wait_for(pilot, lambda: cursor_key(page) == "sourceIPAddress", "the address")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                   and app.screen is not listing, "the address's events")
    pivot = app.screen
    assert isinstance(pivot, EventsView)
    assert pivot.filter_text.startswith("ip:=")
    return pivot


async def address_events_left(typed: str = "") -> tuple[str, str]:
    """A first start: the address's events, ``typed`` at `/` over them, quit once the
    case keeps that list. The pivot's terms, the case's name."""
    app = the_app()
    async with app.run_test(size=(80, 24)) as pilot:
        pivot = await address_events(pilot, app)
        terms = left = pivot.filter_text
        if typed:
            await pilot.press("slash", *typed, "enter")
            left = f"{terms} {typed}"
            await wait_for(pilot, lambda: pivot.filter_text == left, "the filter applied")
        assert app.case is not None
        name = app.case.case.name
        await wait_for(pilot, lambda: CaseStore().load(name).place.get("arguments") == {
            "filter_text": left, "pivot_terms": terms}, "the place kept with its terms")
    return terms, name


async def reopened(pilot: Pilot[Any], app: AwsirApp, filter_text: str) -> EventsView:
    """The list the case reopened over the archive's events, once its rows are in."""
    await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                   and app.screen.filter_text == filter_text
                   and not app.screen.top_level and app.screen.selection is not None,
                   "the pivot's events reopened")
    view = app.screen
    assert isinstance(view, EventsView)
    return view


async def test_slash_over_a_reopened_pivot_adds_to_its_terms() -> None:
    terms, _ = await address_events_left()
    app = the_app()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await reopened(pilot, app, terms)
        await pilot.press("slash", *NARROWED, "enter")
        await wait_for(pilot, lambda: view.filter_text != terms, "the filter applied")
        assert view.filter_text == f"{terms} {NARROWED}"


async def test_a_reopened_narrowed_pivot_keeps_the_pivots_terms_not_the_filter() -> None:
    """Narrowed before the restart: the terms `/` keeps are the pivot's, so another
    narrowing in place of the first still adds to them."""
    terms, name = await address_events_left(NARROWED)
    app = the_app()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await reopened(pilot, app, f"{terms} {NARROWED}")
        # `/` opens on the filter and a space after it: the narrowing rubbed out.
        await pilot.press("slash", *["backspace"] * (len(NARROWED) + 1), *"error:*", "enter")
        await wait_for(pilot, lambda: view.filter_text == f"{terms} error:*",
                       "the other narrowing applied")
        await pilot.press("slash", *"name:*", "enter")
        await wait_for(pilot, lambda: view.filter_text != f"{terms} error:*",
                       "added to, not typed over")
        assert view.filter_text == f"{terms} error:* name:*"
        await wait_for(pilot, lambda: CaseStore().load(name).place.get("arguments") == {
            "filter_text": view.filter_text, "pivot_terms": terms}, "kept again")
