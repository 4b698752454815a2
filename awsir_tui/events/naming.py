"""The loaded events naming each indicator of a case: how many, and their first and
last time.

The case dates an indicator by the events it holds (marked, or of a finding kept); an
access key marked from a ``:stack`` group of thousands of events held none of them.
The events a session loaded say when the key was first and last used: counted here
with the filter Enter's pivot opens (:func:`~awsir_tui.case.pivot.events_filter`),
through the same source's query as the events view it opens
(:meth:`StoreSource.select`), one query each
(:meth:`~awsir_tui.events.store.EventStore.dated_extent`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from awsir_tui.case.indicator import Indicator
from awsir_tui.case.pivot import events_filter
from awsir_tui.events.sources import StoreSource
from awsir_tui.query import EVENT_FIELDS, FilterError, parse


@dataclass(frozen=True, slots=True)
class Loaded:
    """How many loaded events name an indicator, and the first and last time of the
    dated ones (None when none is)."""

    count: int
    first: datetime | None = None
    last: datetime | None = None


def naming_filters(indicators: Iterable[Indicator]) -> dict[tuple[str, str], str]:
    """The filter of each indicator's pivot to the events, by its key; one whose kind
    has none (a fingerprint) is left out: no event names it as Enter would find it."""
    return {item.key: text for item in indicators
            if (text := events_filter(item)) is not None}


def loaded_naming(
    filters: Mapping[tuple[str, str], str], source: StoreSource
) -> Iterator[tuple[tuple[str, str], Loaded]]:
    """The events of ``source`` matching each of ``filters`` (:func:`naming_filters`),
    with the indicator's key, one query each, as each is counted; one the store cannot
    take is left out (Enter's pivot says why). Blocking: a worker calls it. One scan
    for all took 2.4 times as long as a query each over a million events
    (bench/bench_indicator_counts.py), and said nothing until the slowest was done."""
    for key, text in filters.items():
        try:
            selection = source.select(parse(text, EVENT_FIELDS))
        except FilterError:
            continue
        count, span = source.store.dated_extent(selection.where, selection.params)
        yield key, Loaded(count, *(span or (None, None)))
