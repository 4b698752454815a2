"""Time presets (keys 1-4 on the events view) swap the filter's time bounds for
``since:<preset>``. Cut alone, a bound joined by ``AND``/``&&`` left the joint
dangling (``since:2h AND name:x`` became ``AND name:x since:1d``), which the parser
refuses: the key gave an error instead of applying."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from awsir_tui.query import EVENT_FIELDS, FilterError, parse
from awsir_tui.query.parser import with_preset, without_time_terms

NOW = datetime(2019, 8, 10, 12, 0, tzinfo=UTC)


def meaning(text: str) -> tuple[object, ...]:
    """What a filter asks, without where each term was typed."""
    query = parse(text, EVENT_FIELDS, now=NOW)
    clauses = tuple(tuple((t.field, t.values, t.exact, t.negated) for t in clause)
                    for clause in query.clauses)
    return clauses, query.after, query.before


@pytest.mark.parametrize(
    ("typed", "left"),
    [
        ("since:2h AND name:x", "name:x"),
        ("since:2h && name:x", "name:x"),
        ("name:x AND since:2h", "name:x"),
        ("name:x && since:2h AND user:y", "name:x && user:y"),
        ("name:x since:2h AND user:y", "name:x AND user:y"),
        ("since:2h AND before:1h AND name:x", "name:x"),
        ("after:2019-08-01 AND NOT name:x AND before:1h", "NOT name:x"),
        ("name:a OR name:b AND since:2h AND -user:y", "name:a OR name:b AND -user:y"),
        ('since:2h AND name:"a  b"', 'name:"a  b"'),
        ("since:2h AND before:1h", ""),
    ],
)
def test_a_time_bound_is_cut_with_its_joint(typed: str, left: str) -> None:
    query = parse(typed, EVENT_FIELDS, now=NOW)
    assert without_time_terms(query) == left
    preset = with_preset(query, "1d")
    assert preset == f"{left} since:1d".strip()
    assert meaning(preset) == (meaning(left)[0], NOW - timedelta(days=1), None)


@pytest.mark.parametrize("typed", ["since:2h OR name:x", "name:x OR since:2h",
                                   "since:2h || name:x"])
def test_an_ored_time_bound_never_reaches_a_preset(typed: str) -> None:
    """No OR is cut with a bound because none can join one: a bound always applies, so
    ``since:2h OR name:x`` is refused when typed and is never the filter a preset
    rewrites (cutting the bound out of an OR would widen what it means)."""
    with pytest.raises(FilterError, match="a time bound cannot be ORed"):
        parse(typed, EVENT_FIELDS, now=NOW)
