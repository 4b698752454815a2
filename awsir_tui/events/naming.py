"""The loaded events naming each indicator of a case: how many, and their first and
last time.

The case dates an indicator by the events it holds (marked, or of a finding kept); an
access key marked from a ``:stack`` group of thousands of events held none of them.
The events a session loaded say when the key was first and last used: counted here
with the filter Enter's pivot opens (:func:`~awsir_tui.case.pivot.events_filter`),
through the same source's query as the events view it opens
(:meth:`StoreSource.select`), one query each
(:meth:`~awsir_tui.events.store.EventStore.dated_extent`). An export takes the view's
counts where they are still current (:class:`Counted`): counting 20 indicators again
over a million events was ~10 s of the responder waiting for the files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from awsir_tui.case.indicator import Indicator
from awsir_tui.case.loaded import Loaded, LoadedCounts
from awsir_tui.case.pivot import events_filter
from awsir_tui.case.session import case_sources
from awsir_tui.events.coverage import archive_coverage
from awsir_tui.events.sources import ArchiveSource, StoreSource
from awsir_tui.query import EVENT_FIELDS, FilterError, parse


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


def load_mark(archive: ArchiveSource) -> tuple[object, ...]:
    """How far ``archive``'s load has got: started, which part (L goes on with a
    cancelled one), how many events that part read, done (a count made before a load
    started, or of a store a load added to since, is stale)."""
    progress = archive.progress
    return (archive.started, archive.parts, progress.events if progress else 0,
            archive.report is not None)


@dataclass(frozen=True, slots=True)
class Counted:
    """Counts made earlier (the indicators view's, as its pane shows them): of
    ``archive``, its load at ``mark`` (:func:`load_mark`) as they began, each key's with
    the filter in ``filters``. An export takes those still current (:meth:`current`)
    rather than query the store again for each."""

    archive: ArchiveSource
    mark: tuple[object, ...]
    filters: Mapping[tuple[str, str], str]
    counts: Mapping[tuple[str, str], Loaded]

    def current(
        self, archive: ArchiveSource, filters: Mapping[tuple[str, str], str]
    ) -> dict[tuple[str, str], Loaded]:
        """The counts of ``filters`` a fresh count of ``archive`` would give the same:
        those counted with the same filter, over the same archive, its load done before
        they began and not moved since (none while a load runs: the store grows under
        it); an indicator marked since, or its filter changed, is not among them."""
        if (archive is not self.archive or archive.loading or not archive.started
                or load_mark(archive) != self.mark):
            return {}
        return {key: self.counts[key] for key, text in filters.items()
                if key in self.counts and self.filters.get(key) == text}


def loaded_counts(
    indicators: Iterable[Indicator], archive: ArchiveSource, counted: Counted | None = None
) -> LoadedCounts:
    """The loaded events naming each of ``indicators``, counted as the indicators view
    counts them (:func:`naming_filters`, :func:`loaded_naming`), for an export: named
    by the archives and the store file of ``archive`` (:func:`archive_named`), partial
    (``so_far``) when the load ran (or had not begun) at either end of the count, with
    what an export of the loaded events would say of them (its verdict: skipped files,
    a load cancelled or bounded). ``counted``: counts made earlier, taken where still
    current (:meth:`Counted.current`), the others counted here. Blocking: a worker
    calls it."""
    running = archive.loading or not archive.started
    filters = naming_filters(indicators)
    known = counted.current(archive, filters) if counted is not None else {}
    fresh = dict(loaded_naming(
        {key: text for key, text in filters.items() if key not in known}, archive))
    counts = {key: known[key] if key in known else fresh[key]
              for key in filters if key in known or key in fresh}
    so_far = running or archive.loading
    coverage = archive_coverage(
        archive.sources, "", "counts of the indicators", running=so_far,
        loading=archive.progress, report=archive.report, earlier=archive.earlier,
    ).verdict(full_times=True)
    return LoadedCounts(archive_named(archive), counts, so_far, coverage)


def archive_named(archive: ArchiveSource) -> str:
    """``archive /abs/logs, store /abs/case.duckdb``: the archives (``--source``) and
    the store file (``--store``; none when held in memory) of ``archive``, named as the
    case names the sources it read (:func:`~awsir_tui.case.session.case_sources`)."""
    path = archive.store.path
    sources = case_sources(archive.sources, None if path == ":memory:" else path)
    return ", ".join(f"{kind} {where}" for kind, where in sources)
