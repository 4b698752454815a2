"""A bad time's hint fits its keyword (#5, QA): a typo in ``before:2024-08-02T25:00Z``
was told "use a duration (30m, 2h…)", while before: and after: mark an instant, typed
as a date-time; since: counts back, a duration first."""

from __future__ import annotations

import pytest

from awsir_tui.query import EVENT_FIELDS, FilterError, parse
from tests.helpers_events import STRATUS
from tests.helpers_headless import run_cli

INSTANT = "an ISO date/time (2019-08-09, 2019-08-09T12:00Z)"


@pytest.mark.parametrize(("text", "said"), [
    ("before:2024-08-02T25:00Z", f"bad time '2024-08-02T25:00Z' for before: use {INSTANT}"),
    ("after:yesterday", f"bad time 'yesterday' for after: use {INSTANT}"),
    ("before:", f"'before:' needs a time: {INSTANT}"),
    ("since:2x", "bad time '2x' for since: use a duration (30m, 2h, 7d, 1w) or " + INSTANT),
    ("since:", "'since:' needs a time: a duration (30m, 2h, 7d, 1w) or " + INSTANT),
])
def test_the_hint_names_the_forms_the_keyword_is_written_in(text: str, said: str) -> None:
    with pytest.raises(FilterError) as caught:
        parse(text, EVENT_FIELDS)
    assert caught.value.message == said


@pytest.mark.parametrize("option", ["--before", "--after"])
def test_a_bad_time_option_is_told_a_date_time(option: str) -> None:
    code, out, err = run_cli("events", "--source", str(STRATUS), option, "2024-08-02T25:00Z")
    assert (code, out) == (2, ""), err
    assert err == f"awsir-tui: {option}: bad time '2024-08-02T25:00Z': use {INSTANT}\n"
