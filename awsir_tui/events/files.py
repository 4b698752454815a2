"""Reading CloudTrail records from local files, whatever shape they were handed over in.

A responder is often given "a folder of logs": S3 objects copied with ``aws s3 sync``
(``{"Records": [...]}`` gzipped), a colleague's ``jq`` output (bare arrays or JSON lines),
``aws cloudtrail lookup-events`` output (``{"Events": [...]}``), or the console's Event
history download (JSON or CSV). The format is detected per file from its content, never
from its name, because names lie after a copy or a rename.

A bad file never stops a load: :func:`read_file` returns what it could read plus the
reason for what it could not (truncated gzip, invalid JSON, not CloudTrail, empty), so the
loader can list it and go on. Good records before a truncation are kept whenever the
format allows it (JSON lines; arrays and envelopes are read element by element).

A file from which nothing was read is one of two things. A log that could not be read
(a truncated gzip, invalid JSON, a ``.json`` of another tool, an empty ``.json.gz``)
misses events, and the events read are partial. A file that is no log at all (the README
or LICENSE beside the logs, notes in a ``.txt``) misses none: :attr:`FileResult.not_a_log`
tells them apart, by the name a log could have and by what the content starts as. So
does a file another AWS service delivered into the trail's bucket (AWS Config's history,
VPC flow logs), told by its place in the ``AWSLogs/`` layout: a shared log-archive
bucket holds thousands, and each counted as a log not read made every load partial.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import os
import re
import stat
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard, cast

import orjson
from isal import isal_zlib

from awsir_tui.events.record import (
    Event,
    from_lookup_event,
    from_record,
    is_record,
    iter_records,
)
from awsir_tui.events.s3archive import ACCOUNT_ID, ORG_ID
from awsir_tui.events.surrogates import replace_surrogates
from awsir_tui.text import clean, count_of

#: The largest piece of gzip input inflated at a time, and the piece a damaged member is
#: read again in, so that the output produced before a corrupt block is kept as it
#: always was rather than lost with the exception (:func:`inflate`).
_CHUNK = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"
#: Largest decompressed file read. CloudTrail writes files of a few MB; anyone who can
#: write to the bucket can also write a gzip bomb, which must not take the machine down.
MAX_INFLATED = 512 << 20
#: Nor more than this many times its own size (from a floor of :data:`INFLATE_FLOOR`):
#: CloudTrail's JSON inflates about 10 times, while a bomb of a few hundred KB reached
#: the 512 MB bound (and took 640 MB of memory) before it was refused.
MAX_RATIO = 100
INFLATE_FLOOR = 64 << 20
#: What ISA-L's inflate raises on damaged data (its stubs declare an instance).
_InflateError = cast("type[Exception]", isal_zlib.error)
#: ``{"Records": [`` at the start of a document: where element-by-element salvage starts.
_ENVELOPE_START = re.compile(rb'^\s*\{\s*"(Records|Events)"\s*:\s*\[')
_NOT_CLOUDTRAIL = "valid JSON but not CloudTrail (no Records, Events or eventID/eventName)"
#: Why a document's list of records yielded none, by its key.
_NONE_IN = {"Records": "no CloudTrail records in Records",
            "Events": "no LookupEvents items in Events (no CloudTrailEvent)"}
_UNICODE_NOTE = "invalid Unicode (lone surrogate or bad UTF-8) replaced with U+FFFD"
#: The console's Event history CSV: the column that holds the whole record as JSON.
_CSV_RECORD_COLUMN = "cloudtrail event"
#: The deepest nesting of arrays and objects orjson reads; a CloudTrail record nests a
#: dozen levels. Deeper is refused (how it begins orjson's message), not invalid JSON:
#: the file may well be valid, and saying "invalid" sends the responder the wrong way.
MAX_DEPTH = 1024
_TOO_DEEP = "depth limit exceeded"
#: How the name of a file of CloudTrail records ends: CloudTrail's own
#: (``..._CloudTrail_us-east-1_..._x.json.gz``), the CLI's and jq's output, the
#: console's JSON and CSV downloads, a log shipper's ``.log``.
LOG_SUFFIXES = (".json", ".gz", ".jsonl", ".ndjson", ".csv", ".log")
#: Formats that mean the content was read and is text that does not start as a log does
#: (gzip, JSON, the console's CSV), or whitespace only: a README, a LICENSE. Not a file
#: that could not be read, nor binary content (a zip of logs is logs not read).
_UNRECOGNISED = frozenset({"unknown", "empty"})
#: A trail's digest file: no events, nothing missed (see :mod:`awsir_tui.events.digests`).
DIGEST_FORMAT = "cloudtrail digest"
DIGEST_REASON = ("CloudTrail digest file (an integrity proof, it holds no events: "
                 "awsir-tui verify checks the logs against it)")
#: A file another AWS service delivered into the bucket (see :func:`delivered_by`).
OTHER_SERVICE_FORMAT = "another service's delivery"
#: The services that deliver into ``AWSLogs/ACCOUNT/``, by their folder, as a reason
#: names them; any other folder is named as it is.
_SERVICES = {"config": "AWS Config", "vpcflowlogs": "VPC Flow Logs",
             "elasticloadbalancing": "Elastic Load Balancing"}
#: How binary content starts when it is an archive of files, by the tool that unpacks it.
_ARCHIVES = ((b"PK\x03\x04", "zip"), (b"BZh", "bzip2"), (b"\xfd7zXZ", "xz"),
             (b"\x28\xb5\x2f\xfd", "zstd"), (b"7z\xbc\xaf", "7z"))


@dataclass(slots=True)
class FileResult:
    """What one file yielded: its events, and why the rest (if any) could not be read."""

    source: str
    events: list[Event] = field(default_factory=list)
    #: Bytes of the file as stored (compressed size for gzip).
    size: int = 0
    #: The detected format, e.g. "gzip envelope", "json lines", "console csv".
    format: str = ""
    #: Empty when the whole file was read; otherwise the reason, written for a human.
    problem: str = ""
    #: True when the file could not be opened or read at all (the OS refused it): a
    #: source named so is said CANNOT READ, not a damaged log (see the loader).
    unopened: bool = False

    @property
    def skipped(self) -> bool:
        """True when nothing at all could be used from the file."""
        return bool(self.problem) and not self.events

    @property
    def not_a_log(self) -> bool:
        """True when nothing was read from a file that neither has a log's name nor
        starts as a log does (a README, a LICENSE), from a trail's digest file, or from
        a file another AWS service delivered (:func:`delivered_by`). It is listed, but it
        misses no event; a file named or shaped as a log that could not be read does."""
        return self.skipped and (
            self.format.endswith(DIGEST_FORMAT) or self.format == OTHER_SERVICE_FORMAT
            or (self.format in _UNRECOGNISED and not is_log_name(self.source)))


def delivered_by(source: str) -> str:
    """The service whose folder of the ``AWSLogs/[o-ORG/]ACCOUNT/<Service>/`` layout
    ``source`` is in, when it is not CloudTrail's (``CloudTrail/``, ``CloudTrail-Insight/``
    and ``CloudTrail-Digest/`` are); "" anywhere else. Such a file holds that service's
    records (AWS Config's history, flow logs), never CloudTrail's: none is missed."""
    parts = Path(source).parts
    for index, part in enumerate(parts):
        if part != "AWSLogs":
            continue
        folders = list(parts[index + 1:-1])  # below AWSLogs/, without the file's name
        if folders and ORG_ID.fullmatch(folders[0]):
            folders = folders[1:]
        if (len(folders) >= 2 and ACCOUNT_ID.fullmatch(folders[0])
                and not folders[1].lower().startswith("cloudtrail")):
            return folders[1]
    return ""


def source_name(where: str) -> str:
    """A source as the loads in a store, the coverage of an export and the case name it:
    a local path as typed, made absolute (the next responder was not in the folder
    ``./logs`` was typed in) but not resolved through links (the responder's
    ``bench/out/1000000``, not where that link points today); a URL as given."""
    return where if "://" in where else os.path.abspath(os.path.expanduser(where))


def storable_path(path: str) -> str:
    """``path`` as DuckDB can store it and tell from any other: a name that is not
    UTF-8 (``os.fsdecode``'s surrogates) with its bytes written ``\\xff``. Not U+FFFD,
    which made two such names one."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def is_log_name(source: str) -> bool:
    """Whether ``source`` (a path, or an ``s3://`` URL) is named as a file of logs is."""
    return Path(source).name.lower().endswith(LOG_SUFFIXES)


def iter_files(root: Path, unreadable: list[tuple[Path, str]] | None = None) -> Iterator[Path]:
    """Every regular file below ``root`` (or ``root`` itself), in a stable order.

    Hidden files and folders (``.DS_Store``, ``.git``) are not evidence and are left out;
    a hidden file named as a log is (``.hidden.json``), said in ``unreadable``: left out
    in silence, its events were missed by a load that said COMPLETE.
    A link to a folder is followed (``logs/2024 -> /mnt/archive/2024``: left out, its
    logs were named nowhere), each folder walked once, so a link back up ends there;
    not a link to a folder above the source (``/``, ``../..``), said in
    ``unreadable``: it would read everything around the source.
    What is there but cannot be read is added to ``unreadable`` with why: a link to a
    file that is gone (a copy made with ``cp -s``, an archive unpacked elsewhere), a
    folder that cannot be listed. Passed over in silence, it made a load that missed
    their events say COMPLETE.
    """
    if root.is_file():
        yield root
        return

    def unlisted(error: OSError) -> None:
        if unreadable is not None:
            where = Path(error.filename) if error.filename else root
            unreadable.append((where, f"cannot list folder: {error.strerror or error}"))

    walked: set[tuple[int, int]] = set()
    holders = _holders(root)
    for folder, dirs, files in os.walk(root, onerror=unlisted, followlinks=True):
        with contextlib.suppress(OSError):  # (gone since it was listed: walk it as is)
            seen = os.stat(folder)
            if (seen.st_dev, seen.st_ino) in walked:  # a loop, or a folder linked twice
                dirs[:] = []
                continue
            walked.add((seen.st_dev, seen.st_ino))
        if folder != str(root) and os.path.realpath(folder) in holders:
            # A link to / or to a folder around the source (an archive unpacked with
            # `logs -> ../..`) would walk, and load, everything under it.
            dirs[:] = []
            if unreadable is not None:
                unreadable.append((Path(folder), "a link to a folder that holds the source:"
                                   " not followed"))
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith("."):
                # ``._NAME``: the resource fork macOS writes beside every file on a disk
                # it does not own (exFAT, SMB, a USB stick); no log, nothing to say.
                if unreadable is not None and is_log_name(name) and not name.startswith("._"):
                    unreadable.append((path, "a hidden file (its name begins with '.'): not read"))
            elif path.is_file():
                yield path
            elif unreadable is not None and (problem := _not_reachable(path)):
                unreadable.append((path, problem))


def _holders(root: Path) -> set[str]:
    """The real paths of every folder above ``root``, up to ``/`` (a link to ``root``
    itself is a loop, which the walk ends as it ends any)."""
    return {str(parent) for parent in Path(os.path.realpath(root)).parents}


def _not_reachable(path: Path) -> str:
    """Why ``path`` (not a regular file) cannot be read: a broken link or one that
    cannot be followed, or a pipe or a socket: what is there and streams, not what was
    copied there (reading it would wait for a writer, for ever if none comes). ""
    for a device (``/dev/null`` linked in): no log was ever in it."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        why = exc.strerror or str(exc)
        if not path.is_symlink():
            return f"cannot read file: {why}"
        try:
            target = os.readlink(path)
        except OSError:
            return f"broken link: {why}"
        return f"broken link to {target}: {why}"
    if stat.S_ISFIFO(mode):
        return "a named pipe, not a file: not read"
    return "a socket, not a file: not read" if stat.S_ISSOCK(mode) else ""


def read_file(path: Path, source: str | None = None) -> FileResult:
    """Read one file of any supported format into events; never raises for bad content.

    ``source`` names the file in reports (an ``s3://`` URL for a cached object).
    """
    result = FileResult(source=source or str(path))
    _read_into(path, result)
    # Only for a file with no events: a log's path is not looked at again.
    if not result.events and (service := delivered_by(result.source)):
        # Read first all the same: CloudTrail records put there are still loaded. A
        # file under CloudTrail/ that holds none stays a log not read (damaged).
        folder = clean(service)
        result.format = OTHER_SERVICE_FORMAT
        result.problem = (f"delivered by {_SERVICES.get(service.lower(), folder)} "
                          f"(AWSLogs/…/{folder}/), not by CloudTrail: no CloudTrail "
                          "events in it")
    return result


def _read_into(path: Path, result: FileResult) -> None:
    """:func:`read_file`'s reading, by content alone: ``result`` filled."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        result.problem = f"cannot read file: {exc.strerror or exc}"
        result.unopened = True
        return
    result.size = len(data)
    if not data:
        result.format = "empty"
        result.problem = "empty file (0 bytes)"
        return
    gzipped = data[:2] == GZIP_MAGIC
    if gzipped:
        data, gzip_problem = inflate(data)
        if gzip_problem and not data:  # nothing inflated to parse: that is the reason
            damaged = gzip_problem.startswith(_DAMAGED_GZIP)  # else a bomb, not read
            result.format = "gzip"
            result.problem = _nothing_kept(gzip_problem) if damaged else gzip_problem
            return
    else:
        gzip_problem = ""
    try:
        parse_problem = _parse_into(data, result)
    except RecursionError:  # a last guard: no reader may let hostile nesting crash a load
        parse_problem = "JSON nested too deeply to read"
    result.problem = (_after_damage(gzip_problem, parse_problem, result) if gzip_problem
                      else parse_problem)
    if gzipped:
        result.format = f"gzip {result.format}".strip()


#: How :func:`inflate` says a gzip file is damaged (what came before the damage is read).
_TRUNCATED_GZIP = "truncated gzip (file cut short)"
_CORRUPT_GZIP = "corrupt gzip data"
_DAMAGED_GZIP = (_TRUNCATED_GZIP, _CORRUPT_GZIP)
#: The formats of a document that failed to parse as JSON (:func:`_parse_damaged_json`):
#: after a damaged gzip, it ends where the gzip does, and its failing is the damage's.
_CUT_SHORT = frozenset({"json", "truncated json"})


def _after_damage(damage: str, parse_problem: str, result: FileResult) -> str:
    """The reason of a gzip file read up to its ``damage`` (:func:`inflate`'s words),
    with what its content gave. Records before it: kept, the parse saying how many.
    None before it, when the JSON ends where the gzip does, once: "kept what came before
    it" followed by "no complete record before the damage", under "nothing read from
    these files", said and unsaid what was kept. Content that is no log says so still."""
    if result.events:
        return _notes(f"{damage}; kept what came before it", parse_problem)
    if result.format in _CUT_SHORT:
        return _nothing_kept(damage)
    return _notes(damage, parse_problem)


def _nothing_kept(damage: str) -> str:
    """A damaged gzip file's reason when the damage came before its first record."""
    return f"{damage} before the first complete record: nothing kept"


def inflate(data: bytes) -> tuple[bytes, str]:
    """Decompress gzip ``data`` (all members); on damage return what came before it.

    ISA-L's inflate (``isal_zlib``, zlib's interface) takes 40% less CPU than zlib's on
    CloudTrail files, and inflating is a sixth of a fast load's CPU.

    Each member is read from where the last one ended in the file, fed in pieces that
    start small (:func:`_inflate_member`): the file's rest was copied for each member,
    and a megabyte piece's rest too, so that a file of empty members took 1.3 s at 640 kB
    and four times longer for each doubling. A member that fails is read again in
    megabyte pieces, as it always was, for what is kept before damage (a piece that fails
    keeps nothing of its own) to stay the same.
    """
    out: list[bytes] = []
    size = 0
    bound = min(MAX_INFLATED, max(INFLATE_FLOOR, len(data) * MAX_RATIO))
    view = memoryview(data)
    start = 0
    while start < len(view):
        kept, before = len(out), size
        start, size, problem = _inflate_member(view, start, out, size, bound, _FIRST_PIECE)
        if problem == "":  # a bomb: nothing of it is kept, so it is not inflated again
            return b"", (f"decompresses to more than {bound >> 20} MB (a gzip "
                         "bomb, or no CloudTrail log); not read")
        if problem is None:
            continue
        del out[kept:]
        start, size, problem = _inflate_member(view, start, out, before, bound, _CHUNK)
        if problem is not None:
            return b"".join(out), problem
    return b"".join(out), ""


#: The first piece of a gzip member :func:`inflate` feeds; each next is twice as long,
#: up to :data:`_CHUNK`.
_FIRST_PIECE = 64


def _inflate_member(view: memoryview, start: int, out: list[bytes], size: int, bound: int,
                    piece: int) -> tuple[int, int, str | None]:
    """Inflate the gzip member at ``start`` of ``view`` onto ``out``, fed pieces of
    ``piece`` bytes first (the inflater copies what follows the member's end in the
    last one). Returns where the next member starts (where this one started when it
    failed), the size inflated so far, and None, or what went wrong: "" for more than
    ``bound`` bytes (the caller says it), else the reason."""
    inflater = isal_zlib.decompressobj(wbits=31)
    at = start
    try:
        while at < len(view) and not inflater.eof:
            end = min(at + piece, len(view))
            pending: bytes | memoryview = view[at:end]
            while pending and not inflater.eof:  # bounded steps: a bomb stops early
                out.append(inflater.decompress(pending, _CHUNK * 16))
                size += len(out[-1])
                if size > bound:
                    return start, size, ""
                pending = inflater.unconsumed_tail
            at, piece = end, min(piece * 2, _CHUNK)
        out.append(inflater.flush())
    except _InflateError as exc:
        return start, size, f"{_CORRUPT_GZIP} ({exc})"
    if not inflater.eof:
        return start, size, _TRUNCATED_GZIP
    return at - len(inflater.unused_data), size, None


#: Byte order marks of the wider Unicode encodings, UTF-32's first (its little-endian
#: mark begins with UTF-16's).
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def _wide_encoding(data: bytes) -> str | None:
    """The encoding of ``data`` when it is UTF-16 or UTF-32 text, else None: told by its
    byte order mark (Windows PowerShell's ``Out-File`` and ``>`` write UTF-16 with one:
    an Event history export saved that way was called binary and not read), or, without
    one, by the NUL beside a JSON document's first ``{`` or ``[`` (blanks before it
    left out)."""
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            return encoding
    start = data[:64]
    for blank in (b" ", b"\t", b"\r", b"\n"):  # blanks before it, as JSON allows
        start = start.replace(blank + b"\0", b"").replace(b"\0" + blank, b"")
    if start[:2] in (b"{\0", b"[\0"):
        return "utf-16-le"
    if start[:2] in (b"\0{", b"\0["):
        return "utf-16-be"
    return None


def _parse_into(data: bytes, result: FileResult) -> str:
    """Detect the text format of ``data``, fill ``result`` with events, return a problem."""
    encoding = _wide_encoding(data)
    if encoding is not None:  # read as UTF-8, as the rest is; a byte it lacks shows as �
        data = data.decode(encoding, errors="replace").encode("utf-8", errors="replace")
        problem = _parse_into(data, result)
        result.format = f"{encoding.upper()} {result.format}"
        return problem
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        result.format = "empty"
        return "empty file (no content)"
    first = text[:1]
    if first in (b"{", b"["):
        return _parse_json(text, result)
    if _looks_like_console_csv(text):
        result.format = "console csv"
        return _parse_csv(text, result)
    if _looks_like_console_csv(text, with_record=False):
        # Its other columns miss the source IP, the identity and the request, which
        # the filters, the detections and the event view all read: not worth loading.
        result.format = "console csv"
        return (
            "a console Event history CSV without its CloudTrail event column (each "
            "event's record): download it again with every column, or as JSON"
        )
    archive = next((kind for magic, kind in _ARCHIVES if text.startswith(magic)), None)
    if archive is not None or b"\x00" in text[:4096]:
        # Possibly logs packed another way: never "not a log", which would say no
        # event was missed.
        result.format = "binary"
        what = f"a {archive} archive" if archive else "binary content"
        return f"{what}, not JSON or CSV: unpack it and load what it holds"
    result.format = "unknown"
    # clean() already shows control characters as \x04: quoted as is, not repr'd again
    # (which doubled each backslash: '\\x04'). Runs of blanks as one: a LICENSE's
    # centred title quoted its 32 spaces, and the next line's, which wrapped the reason.
    preview = " ".join(clean(text[:80].decode("utf-8", errors="replace")).split())
    return f"not JSON or a CloudTrail CSV (starts with '{clean(preview, max_len=40)}')"


def _loads(data: bytes) -> tuple[object, bool]:
    """Parse JSON; return (document, whether invalid Unicode had to be replaced).

    orjson refuses a lone surrogate escape (``"\\ud800"``) or invalid UTF-8 anywhere in
    a file; one such string, which anyone who can put text in a log can write, must not
    hide the thousand good records around it. Python's json accepts them, so the file is
    parsed again with it and those characters become U+FFFD (reported, not silent).
    """
    try:
        return orjson.loads(data), False
    except orjson.JSONDecodeError as exc:
        try:
            document = json.loads(data.decode("utf-8", errors="replace"))
        except (ValueError, RecursionError):  # RecursionError: nested beyond Python's limit
            raise exc from None
    return _scrub(document), True


def _scrub(value: Any) -> Any:
    """``value`` with lone surrogates in its strings (keys too) replaced by U+FFFD."""
    if isinstance(value, str):
        return replace_surrogates(value)
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _parse_json(text: bytes, result: FileResult) -> str:
    try:
        document, scrubbed = _loads(text)
    except orjson.JSONDecodeError as exc:
        return _parse_damaged_json(text, result, str(exc))
    result.format = _document_format(document)
    result.events.extend(events_of(document))
    where, others = _not_records(document)
    not_records = _not_records_note(others, f"in {where}") if where else ""
    if result.events:
        return _notes(not_records, _stray_objects_note(_stray_objects(document), result),
                      _UNICODE_NOTE if scrubbed else "")
    if isinstance(document, Mapping) and "digestStartTime" in document:
        result.format = DIGEST_FORMAT
        return DIGEST_REASON
    for key, none in _NONE_IN.items():
        if isinstance(document, Mapping) and isinstance(document.get(key), list):
            # An empty list is a log of no events (a LookupEvents answer that found
            # nothing): read whole, as CloudTrail's own empty log files are.
            return not_records or ("" if not document[key] else none)
    if document == []:
        return ""  # the same as an array: a console export of no events
    return _NOT_CLOUDTRAIL


def _not_records(document: object) -> tuple[str, list[object]]:
    """Where ``document`` holds its records (``Records``, ``Events``, "the array"; ""
    for a lone value) and the values there that are not JSON objects, hence not records,
    nor in ``Records`` objects that are no record (:func:`is_record`):
    :func:`~awsir_tui.events.record.iter_records` passes them over, the file's reason
    counts them (a lone value that is not an object is the value itself; the objects of
    ``Events`` and of an array are counted apart, :func:`_stray_objects`)."""
    if isinstance(document, Mapping):  # both, in a document made to mislead
        keys = [key for key in ("Records", "Events") if isinstance(document.get(key), list)]
        return " and ".join(keys), [
            item for key in keys for item in document[key] if not isinstance(item, Mapping)
            or (key == "Records" and not is_record(item))]
    if isinstance(document, list):
        return "the array", [i for i in document if not isinstance(i, Mapping)]
    return "", [document]


def _plain_record(value: object) -> TypeGuard[Mapping[str, Any]]:
    """Whether ``value`` is one record and nothing else (no ``Records``, ``Events`` or
    ``CloudTrailEvent`` in it): :func:`events_of` gives just it, and it holds nothing
    to count as not a record."""
    return (isinstance(value, Mapping) and is_record(value) and "Records" not in value
            and "Events" not in value and "CloudTrailEvent" not in value)


def _holds_records(value: Mapping[str, Any]) -> bool:
    """Whether :func:`events_of` reads events from the object ``value``: a record (see
    :func:`~awsir_tui.events.record.is_record`), a LookupEvents item, or a document of
    them (``Records``, ``Events``)."""
    return (is_record(value) or "CloudTrailEvent" in value
            or isinstance(value.get("Records"), list) or isinstance(value.get("Events"), list))


#: Objects :func:`events_of` reads nothing from, counted by where they are (``in Events``
#: of a LookupEvents document, ``in it`` for the entries of a bare array or a lone
#: document) and whether LookupEvents items were expected there (a console JSON export
#: is a bare array of them): the file's reason says what each should have had.
Strays = Counter[tuple[str, bool]]


def _lookup_items(document: object) -> list[Any] | None:
    """The ``Events`` of a LookupEvents output document, None for any other shape (a
    document that also has ``Records``, made by hand or to mislead, has both read)."""
    if isinstance(document, Mapping):
        events = document.get("Events")
        if isinstance(events, list):
            return events
    return None


def _has_records(document: object) -> bool:
    """Whether ``document`` is an S3 log file's ``{"Records": [...]}``."""
    return isinstance(document, Mapping) and isinstance(document.get("Records"), list)


def _is_item(value: object) -> TypeGuard[Mapping[str, Any]]:
    """Whether ``value`` is a LookupEvents item (its record in ``CloudTrailEvent``)."""
    return isinstance(value, Mapping) and "CloudTrailEvent" in value


def _is_stray(value: object, in_events: bool) -> bool:
    """Whether ``value`` is an object :func:`events_of` reads nothing from: in ``Events``,
    one that is no LookupEvents item; elsewhere, one that holds no record."""
    if not isinstance(value, Mapping):
        return False  # counted apart, by its kind (:func:`_not_records`)
    return not _is_item(value) if in_events else not _holds_records(value)


def _stray_objects(document: object) -> Strays:
    """The objects where records or LookupEvents items are expected (the entries of a
    bare array or of ``Events``; a lone document, such as a line) that :func:`events_of`
    reads nothing from: dropped without a word, they would leave the file counted as
    read whole."""
    lookup = _lookup_items(document)
    if lookup is not None:
        return Counter({("in Events", True): sum(_is_stray(i, True) for i in lookup)})
    items = document if isinstance(document, list) else [document]
    strays = sum(_is_stray(item, False) for item in items)
    return Counter({("in it", any(_is_item(item) for item in items)): strays})


def _stray_objects_note(strays: Strays, result: FileResult) -> str:
    """``2 objects in it are not CloudTrail records (...): skipped`` ("" for none). A file
    none of whose objects is a record is no CloudTrail file at all, and says so as a
    single document of another tool does."""
    if not strays.total():
        return ""
    if not result.events:
        return _NOT_CLOUDTRAIL
    notes = []
    for (where, lookup), count in strays.items():
        what, why = (("LookupEvents item", "no CloudTrailEvent") if lookup
                     else ("CloudTrail record", "no eventName or eventID"))
        are = f"is not a {what}" if count == 1 else f"are not {what}s"
        notes.append(f"{count_of(count, 'object')} {where} {are} ({why}): skipped")
    return _notes(*notes)


def _notes(*notes: str) -> str:
    """A file's reason: its notes that say something, in order, one after another."""
    return "; ".join(note for note in notes if note)


def _not_records_note(values: list[object], where: str) -> str:
    """:func:`not_records_note` for these values."""
    return not_records_note([_kind(v) for v in values], where)


def not_records_note(kinds: list[str], where: str) -> str:
    """``2 entries in Records are not CloudTrail records (a number, a string): skipped``
    for the kinds of the values found where records were expected (``where``: "in
    Records"); "" for none. Both ingest paths say it in these words."""
    if not kinds:
        return ""
    listed = ", ".join(dict.fromkeys(kinds))
    if len(kinds) == 1:
        return f"1 entry {where} is not a CloudTrail record ({listed}): skipped"
    return f"{len(kinds):,} entries {where} are not CloudTrail records ({listed}): skipped"


#: An object where a record was expected that has neither of a record's names.
NOT_A_RECORD_OBJECT = "an object with no eventName or eventID"


def _kind(value: object) -> str:
    """What a JSON value that is not a record is, in words."""
    if value is None:
        return "null"
    if isinstance(value, Mapping):
        return NOT_A_RECORD_OBJECT
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    return "a string" if isinstance(value, str) else "a list"


def kind_of_json(text: bytes) -> str:
    """What the JSON text ``text`` (valid, not a record) is, in :func:`_kind`'s words:
    read from its first byte, as a value may be too deep or too big to decode."""
    return {b'"': "a string", b"[": "a list", b"n": "null", b"t": "true or false",
            b"f": "true or false", b"{": NOT_A_RECORD_OBJECT}.get(text[:1], "a number")


def _document_format(document: object) -> str:
    if isinstance(document, Mapping):
        if "Records" in document:
            return "envelope"
        if "Events" in document:
            return "lookup-events"
        return "record"
    return "array"


def events_of(document: object) -> Iterator[Event]:
    """Events in one parsed JSON document of any shape CloudTrail data comes in.

    LookupEvents items (``{"Events": [...]}``, or the same items in a bare array as the
    console's JSON export writes them) go through ``from_lookup_event`` so that an item
    whose ``CloudTrailEvent`` is damaged is still kept, flagged; everything else through
    ``iter_records`` / ``from_record``. Each item decides for itself: one object without
    ``CloudTrailEvent`` first in ``Events`` sent every item after it the other way.
    """
    if _is_item(document):
        yield from_lookup_event(document)
        return
    lookup = _lookup_items(document)
    if lookup is not None:  # only items: anything else is counted (:func:`_stray_objects`)
        yield from (from_lookup_event(item) for item in lookup if _is_item(item))
        if not _has_records(document):  # a document with both loses neither
            return
    if isinstance(document, list):  # item by item: an array may mix items and records
        for item in document:
            if isinstance(item, Mapping):
                yield from events_of(item)
        return
    for record in iter_records(document):
        yield from_record(record, _dump(record))


def _dump(record: Mapping[str, Any]) -> str:
    """The raw record as compact JSON (the store's ``raw`` column)."""
    try:
        return orjson.dumps(record).decode()
    except TypeError:  # integers beyond 64 bits: orjson refuses, json does not
        return json.dumps(record, separators=(",", ":"), ensure_ascii=False)


def _parse_damaged_json(text: bytes, result: FileResult, error: str) -> str:
    """A file that is not one valid JSON document: JSON lines, documents one after the
    other (``cat a.json.gz b.json.gz``: gzip members), or a truncated document."""
    lines = text.split(b"\n")
    if len(lines) > 1 and any(_is_json(line.strip()) for line in lines[:3]):
        result.format = "json lines"
        return _parse_json_lines(lines, result)
    documents = _documents(text.decode("utf-8", errors="replace"))
    if documents:
        result.format = "concatenated json"
        for document in documents:
            result.events.extend(events_of(_scrub(document)))
        others = [value for document in documents for value in _not_records(document)[1]]
        strays = sum((_stray_objects(document) for document in documents), Counter())
        return _notes(_not_records_note(others, "of the documents"),
                      _stray_objects_note(strays, result))
    too_deep = error.startswith(_TOO_DEEP)
    what = _too_deep_note() if too_deep else f"invalid JSON ({error})"
    match = _ENVELOPE_START.match(text)
    start = match.end() if match else (text.index(b"[") + 1 if text[:1] == b"[" else -1)
    if start < 0:
        result.format = "json"
        return f"{what}; not read" if too_deep else what
    result.format = "nested too deep" if too_deep else "truncated json"
    kept, others, strays = _salvage_array(text.decode("utf-8", errors="replace"), start,
                                          result, in_events=bool(match and match[1] == b"Events"))
    where = "it" if too_deep else "the damage"
    before = (f"kept the {count_of(kept, 'complete record')} before {where}" if kept
              else f"no complete record before {where}")
    strays_note = _stray_objects_note(strays, result) if kept else ""  # else: no records
    return _notes(what, before, _not_records_note(others, "read"), strays_note)


def _too_deep_note() -> str:
    return f"JSON nested deeper than {MAX_DEPTH:,} levels (no CloudTrail record is)"


def _documents(text: str) -> list[Any]:
    """Every JSON document in ``text`` when it is two or more of them back to back and
    nothing else; otherwise ``[]``."""
    decoder = json.JSONDecoder()
    documents: list[Any] = []
    position = 0
    while True:
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        if position == len(text):
            return documents if len(documents) > 1 else []
        try:
            document, position = decoder.raw_decode(text, position)
        except (ValueError, RecursionError):
            return []
        documents.append(document)


def _is_json(line: bytes) -> bool:
    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return True


def _parse_json_lines(lines: list[bytes], result: FileResult) -> str:
    bad: list[int] = []
    deep: list[int] = []
    not_records: list[object] = []  # values where records are expected: lines, entries
    strays: Strays = Counter()
    scrubbed = False
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line:
            continue
        try:
            document, line_scrubbed = _loads(line)
        except orjson.JSONDecodeError as exc:
            (deep if str(exc).startswith(_TOO_DEEP) else bad).append(number)
            continue
        scrubbed = scrubbed or line_scrubbed
        if _plain_record(document):  # nearly every line: nothing else to look for in it
            result.events.append(from_record(document, _dump(document)))
            continue
        result.events.extend(events_of(document))
        not_records += _not_records(document)[1]
        strays += _stray_objects(document)
    bad_note = deep_note = ""
    if bad:
        where = "the last line (cut short)" if bad == [len(lines)] else f"first at line {bad[0]}"
        bad_note = f"{count_of(len(bad), 'line')} not valid JSON, skipped ({where})"
    if deep:
        deep_note = (f"{count_of(len(deep), 'line')} nested deeper than {MAX_DEPTH:,} levels, "
                     f"skipped (first at line {deep[0]})")
    return _notes(bad_note, deep_note, _not_records_note(not_records, "of the lines"),
                  _stray_objects_note(strays, result), _UNICODE_NOTE if scrubbed else "")


def _salvage_array(
    text: str, start: int, result: FileResult, in_events: bool
) -> tuple[int, list[object], Strays]:
    """Decode array elements one by one from ``start`` until the damage; keep them.
    Returns how many records were kept, the values read that are not objects and the
    objects read that are not records (LookupEvents items when ``in_events``: the array
    is a LookupEvents document's ``Events``)."""
    decoder = json.JSONDecoder()
    position, kept = start, 0
    others: list[object] = []
    strays, items = 0, in_events
    length = len(text)
    while position < length:
        while position < length and text[position] in " \t\r\n,":
            position += 1
        if position >= length or text[position] == "]":
            break
        try:
            element, position = decoder.raw_decode(text, position)
        except (ValueError, RecursionError):
            break
        before = len(result.events)
        result.events.extend(events_of({"Events": [element]} if in_events else element))
        kept += len(result.events) - before
        if not isinstance(element, Mapping):
            others.append(element)
        strays += _is_stray(element, in_events)  # an entry: a list in it is no record
        items = items or _is_item(element)
    return kept, others, Counter({("in Events" if in_events else "in it", items): strays})


def _looks_like_console_csv(text: bytes, with_record: bool = True) -> bool:
    """Whether the first line is the header of the console's Event history CSV (with
    the column of each event's record, unless ``with_record`` is False)."""
    header = text.split(b"\n", 1)[0].decode("utf-8", errors="replace").lower()
    if with_record:
        return "event id" in header and _CSV_RECORD_COLUMN in header
    return "event id" in header and ("event name" in header or "event time" in header)


def _parse_csv(text: bytes, result: FileResult) -> str:
    """The console's Event history CSV: one row per event, the record in a JSON column.

    Each row is read as a LookupEvents item so that a row whose JSON column is damaged
    is still kept from its other columns, flagged.
    """
    csv.field_size_limit(1 << 30)  # a record of many MB fits in one cell
    reader = csv.DictReader(io.StringIO(text.decode("utf-8", errors="replace"), newline=""))
    bad = 0
    try:
        for row in reader:
            cells = {(k or "").strip().lower(): (v or "") for k, v in row.items()}
            if not cells.get("event id") and not cells.get(_CSV_RECORD_COLUMN):
                bad += 1
                continue
            item: dict[str, Any] = {
                "EventId": cells.get("event id", ""),
                "EventTime": cells.get("event time", ""),
                "EventName": cells.get("event name", ""),
                "EventSource": cells.get("event source", ""),
                "Username": cells.get("user name", ""),
                "AccessKeyId": cells.get("aws access key", ""),
                "CloudTrailEvent": cells.get(_CSV_RECORD_COLUMN, ""),
            }
            if cells.get("resource name"):
                item["Resources"] = [{"ResourceName": cells["resource name"]}]
            result.events.append(from_lookup_event(item))
    except csv.Error as exc:
        return f"CSV damaged at line {reader.line_num} ({exc}); kept the rows before it"
    return f"{count_of(bad, 'CSV row')} without an event ID or record, skipped" if bad else ""
