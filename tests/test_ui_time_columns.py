"""Every table writes its times alike (awsir_tui.ui.time_columns): one header style,
the year in the header when the rows share it, in each row when they span more, UTC or
the local zone the header names. The events table, :findings, :indicators and
:timeline each had their own copy, with three header styles."""

from __future__ import annotations

from datetime import UTC, datetime

from awsir_tui.ui.time_columns import time_format


def _at(year: int, month: int = 11, second: int = 40) -> datetime:
    return datetime(year, month, 30, 13, 1, second, tzinfo=UTC)


def test_the_year_in_the_header_when_the_rows_share_it_in_each_row_when_not() -> None:
    this = datetime.now(UTC).year
    times = time_format([_at(this), None], local=False)
    assert (times.header(), times.header("first seen")) == ("time (UTC)", "first seen (UTC)")
    assert [times.text(_at(this)), times.text(None)] == ["11-30 13:01:40", ""]
    times = time_format([_at(2024)], local=False, seconds=False)
    assert (times.header(), times.header("last")) == ("2024 (UTC)", "last 2024 (UTC)")
    assert times.text(_at(2024)) == "11-30 13:01"
    new_year = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    times = time_format([_at(2024), new_year], local=False)
    assert times.header("marked at") == "marked at 2024-25 (UTC)"
    assert times.text(new_year) == "01-02 03:04:05"
    times = time_format([_at(2022), new_year], local=False)
    assert (times.header(), times.header("first")) == ("time (UTC)", "first (UTC)")
    assert [times.text(_at(2022)), times.text(new_year)] == [
        "2022-11-30 13:01", "2025-01-02 03:04"]

