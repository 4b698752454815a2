"""A day that does not exist (2026-13-45) is said to be no date, the date underlined,
in every time field that takes a day, instead of a message about other forms."""

from __future__ import annotations

import pytest

from awsir_tui.demo.server import DemoServer
from awsir_tui.query import EVENT_FIELDS, FilterError, parse
from awsir_tui.query.fields import INSTANCE_FIELDS, KEY_PAIR_FIELDS, FieldTable
from awsir_tui.query.times import date_problem
from awsir_tui.ui.ec2_instances import InstancesView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ec2 import loaded_list, make_app, type_filter


@pytest.mark.parametrize(("text", "reason"), [
    ("2026-13-45", "there is no month 13"),
    ("2026-00-10", "there is no month 0"),
    ("2026-02-29", "2026-02 has 28 days"),
    ("2026-11-31T10:00Z", "2026-11 has 30 days"),
    ("0000-01-01", "there is no year 0"),
])
def test_an_impossible_date_says_which_part_is_wrong(text: str, reason: str) -> None:
    assert date_problem(text) == f"'{text[:10]}' is not a valid date ({reason})"


@pytest.mark.parametrize("text", ["2024-02-29", "2026-11-30T23:59Z", "2h", "yesterday", ""])
def test_a_real_date_or_no_date_at_all_is_no_date_problem(text: str) -> None:
    assert date_problem(text) is None


@pytest.mark.parametrize(("table", "text", "value"), [
    (INSTANCE_FIELDS, "launched:2026-13-45", "2026-13-45"),
    (INSTANCE_FIELDS, 'state:running -launched:2026-01-02,"2026-02-30"', "2026-02-30"),
    (EVENT_FIELDS, "name:RunInstances time:2026-13-45", "2026-13-45"),
    (EVENT_FIELDS, "time:2026-04-31T10:00Z", "2026-04-31T10:00Z"),
    (KEY_PAIR_FIELDS, "created:2026-13-01", "2026-13-01"),
])
def test_each_field_that_takes_a_day_says_the_date_is_not_valid_under_it(
    table: FieldTable, text: str, value: str
) -> None:
    with pytest.raises(FilterError) as caught:
        parse(text, table)
    error = caught.value
    assert "is not a valid date" in error.message and "YYYY-MM-DD" in error.message
    assert "use since:" not in error.message
    assert text[error.position:error.position + error.length] == value


async def test_the_instances_say_the_month_is_not_valid_at_80(demo: DemoServer) -> None:
    """The tester's `/launched:2026-13-45⏎`: the message told how to bound a launch
    time with since:, never that there is no month 13."""
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await type_filter(pilot, "launched:2026-13-45")
        await wait_for(pilot, lambda: "not a valid date" in screen_text(app), "the message")
        lines = screen_text(app).splitlines()
        carets = next(n for n, line in enumerate(lines) if "^" in line)
        column = lines[carets].index("^")
        assert lines[carets][column:column + 11] == "^" * 10 + " "
        assert lines[carets - 1][column:column + 10] == "2026-13-45"  # the date underlined
        shown = " ".join(" ".join(lines[carets:]).split())
        assert "'2026-13-45' is not a valid date (there is no month 13)" in shown, shown
        assert "(launched:2026-11-29)" in shown, shown
