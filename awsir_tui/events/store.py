"""The event store: CloudTrail events in an embedded DuckDB table, queried by SQL.

One table, ``events``, whose columns are the fields of :class:`~awsir_tui.events.record.Event`
(so the filter compiler can name them), plus the raw record for drill-down and full-text
search. In memory by default; a file when the responder wants to reopen the case later.

CloudTrail delivers some events twice, and two copies of an archive overlap, so the
store keeps one row per ``eventID``: :meth:`EventStore.add_events` drops rows whose ID is
already stored or repeated within the batch; the loader inserts as is (both its paths)
and calls :meth:`EventStore.remove_duplicates` once at the end of a load (so a
duplicate may show for the seconds a load runs). A record with no ``eventID`` at all is
kept every time (it cannot be matched, and dropping evidence is worse than showing it
twice).

Thread safety: the UI queries from worker threads while a loader thread writes. Each
thread gets its own DuckDB cursor (a connection to the same database, DuckDB's own
recommendation); writes are serialised by a lock so two loads never race on the merge.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import re
import shutil
import threading
import time
import weakref
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields, replace
from datetime import datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any

import duckdb
import orjson

from awsir_tui.events.record import EPOCH, FIRST_USABLE_TIME, Event
from awsir_tui.events.spill import private_spill_dir, remove_stale_duckdb_spill
from awsir_tui.events.surrogates import SURROGATE, replace_surrogates
from awsir_tui.query import DUCKDB_SETUP
from awsir_tui.query.times import as_utc
from awsir_tui.text import clean

log = logging.getLogger(__name__)

#: Column name -> DuckDB type, in the order of the Event dataclass.
COLUMNS: dict[str, str] = {
    "event_id": "VARCHAR",
    "event_time": "TIMESTAMPTZ",
    "event_name": "VARCHAR",
    "event_source": "VARCHAR",
    "aws_region": "VARCHAR",
    "source_ip": "VARCHAR",
    "user_agent": "VARCHAR",
    "error_code": "VARCHAR",
    "error_message": "VARCHAR",
    "read_only": "BOOLEAN",
    "user_type": "VARCHAR",
    "user_name": "VARCHAR",
    "user_arn": "VARCHAR",
    "principal_id": "VARCHAR",
    "access_key_id": "VARCHAR",
    "account_id": "VARCHAR",
    "resources": "VARCHAR[]",
    "raw": "VARCHAR",
    "parse_error": "VARCHAR",
}
assert list(COLUMNS) == [f.name for f in fields(Event)], "store columns must mirror Event"

_COLUMN_LIST = ", ".join(COLUMNS)
#: The filter of every event (what the viewer runs with no filter).
_ALL = "TRUE"
#: How many filters' orders are kept besides every event's (see EventStore.prepare).
_KEPT_FILTERS = 2
#: Fields a stack (group-by count) may use; the raw record is not a sensible group.
STACKABLE = frozenset(COLUMNS) - {"raw", "event_time"}
_ORDER_TERM = re.compile(r"^\s*([a-z_]+)(?:\s+(ASC|DESC))?\s*$", re.IGNORECASE)
_BUCKET = re.compile(r"^\s*(\d{1,6})\s+(second|minute|hour|day|week|month)s?\s*$", re.I)
#: Pages within the first this many rows are read with ORDER BY ... LIMIT directly.
_TOP_N_PAGES = 1_000
#: Rows per insert statement on the Python path: big enough to amortise the statement,
#: small enough that rows show up on screen while a load runs.
_BATCH = 20_000
#: The IDs stored more than once (``twice``), and of those the ones whose copies differ
#: as DuckDB's json() writes them again (``candidates``, with the row of the first copy):
#: :meth:`EventStore.differing_copies`' first pass, a statement's opening WITH.
_CANDIDATES = (
    "WITH twice AS (SELECT event_id, count(*) AS n FROM events "
    "WHERE event_id <> '' GROUP BY event_id HAVING count(*) > 1), "
    "candidates AS (SELECT event_id, min(rowid) AS first FROM events "
    "WHERE event_id IN (SELECT event_id FROM twice) GROUP BY event_id "
    "HAVING count(DISTINCT coalesce(try(json(raw)), raw)) > 1)"
)
#: Rows fetched at once when a candidate's copies are read (raw records of a few KB).
_COPIES_CHUNK = 2_000


#: DuckDB's memory limit for a store between loads: beyond it DuckDB moves blocks to a
#: temporary folder (a private one for an in-memory store, ``FILE.tmp`` for a file
#: store) and reads them back when queried. A million events take 1.36 GB, nearly all
#: of it raw JSON: under this limit they stay in memory, and a full-text search scans
#: memory (~0.5 s at 1M) instead of reading blocks back from disk (1.7-2.2 s).
MEMORY_LIMIT = "1400MB"
#: The limit while a load writes (:meth:`EventStore.loading`). DuckDB's reader and
#: insert buffers take whatever room the limit leaves: a 1M-event load peaked at 2.5 GB
#: with no limit and at 3.0 GB under a 3 GB one, at 1.17 GB under this one. The table
#: blocks it does not keep wait on disk until a query reads them back.
LOAD_MEMORY_LIMIT = "1GB"
#: The raw records are most of the data and are read whole by full-text search: in
#: memory they are kept out of compression (see :class:`EventStore`).
_RAW_IN_MEMORY = " USING COMPRESSION uncompressed"
#: In a store file they are compressed with zstd, not DuckDB's default (a dictionary
#: with FSST): at 1M events the file took 94 MB against 678 MB, and the load 0.59x the
#: time, FSST's analysis at the checkpoint being most of it (BENCHMARKS.md, "Store on
#: disk"); a full-text search of a reopened file takes longer (1.4 s against 0.85 s).
_RAW_IN_FILE = " USING COMPRESSION zstd"
#: DuckDB's checkpoint threshold while a load writes: never reached, so that DuckDB
#: does not compress the table again after every batch (it did, at its default of
#: 16 MB: a 1M-event load spent 60% of its time in those checkpoints). The load
#: checkpoints once, when it ends (:meth:`EventStore.compact`).
_LOAD_CHECKPOINT = "1TB"
#: Seconds close() waits for an interrupted statement to return before giving up.
_CLOSE_WAIT = 10.0

_MICROSECOND = timedelta(microseconds=1)


class StoreError(ValueError):
    """A query the store refuses (unknown column, bad ordering or bucket)."""


class StoreStopped(StoreError):
    """A stream read a store that was stopped or closed (:meth:`EventStore.stop`: the
    app is quitting; :meth:`EventStore.close`: its owner freed it, e.g. a replaced
    Event history query), or began after: what was streamed is not the whole answer."""


class SearchInterrupted(StoreError):
    """A sort :meth:`EventStore.interrupt_sorts` stopped: a newer search replaced it."""


class StoreUnavailable(StoreError):
    """The ``--store`` file cannot be opened as an event store, said in words a
    responder can act on (another process holds it, it is not a DuckDB file, its
    folder is missing): DuckDB's own message is a Python traceback away otherwise."""


#: Where a DuckDB database file says it is one (bytes 8-11 of its first block).
_DUCKDB_MAGIC = (8, b"DUCK")


def _connect(path: str) -> duckdb.DuckDBPyConnection:
    """A connection to ``path``, or :class:`StoreUnavailable` saying why not.

    A file that exists must already be a DuckDB database: DuckDB opens a CSV (an
    export given as --store by mistake) as a database of that one table, read-only,
    and a load "kept" in it lived in memory only, the file unchanged."""
    if path != ":memory:" and not _is_database_or_new(Path(path)):
        raise StoreUnavailable(_unavailable(path, "not a valid DuckDB database"))
    try:
        return duckdb.connect(path)
    except duckdb.Error as exc:
        raise StoreUnavailable(_unavailable(path, str(exc))) from exc


def _is_database_or_new(path: Path) -> bool:
    """Whether ``path`` is a DuckDB database file, or nothing yet (an empty file or
    none: DuckDB makes it one); what cannot be read is left for DuckDB to say."""
    offset, magic = _DUCKDB_MAGIC
    try:
        with path.open("rb") as file:
            head = file.read(offset + len(magic))
    except OSError:  # none yet, or unreadable: DuckDB makes it, or says why not
        return True
    return not head or head[offset:] == magic


def _unavailable(path: str, message: str) -> str:
    """DuckDB's reason for refusing ``path``, as one line that says what to do."""
    name = clean(path, 200)
    holder = re.search(r"Conflicting lock is held in .*?\(PID (\d+)\)", message)
    if "Could not set lock" in message:
        pid = f" (PID {holder.group(1)})" if holder else ""
        return (f"the store {name} is open in another process{pid}: close that "
                "awsir-tui first, or open a copy of the file")
    if "not a valid DuckDB database" in message:
        return f"{name} is not an event store (not a DuckDB database file)"
    if "No such file or directory" in message:
        return f"cannot create the store {name}: its folder does not exist"
    return f"cannot open the store {name}: {clean(message, 300)}"


def loaded_sources(path: str) -> list[list[str]]:
    """The sources of each load kept in the store file ``path``
    (:meth:`EventStore.record_load`), newest first: the archives a ``--store`` file
    reopened alone was filled from, for the case to continue the work done on them.

    A look, not an open: no file is made, nor a table. Connected as
    :class:`EventStore` connects (another configuration, read-only, would keep this
    process's own store from opening). Nothing (``[]``) when the file is missing or
    empty, not a store, held by another process, or made before loads were kept: the
    case then is the store's own, never a crash."""
    try:
        if Path(path).stat().st_size == 0:
            return []
        connection = _connect(path)
    except (OSError, StoreUnavailable):
        return []
    try:
        rows = connection.execute(
            "SELECT sources FROM loads WHERE sources IS NOT NULL ORDER BY finished DESC"
        ).fetchall()
    except duckdb.Error:
        return []
    finally:
        connection.close()
    return [[str(where) for where in row[0]] for row in rows if isinstance(row[0], list)]


class EventStore:
    """CloudTrail events in DuckDB, de-duplicated by event ID; safe across threads.

    ``path`` None keeps the store in memory; a path keeps it on disk (reopened as is).
    An in-memory store is compressed (``compress``, DuckDB's in-memory compression),
    except the raw records: DuckDB compresses strings with FSST, which halved their
    memory but cost most of the ingest CPU (a 1M load ran at 38k events/s against 57k/s
    with raw left as is) and made full-text search decompress 1.3 GB for every query
    (4 s at 1M against about 1 s). A file store compresses every column, its raw
    records with zstd (:data:`_RAW_IN_FILE`).
    ``memory_limit`` (DuckDB's; :data:`MEMORY_LIMIT` by default) bounds the memory of
    either kind: beyond it DuckDB moves blocks to disk; ``load_memory_limit``
    (:data:`LOAD_MEMORY_LIMIT` by default, ``memory_limit`` if only that is given)
    applies while a load writes.
    ``where_sql`` arguments are boolean SQL expressions over the columns with ``?``
    placeholders bound from ``params``, as ``awsir_tui.query.compile_sql`` writes them.
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        compress: bool = True,
        memory_limit: str | None = None,
        load_memory_limit: str | None = None,
    ):
        self.path = str(path) if path else ":memory:"
        self._con = _connect(self.path)
        if path:  # DuckDB's spill folder for a store file: FILE.tmp
            remove_stale_duckdb_spill(Path(f"{self.path}.tmp"))
        #: Run on every connection (each thread's cursor) before its first query; the
        #: query language's macros are TEMP, which DuckDB keeps per connection.
        self._setup = ["SET TimeZone = 'UTC'", *DUCKDB_SETUP]
        self._compressed = path is None and compress
        if self._compressed:
            self._con.execute("ATTACH ':memory:' AS compressed_store (COMPRESS)")
            self._setup.append("USE compressed_store")
        for statement in self._setup:
            self._con.execute(statement)
        #: Where an in-memory store spills beyond its memory limit (removed by close()).
        self._spill_dir: str | None = None
        if path is None:
            self._spill_dir = private_spill_dir()
            weakref.finalize(self, shutil.rmtree, self._spill_dir, ignore_errors=True)
            self._con.execute("SET temp_directory = ?", [self._spill_dir])
        self._memory_limit = memory_limit or MEMORY_LIMIT
        self._load_memory_limit = load_memory_limit or memory_limit or LOAD_MEMORY_LIMIT
        self._loads = 0
        self._loads_lock = threading.Lock()
        self._con.execute("SET memory_limit = ?", [self._memory_limit])
        self._con.execute(
            "CREATE TABLE IF NOT EXISTS events ("
            + ", ".join(
                f"{name} {kind}" + (self._raw_storage() if name == "raw" else "")
                for name, kind in COLUMNS.items()
            )
            + ")"
        )
        self._check_columns()
        self._keep_loads_table()
        self._con.execute(
            "CREATE TABLE IF NOT EXISTS files_read (source VARCHAR, size BIGINT, "
            "stamp VARCHAR, after TIMESTAMPTZ, before TIMESTAMPTZ)"
        )
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._cursors: dict[threading.Thread, duckdb.DuckDBPyConnection] = {}
        #: The cursors of :meth:`events` streams, which outlive no thread but may
        #: share one with the thread's own cursor.
        self._streams: set[duckdb.DuckDBPyConnection] = set()
        #: Reentrant: an abandoned events() stream, finalised by the garbage collector
        #: on a thread that holds the lock, takes it again.
        self._cursors_lock = threading.RLock()
        self._closed = False
        #: Set by stop(): the process is going away, statements were interrupted.
        self._stopped = False
        #: Bumped by every write, so that a cached page order never outlives its data.
        self._version = 0
        #: (version, rows to remove) as :meth:`differing_copies` counted them.
        self._duplicates = (-1, 0)
        #: (filter, params, order, version) -> the row IDs in that order (prepare()):
        #: every event's order and the filters' used last, so that going back to every
        #: event, or to the filter before, is immediate.
        self._orders: dict[tuple[Any, ...], array[int]] = {}
        self._order_lock = threading.Lock()
        #: The connections running a prepare() now (interrupt_sorts() stops them).
        self._sorting: set[duckdb.DuckDBPyConnection] = set()

    # -- connections ------------------------------------------------------------------

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's own connection to the store (made on first use).

        UI workers are short-lived threads, so making one closes the connections of
        threads that have ended: a long session does not pile up connections.
        """
        if self._closed:
            raise StoreError("the event store is closed")
        cursor: duckdb.DuckDBPyConnection | None = getattr(self._local, "cursor", None)
        if cursor is None:
            # Made and listed under the lock close() takes, so that close() sees (and
            # waits for) every cursor, and none is made after it.
            with self._cursors_lock:
                if self._closed:
                    raise StoreError("the event store is closed")
                for thread in [t for t in self._cursors if not t.is_alive()]:
                    self._cursors.pop(thread).close()
                cursor = self._con.cursor()
                self._cursors[threading.current_thread()] = cursor
            for statement in self._setup:
                cursor.execute(statement)
            self._local.cursor = cursor
        return cursor

    def close(self) -> None:
        """Stop what runs on the store (:meth:`stop`), then close every thread's cursor
        and the database (a file store is flushed).

        A statement still running :data:`_CLOSE_WAIT` seconds after its interrupt keeps
        its cursor and the database open (DuckDB refuses to close them under it): close()
        logs that and returns rather than raise, since it runs while the app quits or a
        view is left, and what is open goes with the process (the spill folder too: it is
        removed when the store is collected, or at exit). There is no second try."""
        if self._closed:
            return
        self.stop()
        deadline = time.monotonic() + _CLOSE_WAIT
        with self._cursors_lock:
            self._closed = True
            busy = [
                cursor
                for cursor in [*self._cursors.values(), *self._streams]
                if not _close_when_idle(cursor, deadline)
            ]
            self._cursors.clear()
            self._streams.clear()
        if busy or not _close_when_idle(self._con, deadline):
            log.warning("event store: a statement ignored its interrupt; left open")
            return
        if self._spill_dir:
            shutil.rmtree(self._spill_dir, ignore_errors=True)

    def stop(self) -> None:
        """Interrupt the statement each thread's cursor is running: the app is quitting.

        A load's INSERT, a search's sort and a table's block reads stop (DuckDB rolls
        back a half-written batch), and a load that ends after this leaves out the
        tidying only a store still in use needs: compaction, and for a store in memory
        removing duplicates. Quitting during a 5M-event load waited 18 s for those.
        A cursor that is between statements is not affected (DuckDB forgets an
        interrupt sent to an idle connection): the loader also checks its cancel flag
        between batches. The store stays open (:meth:`close` also stops it).
        """
        self._stopped = True
        with self._cursors_lock:
            for cursor in [*self._cursors.values(), *self._streams]:
                cursor.interrupt()

    @property
    def stopped(self) -> bool:
        """Whether :meth:`stop` was called."""
        return self._stopped

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------

    def add_events(self, events: Iterable[Event], *, deduplicate: bool = True) -> int:
        """Store ``events`` (any iterable, consumed in batches); return how many were new.

        ``deduplicate=False`` stores them all, like :meth:`insert`, and returns how many,
        for a caller that calls :meth:`remove_duplicates` once when done (the loader):
        checking each batch against the table is a join with every stored row, and 22
        small batches into a 1M-event store took 5-14 s that way against about 1 s.
        """
        added = 0
        batch: list[Event] = []
        for event in events:
            batch.append(event)
            if len(batch) >= _BATCH:
                added += self._insert_batch(batch, deduplicate)
                batch = []
        if batch:
            added += self._insert_batch(batch, deduplicate)
        return added

    def _insert_batch(self, batch: Sequence[Event], deduplicate: bool) -> int:
        try:
            return self._insert_columns(batch, deduplicate)
        except duckdb.InvalidInputException:
            # A lone surrogate (json.loads accepts "\\ud800", e.g. in a LookupEvents
            # CloudTrailEvent) cannot become UTF-8: replace it rather than lose the batch.
            return self._insert_columns([_storable(e) for e in batch], deduplicate)

    def _insert_columns(self, batch: Sequence[Event], deduplicate: bool) -> int:
        columns: list[list[Any]] = [
            [e.event_id for e in batch],
            [(as_utc(e.event_time) - EPOCH) // _MICROSECOND for e in batch],  # exact
            *([getattr(e, name) for e in batch] for name in list(COLUMNS)[2:16]),
            [list(e.resources) for e in batch],
            [e.raw for e in batch],
            [e.parse_error for e in batch],
        ]
        source = "SELECT " + ", ".join(
            f"unnest(?::{kind}[]) AS {name}"
            if name != "event_time"
            else "make_timestamptz(unnest(?::BIGINT[])) AS event_time"
            for name, kind in COLUMNS.items()
        )
        return self.merge(source, columns) if deduplicate else self.insert(source, columns)

    def merge(self, source_sql: str, params: Sequence[Any] = ()) -> int:
        """Insert the rows of ``source_sql`` (all store columns, by name) that are new.

        Rows whose ID is stored already or repeated in the batch are dropped here; used
        for batches of Python-built events.
        """
        sql = (
            f"INSERT INTO events SELECT {_COLUMN_LIST} FROM ({source_sql}) AS s "
            "WHERE s.event_id = '' OR NOT EXISTS "
            "(SELECT 1 FROM events AS e WHERE e.event_id = s.event_id) "
            "QUALIFY s.event_id = '' OR row_number() OVER (PARTITION BY s.event_id) = 1"
        )
        return self._write(sql, params)

    def insert(self, source_sql: str, params: Sequence[Any] = ()) -> int:
        """Insert every row of ``source_sql`` as is; return how many.

        The bulk path: checking each batch against the whole table would make a load
        quadratic, so duplicates are removed once, by :meth:`remove_duplicates`, when
        the load ends (the loader does it, cancelled or not).
        """
        return self._write(f"INSERT INTO events SELECT {_COLUMN_LIST} FROM ({source_sql})", params)

    @contextlib.contextmanager
    def loading(self) -> Iterator[None]:
        """Run a bulk load under the store's load memory limit (loads may overlap; the
        store's own limit comes back when the last one ends)."""
        with self._loads_lock:
            self._loads += 1
            if self._loads == 1:
                self.cursor().execute("SET memory_limit = ?", [self._load_memory_limit])
                self.cursor().execute(f"SET checkpoint_threshold = '{_LOAD_CHECKPOINT}'")
        try:
            yield
        finally:
            with self._loads_lock:
                self._loads -= 1
                if self._loads == 0 and not self._closed:
                    self.cursor().execute("SET memory_limit = ?", [self._memory_limit])
                    self.cursor().execute("RESET checkpoint_threshold")

    def _raw_storage(self) -> str:
        """How a new store keeps its raw records: as is in a compressed in-memory store
        (full-text search scans them at memory speed), with zstd in a file (a case kept
        on disk; a search there reads the file anyway), DuckDB's choice otherwise."""
        if self._compressed:
            return _RAW_IN_MEMORY
        return _RAW_IN_FILE if self.path != ":memory:" else ""

    def _check_columns(self) -> None:
        """A file whose ``events`` table another tool made (other columns) is refused
        now, rather than failing at the first query with an SQL error."""
        found = [row[0] for row in self._con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'events'"
            " AND table_catalog = current_database() ORDER BY ordinal_position"
        ).fetchall()]
        if found != list(COLUMNS):
            self._con.close()
            raise StoreUnavailable(
                f"{clean(self.path, 200)} holds an events table that is not an awsir-tui "
                "event store's"
            )

    # -- what the loads left out -------------------------------------------------------

    def record_load(
        self, load_id: str, finished: datetime, sources: Sequence[str], report: str
    ) -> None:
        """Keep what the load ``load_id`` read and left out (``report``: the loader's
        JSON of it) with its events, replacing what was kept of it before: a store file
        reopened alone then says whether its events are every event of those sources,
        rather than that it cannot tell."""
        with self._write_lock:
            cursor = self.cursor()
            cursor.execute("BEGIN TRANSACTION")
            try:
                cursor.execute("DELETE FROM loads WHERE load_id = ?", [load_id])
                cursor.execute("INSERT INTO loads (load_id, finished, sources, report) "
                               "VALUES (?, ?, ?, ?)",
                               [load_id, finished, list(sources), report])
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    def _keep_loads_table(self) -> None:
        """Make the ``loads`` table (:meth:`record_load`) if the store has none. A store
        file made before loads were kept already holds events of loads not recorded: a
        row with no report says so, so that a load recorded later never makes the
        store's events look complete (UNKNOWN, not COMPLETE)."""
        exists = self._con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'loads'"
            " AND table_catalog = current_database()"
        ).fetchone()
        if exists and exists[0]:
            return
        self._con.execute(
            "CREATE TABLE loads (load_id VARCHAR, finished TIMESTAMPTZ, sources VARCHAR[], "
            "report VARCHAR)"
        )
        if self.path == ":memory:":
            return  # new, and empty. (A count here changed how a later load spills.)
        held = self._con.execute("SELECT count(*) FROM events").fetchone()
        if held and held[0]:
            self._con.execute(
                "INSERT INTO loads (load_id, finished, sources, report) "
                "VALUES ('unrecorded', now(), [], '')"
            )

    def record_files_read(
        self, files: Sequence[tuple[str, int, str]],
        window: tuple[datetime | None, datetime | None],
    ) -> None:
        """Keep that each of ``files`` (its name as :func:`~.read_before.file_key` makes
        it, its size and stamp) was read whole into the store by a load that kept the
        events of ``window`` (None: an end left open), replacing what was kept of the
        same names: a later load of the same sources into this store file reads only
        what this one did not (:mod:`awsir_tui.events.read_before`)."""
        if not files:
            return
        names = [name for name, _, _ in files]
        with self._write_lock:
            cursor = self.cursor()
            cursor.execute("BEGIN TRANSACTION")
            try:
                cursor.execute("DELETE FROM files_read WHERE list_contains(?, source)", [names])
                # One statement for the batch's files (executemany: one each, ~1 ms).
                cursor.execute(
                    "INSERT INTO files_read SELECT unnest(?), unnest(?), unnest(?), ?, ?",
                    [names, [size for _, size, _ in files], [stamp for _, _, stamp in files],
                     *window],
                )
                # Inside: a C landing on the COMMIT left this thread's cursor in the
                # transaction, and the load's tidying after it rolled back at close.
                cursor.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(duckdb.Error):  # (none left if COMMIT ended it)
                    cursor.execute("ROLLBACK")
                raise

    def files_read(
        self,
    ) -> list[tuple[str, int, str, datetime | None, datetime | None]]:
        """Every file kept by :meth:`record_files_read`: name, size, stamp, and the
        window its load kept."""
        rows = self.cursor().execute(
            "SELECT source, size, stamp, after, before FROM files_read"
        ).fetchall()
        return [(name, size, stamp, as_utc(after) if after is not None else None,
                 as_utc(before) if before is not None else None)
                for name, size, stamp, after, before in rows]

    def loads(self) -> list[tuple[datetime, list[str], str]]:
        """The loads kept in this store (:meth:`record_load`), oldest first: when each
        finished, its sources and its report (``""`` for the loads of a store file made
        before loads were kept, not recorded)."""
        rows = self.cursor().execute(
            "SELECT coalesce(finished, TIMESTAMPTZ '1970-01-01 00:00:00+00'), "
            "coalesce(sources, []), coalesce(report, '') FROM loads ORDER BY finished"
        ).fetchall()
        return [(as_utc(finished), list(sources), report) for finished, sources, report in rows]

    # -- compression ------------------------------------------------------------------
    #
    # DuckDB compresses in-memory data only at a checkpoint: :meth:`compact`, when a load
    # ends. Until then the memory limit bounds the peak (blocks move to the spill
    # folder). A background thread checkpointing after every batch, which kept the peak
    # down before there was a limit, made a 1M-event load 15-30% slower for no memory
    # saved with it (BENCHMARKS.md), so there is none.

    def compact(self) -> None:
        """Checkpoint now (the loader calls it when a load ends, having turned DuckDB's
        own checkpoints off): an in-memory store compresses what it holds and reads back
        what the load spilled, a file store writes its log into the file, where it would
        otherwise stay until closed."""
        if self._closed or self._stopped or not (self._compressed or self.path != ":memory:"):
            return
        with self._write_lock, contextlib.suppress(duckdb.Error):
            self.cursor().execute(
                "CHECKPOINT compressed_store" if self._compressed else "CHECKPOINT"
            )
            self._version += 1  # row IDs are not promised to survive a checkpoint
        if self._spill_dir and not self._stopped:
            self._read_back_spilled()

    def _read_back_spilled(self) -> None:
        """What the load's lower limit moved to the spill folder stays there until read:
        the first full-text search after a 1M load read it back (0.9 s against 0.6 s
        for the next). Read the raw records now, while the responder looks at the first
        rows (0.3 s at 1M); not when the table is too big to stay in memory anyway (at
        5M the scan would only read gigabytes from the spill folder)."""
        with contextlib.suppress(duckdb.Error, StoreError):
            cursor = self.cursor()
            row = cursor.execute(
                "SELECT sum(memory_usage_bytes) + sum(temporary_storage_bytes), "
                "current_setting('max_memory') FROM duckdb_memory()"
            ).fetchone()
            if row and _bytes(str(row[1])) > int(row[0] or 0):
                cursor.execute("SELECT sum(strlen(raw)) FROM events").fetchall()

    def differing_copies(self, examples: int = 5) -> tuple[int, list[str]]:
        """How many event IDs are stored more than once with copies that are not the same
        record, and the first ``examples`` of them (in the order their first copies were
        stored). Asked before :meth:`remove_duplicates` keeps the first copy of each:
        without the trail's digest files, two copies of an event that disagree are the
        only sign a responder gets that one of them was altered.

        The same record read by the fast path (its text as the file has it) and by the
        Python readers (written out again) differs in spacing and escapes, and a copy a
        tool rewrote (``jq -S``, a SIEM's export) in the order of its keys too. DuckDB's
        ``json()`` evens out the first two but keeps key order, so it only picks the
        candidates, in SQL: the IDs whose copies differ as it writes them (text that is
        no JSON as it is). Only the candidates' copies are read into Python and compared
        parsed (:func:`_same_record`), which no key order tells apart.

        Only the IDs stored more than once are compared, and :meth:`remove_duplicates`
        after it (no write between) takes the count of duplicates from here rather than
        counting the IDs again: with no candidate the check is one statement, whose
        scan of the raw records reads only the duplicated IDs' copies; with some, a
        second statement finds the candidates again (the same scan) to read their copies,
        which only a load with differing copies pays. Measured by hand once
        (not in bench/), on a loaded machine, before candidates were compared in Python:
        2.3 s either way at 1M events; 1,000 duplicates cost 1.4-1.9 s more."""
        if self._stopped:
            return 0, []
        with self._write_lock:
            cursor = self.cursor()
            row = cursor.execute(
                f"{_CANDIDATES} SELECT (SELECT coalesce(sum(n - 1), 0) FROM twice), "
                "(SELECT count(*) FROM candidates)"
            ).fetchone()
            if not row:
                return 0, []
            self._duplicates = (self._version, int(row[0]))
            if not row[1]:
                return 0, []
            cursor.execute(
                f"{_CANDIDATES} SELECT e.event_id, e.raw FROM events AS e "
                "JOIN candidates AS c USING (event_id) ORDER BY c.first, e.rowid"
            )
            differing = [
                str(event_id)
                for event_id, copies in itertools.groupby(_rows(cursor), key=itemgetter(0))
                if not _same_record([raw for _, raw in copies])
            ]
        return len(differing), differing[: max(0, int(examples))]

    def remove_duplicates(self) -> int:
        """Keep the first stored row of every event ID; return how many rows went."""
        if self._stopped and self.path == ":memory:":
            return 0  # the process is going away with the store
        with self._write_lock:
            cursor = self.cursor()
            version, counted = self._duplicates
            if version != self._version:  # not counted by differing_copies since written
                row = cursor.execute(
                    "SELECT count(*) - count(DISTINCT event_id) FROM events "
                    "WHERE event_id <> ''"
                ).fetchone()
                counted = int(row[0]) if row else 0
            if not counted:
                return 0
            cursor.execute(
                "DELETE FROM events WHERE rowid IN (SELECT rowid FROM (SELECT rowid, "
                "row_number() OVER (PARTITION BY event_id ORDER BY rowid) AS n FROM events "
                "WHERE event_id <> '') WHERE n > 1)"
            )
            self._version += 1
            return counted

    def last_row(self) -> int:
        """The highest row ID stored (-1 when empty): rows a load adds after it have higher
        ones (appended). A checkpoint that drops deleted rows may number rows anew, only
        ever lower: :meth:`remove_outside` may then keep some of the load's rows, never
        take an earlier load's."""
        row = self.cursor().execute("SELECT max(rowid) FROM events").fetchone()
        return int(row[0]) if row and row[0] is not None else -1

    def remove_outside(
        self, after: datetime | None, before: datetime | None, beyond_row: int
    ) -> int:
        """Remove the rows after ``beyond_row`` (one load's) dated outside ``[after,
        before)``; return how many went. Not those without a usable time (dated the
        epoch): they are kept and counted apart, as every load keeps them."""
        if after is None and before is None:
            return 0
        outside = []
        params: list[Any] = [beyond_row, FIRST_USABLE_TIME]
        if after is not None:
            outside.append("event_time < ?")
            params.append(after)
        if before is not None:
            outside.append("event_time >= ?")
            params.append(before)
        with self._write_lock:
            row = self.cursor().execute(
                f"DELETE FROM events WHERE rowid > ? AND event_time >= ? "
                f"AND ({' OR '.join(outside)})", params).fetchone()
            self._version += 1
        return int(row[0]) if row else 0

    def _write(self, sql: str, params: Sequence[Any]) -> int:
        with self._write_lock:
            row = self.cursor().execute(sql, list(params)).fetchone()
            self._version += 1
        return int(row[0]) if row else 0

    # -- reading ----------------------------------------------------------------------

    def count(self, where_sql: str = "TRUE", params: Sequence[Any] = ()) -> int:
        """How many stored events match ``where_sql`` (from the kept order if this is
        the filter :meth:`prepare` sorted, without reading the table)."""
        kept = self._kept(where_sql, params)
        if kept is not None:
            return len(kept)
        row = self.cursor().execute(
            f"SELECT count(*) FROM events WHERE ({where_sql})", list(params)
        ).fetchone()
        return int(row[0]) if row else 0

    def prepare(
        self, where_sql: str = "TRUE", params: Sequence[Any] = (), order: str = "event_time DESC"
    ) -> int:
        """Sort the IDs of the matching rows once and keep them; return how many match.

        One scan then answers :meth:`count` and every :meth:`page` of this filter until
        the data changes: a viewer asks for the count, the first page, and a page per
        500 rows scrolled, and for a full-text search each of those would read all the
        raw JSON again (~1.3 GB at 1M events). The viewer calls it from a worker
        (0.3-0.6 s at 1M). Kept: the orders of every event, and of the
        :data:`_KEPT_FILTERS` filters used last (8 MB each at 1M matches). A newer search
        may stop it (:meth:`interrupt_sorts`).
        """
        order_sql = _order_by(order)
        cursor = self.cursor()
        with self._order_lock:
            self._sorting.add(cursor)
        try:
            return len(self._sorted_ids(where_sql, params, order_sql))
        except duckdb.InterruptException as exc:
            raise SearchInterrupted("replaced by a newer search") from exc
        finally:
            with self._order_lock:
                self._sorting.discard(cursor)

    def interrupt_sorts(self) -> None:
        """Stop the sorts :meth:`prepare` is running (they raise SearchInterrupted): a
        full-text search over 5M events takes seconds, and the responder has typed the
        next filter by then."""
        with self._order_lock:
            for cursor in self._sorting:
                cursor.interrupt()

    def is_sorted(
        self, where_sql: str = "TRUE", params: Sequence[Any] = (), order: str = "event_time DESC"
    ) -> bool:
        """Whether :meth:`prepare` has sorted this filter for the data as it is now."""
        return self.sorted_count(where_sql, params, order) is not None

    def sorted_count(
        self, where_sql: str = "TRUE", params: Sequence[Any] = (), order: str = "event_time DESC"
    ) -> int | None:
        """How many events match, from the order :meth:`prepare` kept; None when it has
        not sorted this filter for the data as it is now. Never a query: the UI thread
        asks it, and a load may write between a check and a count (:meth:`count` would
        then scan, ~1 s for a full-text filter at 1M events)."""
        kept = self._kept(where_sql, params, _order_by(order))
        return None if kept is None else len(kept)

    def page(
        self,
        where_sql: str = "TRUE",
        params: Sequence[Any] = (),
        order: str = "event_time DESC",
        limit: int = 200,
        offset: int = 0,
    ) -> list[Event]:
        """One page of matching events in a stable order (for a table shown by offset).

        A filter :meth:`prepare` sorted is read by row ID, whatever the page. Otherwise
        the first pages are a plain ``ORDER BY ... LIMIT`` (DuckDB's top-N is fast), and
        a deeper one sorts once as :meth:`prepare` does: scrolling a million rows costs
        one sort, not one per keypress.
        """
        order_sql = _order_by(order)
        ids = self._kept(where_sql, params, order_sql)
        if ids is None and (
            offset + limit <= _TOP_N_PAGES or self._order_key(where_sql, params, order_sql) is None
        ):
            sql = (
                f"SELECT {_COLUMN_LIST} FROM events WHERE ({where_sql}) "
                f"ORDER BY {order_sql} LIMIT ? OFFSET ?"
            )
            rows = self.cursor().execute(sql, [*params, int(limit), int(offset)]).fetchall()
            return [_event(row) for row in rows]
        if ids is None:
            ids = self._sorted_ids(where_sql, params, order_sql)
        wanted = ids[max(0, offset) : max(0, offset) + max(0, limit)].tolist()
        if not wanted:
            return []
        rows = self.cursor().execute(
            f"SELECT rowid, {_COLUMN_LIST} FROM events WHERE rowid = ANY(?::BIGINT[])",
            [wanted],
        ).fetchall()
        by_rowid = {row[0]: row[1:] for row in rows}
        return [_event(by_rowid[r]) for r in wanted if r in by_rowid]

    def _sorted_ids(self, where_sql: str, params: Sequence[Any], order_sql: str) -> array[int]:
        """The matching row IDs in order: kept, or sorted now (and kept, unless a write
        came in while sorting: an order is served only for the data it was made from)."""
        kept = self._kept(where_sql, params, order_sql)
        if kept is not None:
            return kept
        key = self._order_key(where_sql, params, order_sql)
        ids = array("q")
        cursor = self.cursor().execute(
            f"SELECT rowid FROM events WHERE ({where_sql}) ORDER BY {order_sql}", list(params)
        )
        while chunk := cursor.fetchmany(100_000):  # no million-tuple list in between
            ids.extend(rowid for (rowid,) in chunk)
        if key is not None:
            with self._order_lock:
                if key[3] == self._version:
                    self._keep(key, ids)
        return ids

    def _keep(self, key: tuple[Any, ...], ids: array[int]) -> None:
        """Keep an order (with ``_order_lock`` held): those of every event, and of the
        filters used last; orders of older data go."""
        self._orders.pop(key, None)
        self._orders[key] = ids
        current = {k: v for k, v in self._orders.items() if k[3] == self._version}
        filtered = [k for k in current if k[0] != _ALL]
        for old in filtered[:-_KEPT_FILTERS]:
            del current[old]
        self._orders = current

    def _order_key(
        self, where_sql: str, params: Sequence[Any], order_sql: str
    ) -> tuple[Any, ...] | None:
        """What a kept order is valid for (None: a parameter that cannot be a key)."""
        key = (where_sql, tuple(params), order_sql, self._version)
        try:
            hash(key)
        except TypeError:
            return None
        return key

    def _kept(
        self, where_sql: str, params: Sequence[Any], order_sql: str | None = None
    ) -> array[int] | None:
        """The kept order of this filter for the data as it is (in ``order_sql``, if
        given), or None; a hit counts as a use (the filters used last are kept)."""
        with self._order_lock:
            for key in list(self._orders):
                kept_where, kept_params, kept_order, version = key
                if (
                    (kept_where, version) == (where_sql, self._version)
                    and kept_params == tuple(params)
                    and (order_sql is None or kept_order == order_sql)
                ):
                    self._orders[key] = self._orders.pop(key)
                    return self._orders[key]
        return None

    def get(self, event_id: str) -> Event | None:
        """The event with this ID, or None."""
        row = self.cursor().execute(
            f"SELECT {_COLUMN_LIST} FROM events WHERE event_id = ? LIMIT 1", [event_id]
        ).fetchone()
        return _event(row) if row else None

    def events(
        self,
        where_sql: str = "TRUE",
        params: Sequence[Any] = (),
        order: str = "event_time ASC",
        chunk: int = 2_000,
    ) -> Iterator[Event]:
        """Stream every matching event (for exports and detections) without a full list.

        Uses a cursor of its own, so that the caller may query the store while iterating.
        :meth:`stop` and :meth:`close` end the stream with :class:`StoreStopped` at its
        next chunk (a detection or an export over millions of events would otherwise
        keep a quitting app waiting); so does beginning one on a stopped store.
        """
        with self._cursors_lock:
            if self._closed:
                raise StoreError("the event store is closed")
            if self._stopped:  # stop() would not know this cursor: it came after
                raise StoreStopped("the event store was stopped")
            cursor = self._con.cursor()
            self._streams.add(cursor)
        try:
            for statement in self._setup:
                cursor.execute(statement)
            cursor.execute(
                f"SELECT {_COLUMN_LIST} FROM events WHERE ({where_sql}) "
                f"ORDER BY {_order_by(order)}",
                list(params),
            )
            while not self._stopped and (rows := cursor.fetchmany(chunk)):
                yield from (_event(row) for row in rows)
            if self._stopped:
                raise StoreStopped("the event store was stopped")
        except duckdb.Error as exc:  # interrupted, or (close()) its cursor closed
            if self._stopped:
                raise StoreStopped("the event store was stopped") from exc
            raise
        finally:
            with self._cursors_lock:
                self._streams.discard(cursor)
            cursor.close()

    def stack(
        self,
        group_by: Sequence[str],
        where_sql: str = "TRUE",
        params: Sequence[Any] = (),
        limit: int = 500,
    ) -> list[tuple[Any, ...]]:
        """Count matching events grouped by one or two fields, biggest group first.

        Each row is ``(value1[, value2], count)``. Grouping by ``resources`` counts each
        resource an event names (one event may count under several resources), and an
        event that names none under NULL: unnested as it is, it was in no group at all, and
        the groups of an archive's 310 events left out the 160 that name no resource.
        """
        if not 1 <= len(group_by) <= 2:
            raise StoreError("stack by one or two fields")
        selected = []
        for name in group_by:
            if name not in STACKABLE:
                raise StoreError(f"cannot stack by {name!r}")
            selected.append(_EACH_RESOURCE if name == "resources" else name)
        keys = ", ".join(f"{expr} AS g{i}" for i, expr in enumerate(selected))
        groups = ", ".join(f"g{i}" for i in range(len(selected)))
        sql = (
            f"SELECT {groups}, count(*) AS n FROM (SELECT {keys} FROM events "
            f"WHERE ({where_sql})) GROUP BY {groups} ORDER BY n DESC, {groups} LIMIT ?"
        )
        rows = self.cursor().execute(sql, [*params, int(limit)]).fetchall()
        return [tuple(row) for row in rows]

    @staticmethod
    def dated(
        where_sql: str, params: Sequence[Any] = (), first: datetime = FIRST_USABLE_TIME,
        before: datetime | None = None,
    ) -> tuple[str, list[Any]]:
        """``where_sql`` and ``params`` narrowed to the events whose time is known: from
        ``first`` on (and before ``before``, if given).

        A record without a usable ``eventTime`` is stored at :data:`~awsir_tui.events.record.EPOCH`
        (kept, never dropped); a count over time must leave it out, or a timeline starts
        with 55 years of empty buckets; and a time no CloudTrail record can have (year 1,
        9999) put 416,016 empty weeks after the real ones. Comparisons and ``?``
        parameters, as the query compiler's SQL: DuckDB and Trino (Athena) read it alike."""
        if before is None:
            return f"({where_sql}) AND event_time >= ?", [*params, first]
        return (f"({where_sql}) AND event_time >= ? AND event_time < ?",
                [*params, first, before])

    def timeline(
        self, bucket: str = "1 hour", where_sql: str = "TRUE", params: Sequence[Any] = ()
    ) -> list[tuple[datetime, int]]:
        """Matching events per time bucket (``'15 minutes'``, ``'1 hour'``, ``'1 day'``).

        Empty buckets are left out (the caller knows the bucket's width, and fills or
        collapses the gaps: a sparse year would be a million empty rows); the start of
        each bucket is an aware UTC datetime.
        """
        match = _BUCKET.match(bucket)
        if not match:
            raise StoreError(f"bad time bucket {bucket!r} (try '15 minutes' or '1 hour')")
        interval = f"INTERVAL '{int(match.group(1))} {match.group(2).lower()}'"
        sql = (
            f"SELECT time_bucket({interval}, event_time) AS b, count(*) FROM events "
            f"WHERE ({where_sql}) GROUP BY b ORDER BY b"
        )
        rows = self.cursor().execute(sql, list(params)).fetchall()
        return [(as_utc(start), int(n)) for start, n in rows]

    def extent(
        self, where_sql: str = "TRUE", params: Sequence[Any] = ()
    ) -> tuple[int, tuple[datetime, datetime] | None]:
        """How many events match, and the first and last time of them (None when none
        match). A filter :meth:`prepare` sorted by time is answered from its kept order
        (two rows read by row ID), else in one scan: with a full-text term at 1M events
        a scan reads ~1.3 GB, and ``:stack``'s timeline needs both before its own."""
        for order in (_order_by("event_time DESC"), _order_by("event_time ASC")):
            ids = self._kept(where_sql, params, order)
            if ids is None:
                continue
            if not ids:
                return 0, None
            row = self.cursor().execute(
                "SELECT min(event_time), max(event_time) FROM events "
                "WHERE rowid = ANY(?::BIGINT[])",
                [[ids[0], ids[-1]]],
            ).fetchone()
            if row and row[0] is not None:  # else the rows went meanwhile: scan
                return len(ids), (as_utc(row[0]), as_utc(row[1]))
        row = self.cursor().execute(
            f"SELECT count(*), min(event_time), max(event_time) FROM events WHERE ({where_sql})",
            list(params),
        ).fetchone()
        if not row or row[1] is None:
            return (int(row[0]) if row else 0), None
        return int(row[0]), (as_utc(row[1]), as_utc(row[2]))

    def dated_extent(
        self, where_sql: str = "TRUE", params: Sequence[Any] = ()
    ) -> tuple[int, tuple[datetime, datetime] | None]:
        """:meth:`extent` with the first and last time of the dated events only (from
        :data:`~awsir_tui.events.record.FIRST_USABLE_TIME`): an undated record, stored at
        1970, is counted but dates nothing (None when no matching event is dated). One
        scan: the indicators view asks it of each indicator."""
        row = self.cursor().execute(
            "SELECT count(*), min(event_time) FILTER (WHERE event_time >= ?), "
            f"max(event_time) FILTER (WHERE event_time >= ?) FROM events WHERE ({where_sql})",
            [FIRST_USABLE_TIME, FIRST_USABLE_TIME, *params],
        ).fetchone()
        if not row or row[1] is None:
            return (int(row[0]) if row else 0), None
        return int(row[0]), (as_utc(row[1]), as_utc(row[2]))


#: Each resource of an event, or one NULL for an event that names none (a group of
#: :meth:`EventStore.stack`).
_EACH_RESOURCE = (
    "unnest(CASE WHEN len(coalesce(resources, [])) = 0 THEN [NULL::VARCHAR] "
    "ELSE resources END)"
)


def _rows(cursor: duckdb.DuckDBPyConnection) -> Iterator[tuple[Any, ...]]:
    """The rows of the statement ``cursor`` ran, a chunk at a time (not all in a list)."""
    while rows := cursor.fetchmany(_COPIES_CHUNK):
        yield from rows


def _same_record(copies: Sequence[str]) -> bool:
    """Whether the raw ``copies`` of one event ID are one record: equal once parsed
    (dicts compare without their key order), or equal text where one is no JSON."""
    first = _parsed(copies[0])
    return all(_parsed(copy) == first for copy in copies[1:])


def _parsed(raw: str) -> Any:
    """``raw`` parsed, or as is when it is no JSON orjson reads."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return raw


def _bytes(size: str) -> int:
    """DuckDB's way of writing a memory size (``1.3 GiB``, ``976.5 MiB``) in bytes."""
    number, _, unit = size.partition(" ")
    scale = {"bytes": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}
    return int(float(number) * scale.get(unit, 1))


def _close_when_idle(cursor: duckdb.DuckDBPyConnection, deadline: float) -> bool:
    """Close ``cursor`` once the call its thread is making returns (DuckDB refuses to
    close a connection in use rather than wait; an interrupted statement returns within
    moments); False if it is still in use at ``deadline`` (``time.monotonic()``)."""
    while True:
        try:
            cursor.close()
            return True
        except duckdb.ResourceInUseException:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)


def _order_by(order: str) -> str:
    """Validate an ORDER BY list of known columns; add event_id so pages are stable."""
    terms = []
    for term in order.split(","):
        match = _ORDER_TERM.match(term)
        if not match or match.group(1).lower() not in COLUMNS:
            raise StoreError(f"cannot order by {term.strip()!r}")
        terms.append(f"{match.group(1).lower()} {(match.group(2) or 'ASC').upper()}")
    if not any(t.startswith("event_id ") for t in terms):
        terms.append("event_id ASC")
    return ", ".join(terms)


def _storable(event: Event) -> Event:
    """``event`` with lone surrogates in its text replaced by U+FFFD (DuckDB stores UTF-8)."""
    changes: dict[str, Any] = {}
    for name in COLUMNS:
        value = getattr(event, name)
        if isinstance(value, str) and SURROGATE.search(value):
            changes[name] = replace_surrogates(value)
        elif name == "resources" and any(SURROGATE.search(v) for v in value):
            changes[name] = tuple(replace_surrogates(v) for v in value)
    return replace(event, **changes) if changes else event


def _event(row: Sequence[Any]) -> Event:
    values = list(row)
    values[1] = as_utc(values[1])
    values[16] = tuple(values[16] or ())
    return Event(*values)
