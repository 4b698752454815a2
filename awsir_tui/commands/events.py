"""``awsir-tui events``: CloudTrail events for scripts and jq, newest first.

Without ``--source`` it reads Event history with the viewer's planner: the one
attribute and the time range go to LookupEvents, the whole filter is re-checked locally,
every region runs in parallel at its rate limit. With ``--source`` (folders, files,
``s3://`` archives) the archive loader fills the event store (``--store`` keeps it on
disk) and the same filter runs there as SQL. What ran where, throttles, denied regions,
unreadable files and a cap that cut the answer short are said on stderr, so stdout
stays clean for ``jq``; so is how far a read has got (:mod:`.progress`), because paging
Event history at 2 calls/s can take half a minute that would otherwise look like a hang.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO, cast

from awsir_tui.aws.cloudtrail import BeyondHistory, collect
from awsir_tui.aws.event_names import event_names, event_names_ready
from awsir_tui.commands.output import (
    ALIGN_MOST,
    PARTLY_ANSWERED,
    Fit,
    answered_status,
    write,
)
from awsir_tui.commands.progress import ProgressLine
from awsir_tui.commands.regions import regions_or_home
from awsir_tui.events.coverage import (
    Coverage,
    archive_coverage,
    earlier_unsettled,
    held_no_log,
    history_coverage,
    sidecar_path,
)
from awsir_tui.events.event_export import CSV_COLUMNS, safe_record, write_covered
from awsir_tui.events.loader import (
    HELD_NO_LOG,
    INSIGHTS_ONLY,
    NO_LOG,
    STDIN,
    found_no_log,
    source_names,
)
from awsir_tui.events.lookup_source import lookup_spec, spec_lookup
from awsir_tui.events.record import Event
from awsir_tui.events.sources import archive_s3_client, s3_cache_dir
from awsir_tui.query import FilterError, Query, compile_sql, parse
from awsir_tui.query.fields import EVENT_FIELDS
from awsir_tui.query.names import EventNames
from awsir_tui.text import clean, count_of

if TYPE_CHECKING:
    from awsir_tui.aws.context import AwsContext
    from awsir_tui.cli import Options
    from awsir_tui.events.load_history import StoredLoad
    from awsir_tui.events.loader import FileProblem, LoadProgress, LoadReport
    from awsir_tui.events.store import EventStore

#: The table's columns that may be cut to fit: names from AWS's small vocabularies,
#: whose real values are short (a longer one is the attacker's), and the resources,
#: cut between two of them only: as many as a wide terminal shows, aligned piped as an
#: identifier is. Users, keys, IPs, error codes and event IDs are pivoted on by their
#: exact value and are shown whole (QA found ``Client.Unau…`` on records that took
#: four lines anyway).
TEXT_FITS = {
    "event": Fit(20, 64), "service": Fit(14, 40),
    "resources": Fit(24, 1000, align=ALIGN_MOST),
}


def filter_text(options: Options) -> str:
    """``--filter`` plus the time options, as one filter in the filter language."""
    parts = [options.filter.strip()] if options.filter.strip() else []
    return " ".join([*parts, *_time_terms(options)])


def _time_terms(options: Options) -> list[str]:
    """The time options as filter terms, each checked (:func:`_time_term`)."""
    from awsir_tui.cli import UsageError

    if options.since and (options.after or options.before):
        raise UsageError("use --since, or --after/--before, not both")
    return [_time_term(keyword, value) for keyword, value in (
        ("since", options.since), ("after", options.after), ("before", options.before)
    ) if value]


def time_window(options: Options) -> tuple[datetime | None, datetime | None]:
    """The range the time options give (each end None when open), read as the commands
    read them: the app's ``--source`` load keeps to it. Raises
    :class:`~awsir_tui.cli.UsageError` for a bad one (a range that ends before it
    starts too, in the words ``events`` says it in)."""
    from awsir_tui.cli import UsageError

    text = " ".join(_time_terms(options))
    try:
        query = parse(text, EVENT_FIELDS)
    except FilterError as error:  # each is good alone: the two together are not
        given = "/".join(f"--{term.partition(':')[0]}" for term in text.split())
        raise UsageError(f"{given}: {clean(error.message)}") from None
    return query.after, query.before


def _time_term(keyword: str, value: str) -> str:
    """``--since VALUE`` (or ``--after``, ``--before``) as its filter term, checked on
    its own: a bad one is said as the option typed ("bad filter: bad time '2x' for
    since:" sent the user looking in a --filter they never gave), and one with a space
    would have become two terms (``--since '2h admin'``: since:2h, and the word admin).
    Raises :class:`~awsir_tui.cli.UsageError`."""
    from awsir_tui.cli import UsageError

    if not value.strip() or any(c.isspace() or c == '"' for c in value):
        raise UsageError(f"--{keyword} {clean(value, 200)!r}: one duration or time, "
                         "as in 2h or 2019-08-09T12:00Z")
    term = f"{keyword}:{value}"
    try:
        parse(term, EVENT_FIELDS)
    except FilterError as error:  # its words name the filter's keyword: name the option
        why = error.message.removeprefix(f"{keyword}: ").replace(f" for {keyword}:", ":")
        raise UsageError(f"--{keyword}: {clean(why)}") from None
    return term


def parse_or_explain(text: str, err: TextIO) -> Query | None:
    """The parsed filter, or None after printing the error with the bad term pointed at."""
    try:
        return parse(text, EVENT_FIELDS)
    except FilterError as error:
        shown = clean(text)
        print(f"awsir-tui: bad filter: {clean(error.message)}", file=err)
        print(f"  {shown}", file=err)
        print("  " + " " * error.position + "^" * max(1, error.length), file=err)
        return None


def options_query(options: Options, err: TextIO) -> Query | None:
    """The events filter of ``options`` (with its time options), or None if it is bad.

    Shared by every command that reads events, so they agree on what the options mean.
    """
    from awsir_tui.cli import UsageError

    if options.limit is not None and options.limit < 1:
        raise UsageError("--limit must be at least 1")
    return parse_or_explain(filter_text(options), err)


def history_read(
    ctx: AwsContext, query: Query, limit: int | None, err: TextIO,
    regions: list[str] | None = None,
) -> tuple[list[Event], int, Coverage]:
    """Run the query on Event history (``regions``, else the command's) and report on
    ``err``: the events, the exit code, and what they cover of what was asked (an
    export's sidecar says it)."""
    if not regions:
        regions = regions_or_home(ctx, err)  # the lookup keeps why they are few
    now = datetime.now(UTC)  # one start for the read and what is said of it
    spec = lookup_spec(query, now, names=names_waited_for(err))
    lookup = spec_lookup(ctx, regions, spec, now, cap=limit)
    explain = spec.explain
    print(f"awsir-tui: {explain}", file=err)
    with ProgressLine(err) as line:
        events = collect(lookup, on_page=lambda progress: line.show(
            f"awsir-tui: reading Event history: {progress.summary()}"))
    progress = lookup.progress()
    for region, failure in progress.failures:
        print(f"awsir-tui: {region}: {failure}", file=err)
    print(f"awsir-tui: {progress.summary()}", file=err)
    if lookup.beyond is not None:  # months asked that the read could not answer
        print(f"awsir-tui: {lookup.beyond.reason(full_times=True)}", file=err)
    if progress.capped:
        print(f"awsir-tui: stopped at --limit {limit}; more events match", file=err)
    for event in events:
        if event.parse_error:
            print(f"awsir-tui: event {clean(event.event_id)}: {event.parse_error}", file=err)
    failed = len(progress.failures)
    all_failed = failed == len(regions) > 0
    if spec.hint and not events and not all_failed:
        # "0 events · 3/3 regions" reads as final, yet AWS only had the sent part whole:
        # a script or a responder on the CLI must be told as the viewer's status line is.
        print(f"awsir-tui: AWS matched the term sent whole, a longer value was not read; "
              f"to match it as a part here, {spec.hint}", file=err)
    coverage = history_coverage(lookup, query.text, explain)
    # The regions not listed (DescribeRegions refused: the home region read) count too.
    code = answered_status(len(regions) - failed, failed + bool(lookup.unlisted))
    return events, beyond_status(code, lookup.beyond), coverage


def names_waited_for(err: TextIO) -> Callable[[], EventNames]:
    """The known event names for the planner, read here if they are neither loaded nor
    cached (botocore's models, some 4 s, the first run with a botocore version), and
    said once on ``err``. The viewer plans with those at hand, for its UI thread must
    not wait; a command has none to keep free, and without them ``name:runinst`` was
    not sent as RunInstances: every event of 90 days was read, at 2 calls/s."""

    def names() -> EventNames:
        if not event_names_ready():
            print("awsir-tui: reading the event names from botocore's models "
                  "(the first run with this botocore; some seconds)", file=err)
        return event_names()

    return names


def beyond_status(code: int, beyond: BeyondHistory | None) -> int:
    """``code``, the exit status of a read of Event history, where the range asked
    reaches before what Event history keeps (``beyond``): 1 when it lies wholly before
    it, for nothing of it could be answered; else at least
    :data:`~awsir_tui.commands.output.PARTLY_ANSWERED`, for part of it was not. Both
    said 0 with their "0 events", read by a script as "nothing happened then"."""
    if beyond is None:
        return code
    return 1 if beyond.wholly else code or PARTLY_ANSWERED


def load_progress(progress: LoadProgress) -> str:
    """``loading: 12/300 files · 45,000 events · 12.3 MB``: counts only, and what the
    load does once it has read its files (it takes seconds at 1M events)."""
    return (
        f"loading: {progress.files_done:,}/{progress.files_total:,} files · "
        f"{count_of(progress.events, 'event')} · {progress.bytes_done / 1e6:,.1f} MB"
        + (f" · {progress.stage}\u2026" if progress.stage else "")
    )


def problem_line(problem: FileProblem) -> str:
    """A file or source not read (in full), and why."""
    kept = f" ({count_of(problem.kept, 'event')} kept)" if problem.kept else ""
    return f"{clean(problem.source)}: {clean(problem.reason)}{kept}"


@contextlib.contextmanager
def piped_in(
    sources: Sequence[str], stdin: BinaryIO
) -> Iterator[tuple[list[str], dict[str, str]]]:
    """``sources`` with ``-`` as a file holding what was piped in, in a private
    temporary folder while the load reads it: the readers tell a file's format by its
    content and read it whole, which a pipe cannot be read twice for. With them, that
    file's path to ``-``, which the messages name it by (the path is gone after)."""
    if STDIN not in sources:
        yield list(sources), {}
        return
    with tempfile.TemporaryDirectory(prefix="awsir-stdin-") as folder:
        path = Path(folder) / "stdin"
        with path.open("wb") as copy:
            shutil.copyfileobj(stdin, copy)
        # Named twice, read once: a pipe is read once, and its copy is one file.
        yield (list(dict.fromkeys(str(path) if source == STDIN else source
                                  for source in sources)), {str(path): STDIN})


def archive_status(
    report: LoadReport, sources: Sequence[str], earlier: Sequence[StoredLoad]
) -> int:
    """The exit status of a command that read the archives ``sources``
    (:func:`~awsir_tui.commands.output.answered_status`): a load that found no log at
    all answered nothing, which 0 said as if the archive held no matching event; so
    does a store file whose loads found none, reopened alone (:func:`held_no_log`);
    unless the store answered from the logs of loads it kept from before
    (``earlier``), whose events were written (stderr says what the sources held).

    One source holding no log beside sources of logs (an empty folder, a wrong path:
    :attr:`LoadReport.no_log`) leaves the status as the logs read make it: no event of
    it is missing, and 3 would tell a script that the events are partial. Stderr and
    the coverage file name that source.

    A store whose earlier load left events out (a file skipped, a load cancelled) that
    no load since read whole answers in part, as its coverage says PARTIAL: 3, though
    this session read every file it was given, or none (reopened alone)."""
    if held_no_log(report, sources, earlier):
        return 1
    code = answered_status(report.files_read + report.read_before, report.not_read_whole)
    if code == 0 and earlier_unsettled(report, source_names(sources), earlier):
        return PARTLY_ANSWERED
    return code


@contextlib.contextmanager
def loaded_archives(
    options: Options, query: Query, err: TextIO, account: AwsContext | None = None
) -> Iterator[tuple[EventStore, LoadReport, list[StoredLoad]]]:
    """The ``--source`` archives loaded into an event store (``--store`` keeps it on
    disk; alone, it is reopened as it is, nothing read), only the files that can hold
    ``query``'s time range; every unreadable or partly read file is reported on
    ``err``. With the store, the loads it kept from before (each said on ``err``
    when it is reopened alone). Shared by ``events`` and ``findings``.

    ``s3://`` sources are read through ``account`` when the caller has connected
    already (``findings`` reads the instances first): connecting again would start a
    second demo account, or ask the credential chain twice."""
    from awsir_tui.cli import connect
    from awsir_tui.events.load_history import stored_loads
    from awsir_tui.events.loader import LoadReport, load
    from awsir_tui.events.store import EventStore

    with contextlib.ExitStack() as stack:
        sources, names = stack.enter_context(piped_in(options.sources, sys.stdin.buffer))
        s3_client = None
        if any(source.startswith("s3://") for source in sources):
            ctx = account or cast("AwsContext", stack.enter_context(connect(options)))
            s3_client = archive_s3_client(ctx, sources)
        store = stack.enter_context(EventStore(options.store))
        earlier = stored_loads(store)
        if not options.sources:
            kept = count_of(store.count(), "event")
            print(f"awsir-tui: {clean(store.path)}: {kept} kept", file=err)
            for stored in earlier:
                print(f"awsir-tui: kept from {clean(stored.label())}: "
                      f"{clean(stored.report.summary())}", file=err)
            if held_no_log(None, (), earlier):  # as the session that loaded them said
                print(f"awsir-tui: {NO_LOG}", file=err)
            yield store, LoadReport(), earlier
            return
        with ProgressLine(err) as line:
            report = load(
                sources, store, s3_client=s3_client, after=query.after,
                before=query.before, regions=options.regions,
                cache_dir=s3_cache_dir(sources, options.s3_cache),
                on_progress=lambda progress: line.show(f"awsir-tui: {load_progress(progress)}"),
                names=names,
            )
        for problem in [*report.skipped, *report.partial]:
            print(f"awsir-tui: {problem_line(problem)}", file=err)
        for ignored in report.ignored:  # every file named, even one that is not a log
            print(f"awsir-tui: {problem_line(ignored)} (not a log, ignored)", file=err)
        for folder in report.insights_unlisted:  # denied: a role may list CloudTrail/ only
            print(f"awsir-tui: {problem_line(folder)} ({INSIGHTS_ONLY})", file=err)
        for source in report.no_log:  # an empty folder beside the logs: a wrong path?
            print(f"awsir-tui: {clean(source.source)}: {HELD_NO_LOG} "
                  f"({clean(source.reason)})", file=err)
        if found_no_log(report, options.sources):
            print(f"awsir-tui: {NO_LOG}", file=err)
        if report.undated:
            print(f"awsir-tui: {report.undated_note()}", file=err)
        if report.differing:  # the IDs, which the summary's count leaves out
            print(f"awsir-tui: {clean(report.differing_note(), 2000)}", file=err)
        print(f"awsir-tui: {report.summary()}", file=err)
        yield store, report, earlier


def archive_events(options: Options, query: Query, out: TextIO, err: TextIO) -> int:
    """Load ``--source`` archives into the store, then answer the filter there as SQL."""
    where, params = compile_sql(query, EVENT_FIELDS)
    with loaded_archives(options, query, err) as (store, report, earlier):
        ran = "every term ran in the local event store"
        print(f"awsir-tui: {ran}", file=err)
        total = store.count(where, params)
        if options.limit is not None:
            events: Iterable[Event] = store.page(where, params, "event_time DESC", options.limit)
            if total > options.limit:
                print(f"awsir-tui: stopped at --limit {options.limit} of {total}", file=err)
        else:
            events = store.events(where, params, "event_time DESC")
        # A store reopened alone ran no load: its coverage says the earlier loads, and
        # no "loaded 0 events from 0 files" beside the events they brought in.
        coverage = archive_coverage(
            options.sources, query.text, ran, report=report if options.sources else None,
            matching=total, limit=options.limit, earlier=earlier,
        )
        code = emit(events, options, coverage, out, err)
    return code or archive_status(report, options.sources, earlier)


def emit(
    events: Iterable[Event], options: Options, coverage: Coverage, out: TextIO, err: TextIO
) -> int:
    """Print ``events`` in ``--format`` on ``out``; or, with ``--output FILE``, write
    them to FILE (atomically, readable by the owner only) and their coverage beside it,
    and say on ``err`` where, and whether they are partial. Returns 1 if FILE could not
    be written (nothing is left there then), else 0."""

    def body(into: TextIO) -> int:
        return write(events, CSV_COLUMNS, options.format, into, raw=safe_record, fits=TEXT_FITS)

    if options.output is None:
        body(out)
        return 0
    path = Path(options.output)
    # check_paths refused these unless --force: the receiver of the old ones is told.
    replaced = [p for p in (path, sidecar_path(path)) if p.is_file()]
    try:
        count = write_covered(path, coverage, body)
    except OSError as exc:
        print(f"awsir-tui: cannot write {clean(path)}: {clean(exc.strerror or exc)}", file=err)
        return 1
    verdict = coverage.verdict(full_times=True)
    print(f"awsir-tui: {count_of(count, 'event')} written to {clean(path)} ({verdict}); "
          f"coverage in {clean(sidecar_path(path))}", file=err)
    for earlier in replaced:
        print(f"awsir-tui: replaced the earlier {clean(earlier)} (--force)", file=err)
    return 0


def run(options: Options, out: TextIO) -> int:
    """The ``events`` subcommand."""
    from awsir_tui.cli import connect

    err = sys.stderr
    query = options_query(options, err)
    if query is None:
        return 2
    if options.sources or options.store:
        return archive_events(options, query, out, err)
    with connect(options) as ctx:
        events, code, coverage = history_read(cast("AwsContext", ctx), query, options.limit, err)
    return emit(events, options, coverage, out, err) or code
