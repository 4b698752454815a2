"""Time columns, written alike in every table: the events, the findings, the case's
indicators and its timeline.

Each table had its own copy of the rule (the year in the header when the rows share
it, in each row when they span years), each with its own header (``first (UTC)``,
``first seen UTC``, ``time (UTC)``), and only the events table followed ``o`` (local
time). One :class:`TimeFormat`, made from the rows' times, gives a column its header
and writes its cells: ``first seen 2024 (UTC)`` over ``11-30 12:18``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from textual.widget import Widget

from awsir_tui.query.times import as_utc, formatted
from awsir_tui.ui.base import app_of
from awsir_tui.ui.virtual_table import Column

#: Rows over two years and less than this apart keep the short time, the years in the
#: header: months after the newest row's are the earlier year's (Event history's 90
#: days, read in January, span December and January).
_SHORT_ACROSS_YEARS = timedelta(days=183)
#: How often the span of the rows is sampled for the local offsets it crosses (a summer
#: between two winter rows included).
_OFFSET_SAMPLE = timedelta(days=7)
#: At most this many samples: over years the offsets repeat.
_OFFSET_SAMPLES = 120
#: A row's date when the rows span years the header cannot give: the year in each.
_WITH_YEAR = "%Y-%m-%d"
#: A row's date when the header gives the year.
_NO_YEAR = "%m-%d"


@dataclass(frozen=True)
class TimeFormat:
    """How a column writes its rows' times: in UTC or this machine's zone (``local``),
    the year in the header (``years``: "" for this year's) or, when None, in every
    row; ``shape`` is a row's strftime pattern."""

    local: bool
    years: str | None
    zone: str
    shape: str

    def header(self, name: str | None = None) -> str:
        """The column's header: its name, the year when the header gives it, the zone
        (``first seen 2024 (UTC)``, ``last (+01/+02)``). A column of nothing but times
        (``name`` None) is named by its year when it has one (``2024 (UTC)``: the
        events table's time column is as wide as its times), else ``time (UTC)``."""
        words = [word for word in (name, self.years) if word] or ["time"]
        return f"{' '.join(words)} ({self.zone})"

    def text(self, when: datetime | None) -> str:
        """``when`` as the column writes it ("" when not known; a naive time is UTC)."""
        if when is None:
            return ""
        return formatted(as_utc(when).astimezone() if self.local else as_utc(when),
                         self.shape)

    @property
    def width(self) -> int:
        """The cells a time takes."""
        return len(formatted(datetime(2000, 12, 31, 23, 59, 59), self.shape))


def time_format(
    times: Iterable[datetime | None], local: bool, seconds: bool = True
) -> TimeFormat:
    """The format for rows at ``times`` (None: not known, left out): month, day and
    time when they are all of this year (the year would cost the event name five
    letters at 80 columns); the year in the header when they are all of another (an
    archive of 2024 must not read as this year's), or both years (``2025-26``) when
    they run over one new year in under half a year (a readable cut: beyond it, spring
    rows of both years would need the reader to count); the year in every row when
    they span more. The time is to the second if ``seconds`` in every case: the
    seconds order a burst's calls, and one record of 1970 (a bad eventTime an archive
    keeps) among them wrote every row as ``2024-08-02 08:23``. In local time the
    header gives the offsets the rows were turned to."""
    shown = [as_utc(when).astimezone() if local else as_utc(when)
             for when in times if when is not None]
    now = datetime.now().astimezone() if local else datetime.now(UTC)
    years = header_years(shown, now.year)
    zone = _zone(local, shown or [now])
    clock = "%H:%M:%S" if seconds else "%H:%M"
    return TimeFormat(local, years, zone,
                      f"{_NO_YEAR if years is not None else _WITH_YEAR} {clock}")


def column_of_times(
    key: str, name: str | None, times: TimeFormat, when: Callable[[Any], datetime | None]
) -> Column:
    """A :class:`~.virtual_table.Column` of times (``when`` reads a row's) under
    :meth:`TimeFormat.header`, as wide as the wider of a time and the header."""
    header = times.header(name)
    return Column(key, header, max(times.width, len(header)),
                  lambda row: times.text(when(row)))


def header_years(times: Sequence[datetime], this_year: int) -> str | None:
    """The year a header gives rows at ``times`` (in the zone they are shown in), so
    that each row can leave it out: "" when they are all of ``this_year``; ``2024``
    when all of another; ``2025-26`` over one new year in under half a year. None when
    they span more: each row must then say its own."""
    years = sorted({when.year for when in times})
    if len(years) == 2 and years[1] == years[0] + 1 and (
            max(times) - min(times) < _SHORT_ACROSS_YEARS):
        return f"{years[0]}-{years[1] % 100:02d}"
    if len(years) > 1:
        return None
    year = years[0] if years else this_year
    return "" if year == this_year else str(year)


def _zone(local: bool, times: list[datetime]) -> str:
    """``UTC``, or the local offsets of the rows from ``times`` (their first and last)
    to the other, in order of first appearance: one, or several when summer time
    begins or ends within (``+02/+01``: whole hours short, so that the header fits the
    column and the source IP stays on screen at 80 columns; only a new year's
    ``2025-26`` with two offsets widens it, by three). Today's offset alone put an
    hour's error on every row of the other season."""
    if not local:
        return "UTC"
    first, last = min(times), max(times)
    step = max(_OFFSET_SAMPLE, (last - first) / _OFFSET_SAMPLES)
    samples = [first + step * n for n in range(int((last - first) / step) + 1)] + [last]
    offsets = dict.fromkeys(when.astimezone().strftime("%z") for when in samples)
    return "/".join(o[:3] if o.endswith("00") else o for o in offsets)


def switch_local_time(view: Widget) -> None:
    """``o`` in ``view``: times in UTC or in this machine's zone, in every list of the
    session from now on. Going local says that a time typed in a filter stays UTC: a
    time read off a local table and typed back found nothing."""
    app = app_of(view)
    app.local_time = not app.local_time
    if app.local_time:
        offset = datetime.now().astimezone().strftime("%z")
        offset = f"{offset[:3]}:{offset[3:]}"
        view.notify(f"times shown in this machine's zone (UTC{offset} now; the time "
                    "header names the rows' own offsets, summer's or winter's); a time "
                    "typed in a filter stays UTC unless it ends with an offset: "
                    f"after:2024-11-26T10:35{offset}", title="local time", timeout=10)


def span_words(first: datetime, last: datetime, local: bool) -> str:
    """``2024-11-26 02:13:05 – 03:40:11 UTC``: a span as a line of a pane writes it, in
    UTC or this machine's zone (``local``, as ``o`` chose: the zone named as a column's
    header names it), the last time's date said only when it is not the first's."""
    zone = time_format((first, last), local).zone
    start, end = ((as_utc(when).astimezone() if local else as_utc(when))
                  for when in (first, last))
    whole = "%Y-%m-%d %H:%M:%S"
    return (f"{formatted(start, whole)} \u2013 "
            f"{formatted(end, '%H:%M:%S' if end.date() == start.date() else whole)} {zone}")
