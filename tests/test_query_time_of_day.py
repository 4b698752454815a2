"""A time keyword's date and the time of day typed after it with a space
(``after:2026-12-01 05:40``) are one time: split, ``05:40`` was searched for as a word
in every record and the bound was the day's midnight, without a word."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from awsir_tui.query import EVENT_FIELDS, FilterError, compile_sql, parse, plan_lookup, quote
from awsir_tui.query.parser import with_preset, without_time_terms

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def at(hour: int, minute: int, second: float = 0, offset: int = 0) -> datetime:
    clock = datetime(2026, 12, 1, hour, minute, tzinfo=timezone(timedelta(hours=offset)))
    return (clock + timedelta(seconds=second)).astimezone(UTC)


@pytest.mark.parametrize(
    ("typed", "keyword", "instant"),
    [
        ("after:2026-12-01 05:40", "after", at(5, 40)),
        ("after:2026-12-01 05:40:10", "after", at(5, 40, 10)),
        ("after:2026-12-01 05:40:10.25", "after", at(5, 40, 10.25)),
        ("after:2026-12-01 05:40Z", "after", at(5, 40)),
        ("after:2026-12-01 05:40:10.5+02:00", "after", at(5, 40, 10.5, offset=2)),
        ("before:2026-12-01 05:40-05:00", "before", at(5, 40, offset=-5)),
        ("since:2026-12-01 05:40", "since", at(5, 40)),
        ('after:"2026-12-01" 05:40', "after", at(5, 40)),
        ("AFTER:2026-12-01 05:40", "after", at(5, 40)),
        # The hour in one digit, as people write it: 7:00 was searched for as a word.
        ("after:2026-12-01 7:00", "after", at(7, 0)),
        ("before:2026-12-01 7:05:30Z", "before", at(7, 5, 30)),
    ],
)
def test_a_date_and_the_time_typed_after_it_are_one_time(
    typed: str, keyword: str, instant: datetime
) -> None:
    query = parse(typed, EVENT_FIELDS, now=NOW)
    assert not query.clauses  # no word left to search for
    (time,) = query.times
    assert (time.keyword, time.at) == (keyword, instant)
    assert (time.position, time.length) == (0, len(typed))
    # Read back as one value, which typed again means the same.
    assert " " not in time.text and parse(time.text, EVENT_FIELDS, now=NOW).times[0].at == instant


def test_it_reads_as_the_quoted_form_does() -> None:
    joined = parse("name:x after:2026-12-01 05:40 user:bob", EVENT_FIELDS, now=NOW)
    quoted = parse('name:x after:"2026-12-01 05:40" user:bob', EVENT_FIELDS, now=NOW)
    assert joined.after == quoted.after == at(5, 40)
    assert [t.values for t in joined.terms] == [t.values for t in quoted.terms]
    assert compile_sql(joined, EVENT_FIELDS) == compile_sql(quoted, EVENT_FIELDS)


@pytest.mark.parametrize(
    ("typed", "after", "word"),
    [
        # The date has a time already: the next word is a word.
        ("after:2026-12-01T01:00 05:40", at(1, 0), "05:40"),
        # Quoted, the time is the word searched for (a pivot quotes its values so).
        (f"after:2026-12-01 {quote('05:40')}", at(0, 0), "05:40"),
        # A duration counts back from now: no date to give a time of day to.
        ("since:2h 05:40", NOW - timedelta(hours=2), "05:40"),
        # Not a time of day alone.
        ("after:2026-12-01 05:40pm", at(0, 0), "05:40pm"),
        ("after:2026-12-01 105:40", at(0, 0), "105:40"),
    ],
)
def test_only_a_bare_time_of_day_after_a_date_alone_is_joined(
    typed: str, after: datetime, word: str
) -> None:
    query = parse(typed, EVENT_FIELDS, now=NOW)
    assert query.after == after
    assert [t.values for t in query.terms] == [(word,)]


def test_a_term_after_the_date_stays_a_term() -> None:
    query = parse("after:2026-12-01 name:05:40", EVENT_FIELDS, now=NOW)
    assert query.after == at(0, 0)
    assert [(t.field, t.values) for t in query.terms] == [("name", ("05:40",))]


def test_a_time_of_day_out_of_range_is_refused_under_both_words() -> None:
    typed = "name:x after:2026-12-01 25:00"
    with pytest.raises(FilterError) as caught:
        parse(typed, EVENT_FIELDS, now=NOW)
    error = caught.value
    assert "bad time '2026-12-01T25:00' for after:" in error.message
    assert typed[error.position : error.position + error.length] == "2026-12-01 25:00"


def test_the_filter_shown_has_the_time_as_one_value() -> None:
    typed = "name:x after:2026-12-01 05:40 user:bob"
    query = parse(typed, EVENT_FIELDS, now=NOW)
    assert query.source() == "name:x after:2026-12-01T05:40 user:bob"
    explain = plan_lookup(query).explain()
    assert "from 2026-12-01 05:40:00Z to now" in explain
    assert explain.endswith("Here: every term re-checked: name:x after:2026-12-01T05:40 user:bob")


def test_a_preset_replaces_the_whole_time() -> None:
    query = parse("name:x after:2026-12-01 05:40 AND user:bob", EVENT_FIELDS, now=NOW)
    assert without_time_terms(query) == "name:x AND user:bob"
    assert with_preset(query, "1d") == "name:x AND user:bob since:1d"


def test_the_retry_to_type_has_the_time_as_one_value() -> None:
    plan = plan_lookup(parse("name:AssumeRole after:2026-12-01 05:40", EVENT_FIELDS, now=NOW))
    assert plan.approximate
    assert plan.retry == "name:ASSUMEROLE after:2026-12-01T05:40"
    assert parse(plan.retry, EVENT_FIELDS, now=NOW).after == at(5, 40)
