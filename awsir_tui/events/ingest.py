r"""The fast path: S3 log files (``{"Records": [...]}``, gzipped) straight into the store.

Building an :class:`~awsir_tui.events.record.Event` per record in Python costs tens of
microseconds; an archive has millions of records. Here each file is inflated and cut
into its records without parsing them (msgspec finds where each record starts and ends,
at memory speed), the records are written one per line to a scratch file, and DuckDB
reads those lines, extracts the columns in C++ on every core, and inserts the rows.

Why the detour through lines: DuckDB reading whole ``{"Records": [...]}`` documents
parses each file as one value on one thread and writes every record out again as JSON
text; one record per line it reads in parallel, keeps each record's text as it was, and
parses it once. At 200k events that is 1.4 s of wall time against 0.7 s plus 0.3 s of
CPU to cut the records (bench/bench_ingest.py has the whole-load figures).

The columns must be exactly what :func:`~awsir_tui.events.record.from_record` makes, so
that a filter means the same whatever path an event came by. :data:`EVENT_COLUMNS_SQL`
mirrors it field by field (tests compare both paths on the real Stratus records). Known
differences, all on values CloudTrail does not write: a non-string scalar in a text field
(``true`` becomes ``true``, not Python's ``True``); an ``eventTime`` that is a numeric
string or in a format only one of DuckDB and ``datetime.fromisoformat`` parses; a
boolean under a resource key; resources below nesting depth 9 or past the 64th are not
cut exactly where the Python walk cuts them; a resource list that mixes strings and
objects keeps only what the objects name. The ``raw`` column is the record's text as the
file has it (what ``zgrep`` on the archive sees), where the Python readers write it out
again: the two differ only where the file escapes a character it need not escape
(``\u00e9``, ``\/``), or spaces its JSON.

Anything this path cannot take (not an envelope, damaged, truncated, invalid Unicode) is
left to the Python readers, which keep the good part and say what was wrong; the caller
does that.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import duckdb
import msgspec
import orjson

from awsir_tui.events.files import GZIP_MAGIC, inflate, kind_of_json
from awsir_tui.events.record import (
    FILTER_NAME,
    INSIGHT_EVENT_TYPE,
    INSIGHT_PREFIX,
    RESOURCE_KEYS,
    STATE_OBJECT,
    is_record,
)
from awsir_tui.events.store import COLUMNS, EventStore

#: Largest record DuckDB is given; DuckDB sizes its read buffers by it. A file with a
#: bigger record is read by the Python readers instead.
MAX_RECORD_BYTES = 64 << 20
_SNIFF_BYTES = 4096
_ENVELOPE_HEAD = re.compile(rb'^\s*\{\s*"Records"\s*:\s*\[\s*\{')

_PATHS = [
    "$.eventID", "$.eventTime", "$.eventName", "$.eventSource", "$.awsRegion",
    "$.sourceIPAddress", "$.userAgent", "$.errorCode", "$.errorMessage", "$.readOnly",
    "$.userIdentity.type", "$.userIdentity.userName", "$.userIdentity.arn",
    "$.userIdentity.principalId", "$.userIdentity.accessKeyId", "$.recipientAccountId",
    "$.userIdentity.accountId", "$.userIdentity.invokedBy",
    # JSON text of the parts resources come from: one parse of the record for all fields.
    "$.resources", "$.requestParameters", "$.responseElements",
    # An Insights event's API and service (record.INSIGHT_EVENT_TYPE); last, so that the
    # positions above (f[19] to f[21]) stay.
    "$.eventType", "$.insightDetails.eventName", "$.insightDetails.eventSource",
]
_F = {path.split(".", 1)[1]: f"coalesce(f[{i + 1}], '')" for i, path in enumerate(_PATHS)}
_KEYS = "|".join(sorted(RESOURCE_KEYS))
#: A resource key and its value when that is a string, an integer or an array of strings
#: (what ``record._walk_resources`` collects); DuckDB's JSON text has no spaces.
_RESOURCE_VALUE = (
    rf'"(?:{_KEYS})":("(?:[^"\\]|\\.)*"|-?\d+|\[(?:"(?:[^"\\]|\\.)*",?)*\])[,}}\]]'
)
_BOTH = "coalesce(f[20], '') || ' ' || coalesce(f[21], '')"
#: Whether the record is an Insights event, named as record.from_record names it.
_INSIGHT = f"f[{_PATHS.index('$.eventType') + 1}] = '{INSIGHT_EVENT_TYPE}'"
#: The request's and response's JSON text, instance state objects and search filters'
#: names cut out (see record.STATE_KEYS, record.FILTER_NAME); contains() spares nearly
#: every record the regular expressions.
_PARAMETERS = f"""CASE WHEN contains({_BOTH}, 'State":{{') OR contains({_BOTH}, '","value')
        THEN regexp_replace(regexp_replace({_BOTH}, '{STATE_OBJECT}', '', 'g'),
                            '{FILTER_NAME}', '\\1', 'g')
        ELSE {_BOTH} END"""
_USER_NAME = f"""CASE
    WHEN {_F['userIdentity.userName']} <> '' THEN {_F['userIdentity.userName']}
    WHEN {_F['userIdentity.type']} = 'AssumedRole' AND contains({_F['userIdentity.arn']}, '/')
        THEN regexp_extract({_F['userIdentity.arn']}, '[^/]*$')
    WHEN {_F['userIdentity.type']} = 'Root' THEN 'root'
    WHEN contains({_F['userIdentity.principalId']}, ':')
        THEN regexp_extract({_F['userIdentity.principalId']}, '[^:]*$')
    WHEN {_F['userIdentity.type']} = 'AWSService' THEN {_F['userIdentity.invokedBy']}
    WHEN {_F['userIdentity.principalId']} <> '' THEN {_F['userIdentity.principalId']}
    ELSE regexp_extract({_F['userIdentity.arn']}, '[^/]*$') END"""
_RESOURCES = f"""list_concat(
        flatten(list_transform(coalesce(json_extract(f[19], '$[*]'), []),
            lambda x: list_filter([json_extract_string(x, '$.ARN'), json_extract_string(x, '$.arn'),
                              json_extract_string(x, '$.ResourceName')],
                             lambda v: coalesce(v, '') <> ''))),
        flatten(list_transform(
            regexp_extract_all({_PARAMETERS}, '{_RESOURCE_VALUE}', 1),
            lambda m: CASE WHEN starts_with(m, '[')
                      THEN json_extract_string(m, '$[*]')
                      WHEN starts_with(m, '"') AND m = '""' THEN []
                      ELSE [json_extract_string(m, '$')] END)))"""
#: ``eventTime`` as a time (a string DuckDB reads, or seconds), else NULL; ``try``: seconds
#: beyond any time (``1e20``) would fail the whole statement.
_TIME = "coalesce(try_cast(f[2] AS TIMESTAMPTZ), try(to_timestamp(try_cast(f[2] AS DOUBLE))))"
#: The times Python's datetime holds (years 1-9999): beyond them (milliseconds read as
#: seconds, ``infinity``) the store would hand back text; dated the epoch as
#: ``record.parse_time`` dates them.
_FIRST_TIME = "TIMESTAMPTZ '0001-01-01 00:00:00+00'"
_LAST_TIME = "TIMESTAMPTZ '9999-12-31 23:59:59.999999+00'"
_EPOCH = "TIMESTAMPTZ '1970-01-01 00:00:00+00'"
#: SELECT list computing every store column from a record ``r`` (JSON) and ``f``, the
#: list of scalar fields at ``_PATHS`` (parsed once per record), and ``_t``, :data:`_TIME`.
EVENT_COLUMNS_SQL = {
    "event_id": _F["eventID"],
    "event_time": f"CASE WHEN _t BETWEEN {_FIRST_TIME} AND {_LAST_TIME} THEN _t ELSE {_EPOCH} END",
    "event_name": f"""CASE WHEN {_INSIGHT}
        THEN '{INSIGHT_PREFIX}' || {_F['insightDetails.eventName']} ELSE {_F['eventName']} END""",
    "event_source": f"""CASE WHEN {_INSIGHT}
        THEN {_F['insightDetails.eventSource']} ELSE {_F['eventSource']} END""",
    "aws_region": _F["awsRegion"],
    "source_ip": _F["sourceIPAddress"],
    "user_agent": _F["userAgent"],
    "error_code": _F["errorCode"],
    "error_message": _F["errorMessage"],
    "read_only": "CASE lower(f[10]) WHEN 'true' THEN true WHEN 'false' THEN false END",
    "user_type": _F["userIdentity.type"],
    "user_name": _USER_NAME,
    "user_arn": _F["userIdentity.arn"],
    "principal_id": _F["userIdentity.principalId"],
    "access_key_id": _F["userIdentity.accessKeyId"],
    "account_id": f"""CASE WHEN {_F['recipientAccountId']} <> '' THEN {_F['recipientAccountId']}
        ELSE {_F['userIdentity.accountId']} END""",
    "resources": "",  # filled below: needs the distinct-in-order step
    "raw": "r::VARCHAR",
    "parse_error": "''",
}
EVENT_COLUMNS_SQL["resources"] = "list_filter(_res, lambda v, i: list_position(_res, v) = i)[1:64]"
assert list(EVENT_COLUMNS_SQL) == list(COLUMNS)


def records_sql(source_sql: str) -> str:
    """SELECT every store column from ``source_sql``, a query with a JSON column ``r``
    holding one JSON object per row (plus any other columns, passed through): those
    that are records as :func:`~awsir_tui.events.record.is_record` tells them, which
    name ``eventID`` or ``eventName`` (the keys' presence is asked of the JSON only
    for the rare object whose fields were not found, null or absent)."""
    columns = ", ".join(f"{sql} AS {name}" for name, sql in EVENT_COLUMNS_SQL.items())
    paths = "[" + ", ".join(f"'{p}'" for p in _PATHS) + "]"
    named = ("f[1] IS NOT NULL OR f[3] IS NOT NULL "
             "OR json_exists(r, '$.eventID') OR json_exists(r, '$.eventName')")
    return (
        f"SELECT * EXCLUDE (r, f, _res, _t), {columns} FROM ("
        f"SELECT *, {_RESOURCES} AS _res, {_TIME} AS _t FROM ("
        f"SELECT *, json_extract_string(r, {paths}) AS f FROM ({source_sql})) "
        f"WHERE {named})"
    )


def _looks_like_envelope(head: bytes) -> bool:
    """Whether a file's first bytes start like a non-empty S3 log file,
    ``{"Records":[{``, gzipped or not: only likely candidates are read whole."""
    if head[:2] == GZIP_MAGIC:
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, _SNIFF_BYTES)
        except zlib.error:
            return False
    return bool(_ENVELOPE_HEAD.match(head))


class RecordLines(NamedTuple):
    """An S3 log file cut by :func:`record_lines`."""

    #: Its entries of ``Records``, one per line (no line break after the last), each as
    #: the file has it.
    text: bytes
    #: How many there are: DuckDB stores fewer when some are no records (not objects,
    #: or without a record's names: the loader then finds them with :func:`not_records`).
    entries: int


def record_lines(path: Path) -> RecordLines | None:
    """The records of the S3 log file ``path``, for :func:`insert_lines`. None when
    ``path`` is not one whole valid envelope (not one, damaged, truncated, not UTF-8, a
    record too big): the Python readers, which salvage what they can and say why, take
    the file."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
            if not _looks_like_envelope(head):
                return None
            data = head + handle.read()
    except OSError:
        return None
    if data[:2] == GZIP_MAGIC:
        data, problem = inflate(data)
        if problem:
            return None
    try:
        envelope = _ENVELOPE.decode(data)
    except (msgspec.DecodeError, RecursionError):
        return None
    if envelope.Events is not msgspec.UNSET:
        return None
    records = envelope.Records
    if not records or max(map(len, records)) > MAX_RECORD_BYTES:
        return None
    if not data.isascii() and not _valid_utf8(data):
        return None  # DuckDB would refuse the whole batch it is cut into
    if b"\n" in data:
        # JSON spread over lines. Outside a string a line break is only spacing (inside
        # one it is invalid, and msgspec refused it above): a space keeps the record.
        text = b"\n".join(bytes(r).replace(b"\n", b" ") for r in records)
    else:
        text = b"\n".join(records)
    return RecordLines(text, len(records))


def not_records(path: Path) -> list[str]:
    """What each entry of the S3 log file ``path``'s ``Records`` that is no record is (a
    number, a string, an object with neither of a record's names): :data:`_LINES_SQL`
    passes them over. ``[]`` when the file no longer reads as an envelope. Cuts the file
    again: called only when a batch stored fewer rows than its files have entries, which
    CloudTrail's files never do."""
    cut = record_lines(path)
    if cut is None:
        return []
    return [kind_of_json(line) for line in cut.text.split(b"\n")
            if line[:1] != b"{" or not _is_record_text(line)]


def _is_record_text(line: bytes) -> bool:
    """Whether the JSON object ``line`` is a record as :data:`_LINES_SQL` asks it (it
    names ``eventID`` or ``eventName``); one too deep to decode here was stored."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        return True
    return isinstance(value, dict) and is_record(value)


def _valid_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8 (encoded surrogates included, which are not).

    Checked here, per file, because DuckDB checks per statement: one bad file would
    make DuckDB refuse its whole batch, which :func:`insert_lines` then cuts again file
    by file, so one bad file in every batch would double a load's work."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def insert_lines(store: EventStore, lines: Path, paths: Sequence[Path]) -> tuple[int, list[Path]]:
    """Insert ``lines``, a file of the :func:`record_lines` of the log files ``paths``,
    in one statement; return ``(events inserted, log files refused)``.

    One file for many log files: DuckDB pays about half a millisecond per file it
    reads, more than a small log file's records cost (CloudTrail writes a file per
    region every few minutes, most of a few events). :func:`record_lines` has already
    turned away what DuckDB is known to refuse (bad UTF-8, lone surrogate escapes); if
    DuckDB refuses a batch all the same, it is cut again file by file and retried, so
    one file it refuses costs only itself. Duplicates are not removed here (see
    :meth:`EventStore.remove_duplicates`).
    """
    try:
        return store.insert(_LINES_SQL, [str(lines)]), []
    except duckdb.InterruptException:
        raise  # the store was stopped: not the files' fault, nothing to retry
    except duckdb.Error:
        if len(paths) == 1:
            return 0, list(paths)
    inserted, refused = 0, []
    single = lines.with_name(f"{lines.stem}-one.jsonl")
    for path in paths:
        records = record_lines(path)
        try:
            if records is None:  # changed since it was cut
                raise OSError("not cut again")
            single.write_bytes(records.text)
        except OSError:  # (a full disk) the Python readers take it
            refused.append(path)
            continue
        count, left = insert_lines(store, single, [path])
        inserted += count
        refused += left
    single.unlink(missing_ok=True)
    return inserted, refused


class _Envelope(msgspec.Struct):
    """An S3 log file, decoded only as far as where each record's text starts and ends.
    ``Events`` beside ``Records`` is no S3 log file (made by hand, or to hide items from
    a reader of Records only): the Python readers read both."""

    Records: list[msgspec.Raw]
    Events: msgspec.UnsetType | msgspec.Raw = msgspec.UNSET


_ENVELOPE = msgspec.json.Decoder(_Envelope)
#: Every store column for every record in the lines file given as the one parameter.
#: An entry of ``Records`` that is not an object, or an object with neither of a
#: record's names (:func:`records_sql`), is no record: left out, and counted by the
#: loader (:attr:`RecordLines.entries`).
_LINES_SQL = records_sql(
    "SELECT json AS r FROM read_json_objects(?, format = 'newline_delimited', "
    f"maximum_object_size = {MAX_RECORD_BYTES}) WHERE starts_with(json::VARCHAR, '{{')"
)
