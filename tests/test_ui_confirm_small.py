"""The Confirm dialog on a small terminal (60x20, over SSH): the question and the Yes/No
are on screen inside the box, and a question longer than the room scrolls while the
answers stay (real app, real keys, demo HTTP)."""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Button

from awsir_tui.ui.dialogs import Confirm
from tests.helpers_app import screen_text, wait_for
from tests.helpers_posture import make_app
from tests.test_ui_posture_forensics import open_proxy_details

SMALL = (60, 20)


def inside(widget: Widget, outer: Widget) -> bool:
    """Whether all of ``widget`` is drawn within ``outer``'s region."""
    region = widget.region
    return bool(region.area) and outer.region.contains_region(region)


def box_fits(app: Any) -> Widget:
    """The dialog's box, checked to be whole on screen with both answers inside it."""
    box: Widget = app.screen.children[0]
    assert app.screen.region.contains_region(box.region), (box.region, app.screen.region)
    lines = screen_text(app).splitlines()
    region = box.region
    for y in (region.y, region.bottom - 1):  # the border drawn, left and right
        assert lines[y][region.x] == lines[y][region.right - 1] == "\u2588", lines[y]
    for button in app.screen.query(Button):
        assert inside(button, box), (button.id, button.region, box.region)
    text = screen_text(app)
    assert "Y (capital) = yes, do it" in text and "No" in text
    return box


async def test_snapshot_confirmation_fits_60x20(demo: Any) -> None:
    facts = demo.facts
    app = make_app(demo, allow_actions=True, first_view="regions")
    async with app.run_test(size=SMALL) as pilot:
        await open_proxy_details(app, demo, pilot)
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm), "the confirmation")
        await pilot.pause()
        box_fits(app)
        text = screen_text(app)
        assert "This changes the AWS account." in text
        assert f"ec2:CreateSnapshot in {facts.proxy_region}" in text
        assert "Yes, change the account" in text
        while isinstance(app.screen, Confirm):  # one question per volume: no to each
            await pilot.press("n")
            await pilot.pause()


async def test_a_long_question_scrolls_and_the_answers_stay(demo: Any) -> None:
    app = make_app(demo, allow_actions=True, first_view="regions")
    answers: list[bool | None] = []
    question = Text("\n".join(f"detail line {n}" for n in range(1, 41)))
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: app.screen_stack[-1] is not app.screen_stack[0],
                       "first view")
        app.push_screen(Confirm(question), answers.append)
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm), "the confirmation")
        await pilot.pause()
        box = box_fits(app)
        assert re.search(r"detail line 1(?!\d)", screen_text(app))  # its top first
        assert "detail line 40" not in screen_text(app)
        await pilot.press("end")  # the question's end, the No button still focused
        await pilot.pause()
        box_fits(app)
        assert box.scroll_y > 0 and "detail line 40" in screen_text(app)
        assert isinstance(app.focused, Button) and app.focused.id == "no"
        await pilot.press("enter")
        await wait_for(pilot, lambda: answers == [False], "answered No")


async def test_notices_are_not_drawn_over_the_question_or_its_answers(demo: Any) -> None:
    """The notices of earlier calls (kept 30 s) covered the CreateImage question's last
    lines and its Yes button: the box is drawn above them (notifications on, as in the
    real app; run_test turns them off by default)."""
    app = make_app(demo, allow_actions=True, first_view="regions")
    question = Text("\n".join(f"detail line {n}" for n in range(1, 9)))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: app.screen_stack[-1] is not app.screen_stack[0],
                       "first view")
        app.push_screen(Confirm(question))
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm), "the confirmation")
        for n in range(3):
            app.notify(f"CreateSnapshot on vol-{n}: created snap-{n} " * 3, timeout=30)
        await pilot.pause(0.5)
        box = app.screen.query_one(VerticalScroll)
        text = screen_text(app)
        assert "detail line 8" in text and "Yes, change the account" in text
        assert not any("snap-" in line[box.region.x:box.region.right]
                       for line in text.splitlines()[box.region.y:box.region.bottom])
