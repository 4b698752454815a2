"""Reading the times a responder types: ``2h``, ``7d``, ``2019-08-09``, ``...T12:00Z``,
and writing times back in the two forms the tool shows.

Everything becomes an aware UTC datetime, because CloudTrail, EC2 and the event store
all speak UTC and a naive time compared with an aware one raises in Python. Written
times are always UTC and marked ``Z``: a time printed in its own offset beside one in
UTC would put events hours apart in a timeline, and an attacker's file may carry any.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime, timedelta

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"^(\d{1,7})([smhdw])$", re.IGNORECASE)
#: Written as a duration, whatever its size.
_DURATION_SHAPE = re.compile(r"^\d+[smhdw]$", re.IGNORECASE)
#: Durations longer than this are certainly typos, and would overflow datetime.
_MAX_DURATION = timedelta(days=365 * 100)
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
#: A date at the start of a value (a time of day may follow).
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])")
#: A time of day alone, as typed after a date and a space: ``05:40``, ``05:40:10.5Z``,
#: ``05:40+02:00``, and with its hour in one digit, ``7:00``, as people write it.
_CLOCK = re.compile(
    r"[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})?"
)


def parse_duration(text: str) -> timedelta | None:
    """``2h`` -> 2 hours; None when ``text`` is not a duration."""
    match = _DURATION.match(text)
    if not match:
        return None
    seconds = int(match.group(1)) * _UNITS[match.group(2).lower()]
    duration = timedelta(seconds=seconds)
    return duration if duration <= _MAX_DURATION else None


def parse_instant(text: str) -> datetime | None:
    """An ISO date or date-time (``Z`` or an offset; naive means UTC); None if not one."""
    if not text or not text[0].isdigit():
        return None
    try:
        return as_utc(datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00")))
    except (ValueError, OverflowError):  # e.g. year 1 with a positive offset
        return None


def parse_day(text: str) -> tuple[datetime, datetime] | None:
    """``2026-11-29`` -> that UTC day as ``[midnight, next midnight)``; None if not a date.

    Only the plain ``YYYY-MM-DD`` form: a time of day or a duration in a value that
    names a day would leave unsaid how long the span is.
    """
    if not _DAY.match(text):
        return None
    try:
        start = datetime.fromisoformat(text).replace(tzinfo=UTC)
        return start, start + timedelta(days=1)
    except (ValueError, OverflowError):  # 2026-02-30; 9999-12-31 has no next day
        return None


def completes_date(date: str, clock: str) -> bool:
    """Whether ``clock`` is a time of day alone (``05:40``, ``7:00``, ``05:40:10Z``) and
    ``date`` a date alone: typed after it with a space, as people write a time, the two
    are one instant. (It may be out of range, 25:00: the instant then says so, rather
    than a word searched for.)"""
    return bool(_DAY.match(date) and _CLOCK.fullmatch(clock))


def duration_problem(text: str) -> str | None:
    """Why ``text``, written as a duration (``99999999999d``), is none the filter
    takes; None when it is not written as one, or is one. Said as what it is rather
    than as a bad time that should have been a duration."""
    if not _DURATION_SHAPE.match(text) or parse_duration(text) is not None:
        return None
    return f"'{text}' reaches back more than {_MAX_DURATION.days // 365} years"


def date_problem(text: str) -> str | None:
    """Why ``text``, written as a date (``2026-13-45``, perhaps with a time after it),
    names no day; None when it is not written as a date, or its day exists.

    A value in the date's form that fails to read is a typo in the date: saying which
    part is wrong beats a message about the forms the value could have taken.
    """
    match = _DATE.match(text)
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    if year == 0:
        reason = "there is no year 0"
    elif not 1 <= month <= 12:
        reason = f"there is no month {month}"
    else:
        last = calendar.monthrange(year, month)[1]
        if 1 <= day <= last:
            return None
        reason = f"{year:04d}-{month:02d} has {last} days"
    return f"'{match.group(0)}' is not a valid date ({reason})"


def as_utc(value: datetime) -> datetime:
    """The same instant as an aware UTC datetime (naive values are taken as UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def formatted(value: datetime, pattern: str) -> str:
    """``value.strftime(pattern)`` with ``%Y`` always four digits: strftime wrote year 1
    as ``1-01-01``, which no parser reads as a time (a forged record's year is evidence
    too, and shows as it is)."""
    return value.strftime(pattern.replace("%Y", f"{value.year:04d}"))


def utc_stamp(value: datetime) -> str:
    """``2026-11-28T17:36:49Z``: CloudTrail's ``eventTime`` form, which the filter
    language reads back (``after:``) and machines parse."""
    return formatted(as_utc(value), "%Y-%m-%dT%H:%M:%SZ")


def utc_text(value: datetime | None) -> str:
    """``2026-11-28 17:36:49Z``: the same instant for people and spreadsheets, whatever
    offset it came with (``+02:00`` in a foreign or hostile file); blank for no time
    (a finding's or a hand-edited case's time may be missing)."""
    return formatted(as_utc(value), "%Y-%m-%d %H:%M:%SZ") if value else ""


def utc_minute(value: datetime | None) -> str:
    """``2026-11-28 17:36``: to the minute, for a table's narrow time column; blank for
    no time."""
    return formatted(as_utc(value), "%Y-%m-%d %H:%M") if value else ""


def to_datetime(value: object) -> datetime | None:
    """A time from an AWS object (a datetime from boto3, or an ISO string from JSON)."""
    if isinstance(value, datetime):
        return as_utc(value)
    if isinstance(value, str):
        return parse_instant(value.strip())
    return None


def resolve(text: str, now: datetime) -> datetime | None:
    """A time term's value: a duration counts back from ``now``, else an ISO instant."""
    duration = parse_duration(text)
    if duration is not None:
        try:
            return as_utc(now) - duration
        except OverflowError:
            return None
    return parse_instant(text)
