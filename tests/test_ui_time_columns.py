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
        "2022-11-30 13:01:40", "2025-01-02 03:04:05"]


def test_rows_over_years_not_adjacent_keep_their_seconds() -> None:
    """The year in every row did not cost the seconds: one record of 1970 (a bad
    eventTime an archive keeps) among a burst, or an archive of 2022 and 2024, wrote
    its rows to the minute, and a burst's calls a second apart lost their order. A
    column that chose the minute (:evidence, :findings, :indicators) keeps it."""
    burst = [datetime(2024, 8, 2, 8, 23, 55, tzinfo=UTC),
             datetime(2024, 8, 2, 8, 23, 56, tzinfo=UTC)]
    for other in (datetime(1970, 1, 1, tzinfo=UTC), _at(2022)):
        times = time_format([*burst, other], local=False)
        assert (times.header(), times.width) == ("time (UTC)", 19)
        assert [times.text(when) for when in (*burst, other)] == [
            "2024-08-02 08:23:55", "2024-08-02 08:23:56", f"{other:%Y-%m-%d %H:%M:%S}"]
        minutes = time_format([*burst, other], local=False, seconds=False)
        assert (minutes.text(burst[1]), minutes.width) == ("2024-08-02 08:23", 16)
    # One year, or two adjacent ones, in the header: the rows keep the short time.
    assert time_format(burst, local=False).text(burst[1]) == "08-02 08:23:56"
    new_year = datetime(2025, 1, 1, 0, 0, 27, tzinfo=UTC)
    times = time_format([datetime(2024, 12, 30, tzinfo=UTC), new_year], local=False)
    assert (times.header(), times.text(new_year)) == ("2024-25 (UTC)", "01-01 00:00:27")

