"""A CloudTrail archive in S3: find the log files for a time window, fetch them once.

CloudTrail writes ``[prefix/]AWSLogs/[o-ORGID/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/``
``ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_XXXXXXXXXXXXXXXX.json.gz``, and a trail with
Insights on its Insights events beside them, under ``CloudTrail-Insight/`` in the same
layout (most trails have none: the folder is then absent). A trail bucket
can hold millions of objects, so discovery walks that layout one level at a time with
``Delimiter='/'`` and prunes accounts, regions and days before listing any file: a
window of one day in one region lists one folder, not the bucket.

Key times are *delivery* times: a file delivered at 10:05 holds records from about 09:50
onwards. Pruning therefore widens the window by :data:`DELIVERY_MARGIN` (one hour, four
times CloudTrail's documented ~15 minute delivery delay) on both sides; the store's filter
applies the exact bounds afterwards, so the margin costs a few extra files, never events.

Downloads run in parallel threads (boto3 clients are thread-safe; sessions are not, so
the caller passes a ready client) into a local cache keyed by bucket, key and ETag:
looking at the same archive again reads no object from S3.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

import platformdirs

_T = TypeVar("_T")
#: How far outside the asked time window key (delivery) times are still fetched.
DELIVERY_MARGIN = timedelta(hours=1)
#: The ``AWSLogs/[o-ORGID/]ACCOUNT/`` folders, matched whole (``fullmatch``): an account
#: ID, and an organization ID as AWS Organizations issues them (its API's pattern). The
#: one definition of the layout's folders: S3 discovery and the file reader
#: (:func:`awsir_tui.events.files.delivered_by`) must agree on which folder is which.
ACCOUNT_ID = re.compile(r"[0-9]{12}")
ORG_ID = re.compile(r"o-[a-z0-9]{10,32}")
_KEY_TIME = re.compile(r"_(\d{8}T\d{4}Z)_[^/]*$")
#: A log file's name as CloudTrail writes it: ``ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_``
#: (``CloudTrail-Insight`` for Insights events, delivered beside the trail's logs).
_LOG_NAME_REGION = re.compile(
    r"[0-9]{12}_CloudTrail(?:-Insight)?_([a-z0-9-]+)_\d{8}T\d{4}Z_")
#: The folder of ``AWSLogs/[o-ORG/]ACCOUNT/`` a trail delivers its Insights events under.
INSIGHT_FOLDER = "CloudTrail-Insight"
#: How long :meth:`S3Archive.fetch` waits on a download before it asks again whether
#: the load was cancelled.
_CANCEL_POLL = 0.1
#: The folders of ``AWSLogs/[o-ORG/]ACCOUNT/`` a trail delivers its logs under.
_LOG_FOLDERS = frozenset({"CloudTrail", INSIGHT_FOLDER})
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")
#: Date folders: the level a child of this level is, as its depth (year 1 ... day 3).
_DATE_LEVELS = {"region": 1, "year": 2, "month": 3}


#: :attr:`ArchiveError.kind` (and a load's ``FileProblem.kind``) of a source that is not
#: there: a path mistyped, a bucket that does not exist.
MISSING = "missing"
#: The kind of a source there but not readable at all: a folder (or bucket) it may not
#: list, a named file it cannot open. Not a damaged file: nothing was read from it.
UNREADABLE = "unreadable"


class ArchiveError(RuntimeError):
    """A source cannot be read as a CloudTrail archive (with the reason).

    ``kind`` (:data:`MISSING`, :data:`UNREADABLE`, or "") is set where it is raised, so
    that the app tells a wrong path from a damaged log by it and never by the words
    of the reason, which a rewording (or the OS's language) would change."""

    def __init__(self, reason: str, kind: str = "") -> None:
        super().__init__(reason)
        self.kind = kind


@dataclass(frozen=True, slots=True)
class ArchiveObject:
    """One log file found in the archive."""

    key: str
    size: int
    etag: str


@dataclass(frozen=True, slots=True)
class Fetched:
    """The outcome of fetching one object: a local path, or why it failed."""

    obj: ArchiveObject
    path: Path | None
    from_cache: bool = False
    error: str = ""


def parse_s3_url(url: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` -> ``("bucket", "some/prefix/")``."""
    if not url.startswith("s3://"):
        raise ArchiveError(f"not an s3:// URL: {url!r}")
    bucket, _, prefix = url[5:].partition("/")
    if not bucket:
        raise ArchiveError(f"no bucket in {url!r}")
    prefix = prefix.strip("/")
    return bucket, f"{prefix}/" if prefix else ""


def default_cache_dir() -> Path:
    """Where fetched log files are kept: the user's XDG cache directory."""
    return Path(platformdirs.user_cache_dir("awsir-tui")) / "s3"


#: ``--s3-cache off``: the fetched logs go to a temporary folder removed at exit.
CACHE_OFF = "off"


def cache_dir_for(option: str | None) -> Path:
    """Where ``--s3-cache`` puts fetched log files: the XDG cache (None: a second look
    at the same days fetches nothing), a folder named (an encrypted case volume), or,
    ``off``, a private temporary folder removed when the process exits: raw logs are
    evidence a shared jump box must not keep."""
    if option is None:
        return default_cache_dir()
    if option == CACHE_OFF:
        folder = tempfile.mkdtemp(prefix="awsir-s3-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        return Path(folder)
    return Path(option).expanduser()


@dataclass
class S3Archive:
    """The CloudTrail log files of one ``s3://bucket[/prefix]``, pruned to a window.

    ``accounts`` and ``regions`` (None = all) and ``after``/``before`` (aware datetimes,
    None = open) restrict what :meth:`discover` returns.
    """

    client: Any
    url: str
    accounts: frozenset[str] | None = None
    regions: frozenset[str] | None = None
    after: datetime | None = None
    before: datetime | None = None
    cache_dir: Path = field(default_factory=default_cache_dir)
    workers: int = 8
    margin: timedelta = DELIVERY_MARGIN
    #: Prefixes listed during discovery (what pruning saved is visible in tests).
    listed: list[str] = field(default_factory=list)
    #: Folders below the root that could not be listed (denied, throttled): (prefix,
    #: reason). Discovery goes on without them, so one denied region loses only itself.
    problems: list[tuple[str, str]] = field(default_factory=list)
    #: The same for folders in ``CloudTrail-Insight/``, kept apart: a role may be
    #: allowed to list ``CloudTrail/`` alone, and the calls it reads are then all there
    #: is; Insights events are CloudTrail's notes on those calls, not calls.
    insight_problems: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.bucket, self.prefix = parse_s3_url(self.url)
        self._listed_lock = threading.Lock()

    # -- discovery --------------------------------------------------------------------

    def discover(self) -> list[ArchiveObject]:
        """The log files in the window, sorted by key; raises ArchiveError if none can be.

        The URL may point at the bucket, the trail's prefix, ``AWSLogs/`` or any folder
        below it (an organisation, an account, ``CloudTrail/``, a region, a day...).
        """
        frontier = self._start()
        days: list[str] = []
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            while frontier:
                days += [p for level, p in frontier if level == "day"]
                frontier = [(level, p) for level, p in frontier if level != "day"]
                listings = pool.map(self._guarded(self._listing_of), frontier)
                frontier = [
                    step
                    for (level, _), children in zip(frontier, listings, strict=True)
                    for step in self._next(level, children)
                ]
            found: list[ArchiveObject] = []
            for objects in pool.map(self._guarded(self._list_objects), days):
                found += [o for o in objects if self._keep_key(o.key)]
        return sorted(found, key=lambda o: o.key)

    def _start(self) -> list[tuple[str, str]]:
        """Where the URL points in the layout, as ``[(level, prefix)]``."""
        parts = self.prefix.rstrip("/").split("/") if self.prefix else []
        if "AWSLogs" not in parts:
            root = self.prefix + "AWSLogs/"
            try:
                top = self._list_prefixes(self.prefix)
            except Exception as exc:
                raise _unlisted(exc) from exc
            if root not in top:
                raise ArchiveError(
                    f"no AWSLogs/ folder at s3://{self.bucket}/{self.prefix} "
                    "(give the trail's bucket and its prefix, if it has one)"
                )
            return [("awslogs", root)]
        at = parts.index("AWSLogs") + 1
        frontier = [("awslogs", "/".join(parts[:at]) + "/")]
        for part in parts[at:]:
            level, prefix = frontier[0]
            frontier = self._next(level, [f"{prefix}{part}/"])
            if not frontier:
                return []  # the URL names an account, region or day outside the filter
        return frontier

    def _guarded(self, lister: Callable[[Any], list[_T]]) -> Callable[[Any], list[_T]]:
        """``lister`` that records a failure in :attr:`problems` (in
        :attr:`insight_problems`, below ``CloudTrail-Insight/``) and returns nothing."""

        def run(arg: Any) -> list[_T]:
            try:
                return lister(arg)
            except Exception as exc:  # one folder's failure must not end discovery
                prefix = arg[1] if isinstance(arg, tuple) else arg
                if prefix == self.prefix or _error_code(exc) == _NO_BUCKET:
                    raise _unlisted(exc) from exc  # the archive itself, not a folder of it
                with self._listed_lock:
                    (self.insight_problems if _of_insights(prefix) else self.problems).append(
                        (prefix, describe_error(exc)))
                return []

        return run

    def _listing_of(self, step: tuple[str, str]) -> list[str]:
        level, prefix = step
        # Not listed: the two folders a trail delivers to are known (a role may be
        # allowed to list below them only). A CloudTrail-Insight/ that is absent lists
        # as empty, one that is denied goes to insight_problems (see _guarded).
        if level == "account":
            return [f"{prefix}{folder}/" for folder in sorted(_LOG_FOLDERS)]
        return self._list_prefixes(prefix)

    def _next(self, level: str, children: list[str]) -> list[tuple[str, str]]:
        """The children of a folder at ``level`` that the filters keep, with their level."""
        out: list[tuple[str, str]] = []
        for child in children:
            name = _last(child)
            if level in ("awslogs", "org") and ACCOUNT_ID.fullmatch(name):
                if self.accounts is None or name in self.accounts:
                    out.append(("account", child))
            elif level == "awslogs" and ORG_ID.fullmatch(name):
                out.append(("org", child))
            elif level == "account" and name in _LOG_FOLDERS:
                out.append(("cloudtrail", child))
            elif level == "cloudtrail" and (self.regions is None or name in self.regions):
                out.append(("region", child))
            elif level in _DATE_LEVELS and self._keep(child, _DATE_LEVELS[level]):
                out.append((("year", "month", "day")[_DATE_LEVELS[level] - 1], child))
        return out

    def _list_prefixes(self, prefix: str) -> list[str]:
        with self._listed_lock:
            self.listed.append(prefix)
        out: list[str] = []
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix, Delimiter="/"):
            out += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
        return out

    def _list_objects(self, prefix: str) -> list[ArchiveObject]:
        with self._listed_lock:
            self.listed.append(prefix)
        out: list[ArchiveObject] = []
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix, Delimiter="/"):
            out += [
                ArchiveObject(o["Key"], int(o.get("Size", 0)), str(o.get("ETag", "")).strip('"'))
                for o in page.get("Contents", [])
            ]
        return out

    def _window(self) -> tuple[datetime, datetime]:
        return delivery_window(self.after, self.before, self.margin)

    def _keep(self, prefix: str, depth: int) -> bool:
        """Keep a year (depth 1), month (2) or day (3) folder overlapping the window."""
        parts = prefix.rstrip("/").split("/")[-depth:]
        if not all(p.isdigit() for p in parts):
            return False
        numbers = [int(p) for p in parts] + [1] * (3 - depth)
        try:
            start = date(*numbers)
        except ValueError:
            return False
        if depth == 1:
            end = date(start.year + 1, 1, 1)
        elif depth == 2:
            end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        else:
            end = start + timedelta(days=1)
        low, high = self._window()
        return _midnight(start) <= high and _midnight(end) > low

    def _keep_key(self, key: str) -> bool:
        """Keep a log file whose delivery time (in its name) falls in the widened window."""
        if not key.endswith((".json.gz", ".json")):
            return False
        return delivered_in(key, *self._window())

    # -- fetching ---------------------------------------------------------------------

    def cache_path(self, obj: ArchiveObject) -> Path:
        """The cache file for an object: a hash of bucket, key and ETag (keys may hold
        ``..`` or odd characters; they must never choose the local path), plus the name."""
        digest = hashlib.sha256(f"{self.bucket}\0{obj.key}\0{obj.etag}".encode()).hexdigest()
        name = _SAFE_NAME.sub("_", obj.key.rsplit("/", 1)[-1])[-80:]
        return self.cache_dir / self.bucket[:63] / digest[:2] / f"{digest[:32]}-{name}"

    def fetch(
        self,
        objects: Iterable[ArchiveObject],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Iterator[Fetched]:
        """Fetch objects in parallel (cache first), yielding each in the order given once
        it is local: the loader gives the newest first, and a load cancelled must keep
        those (yielded as completed, the first file stored was any of the first eight).
        The downloads run ahead all the same: a slow one delays what follows it, not
        the fetching. Each is waited for :data:`_CANCEL_POLL` at a time, ``cancelled``
        asked between: a slow or retrying download (botocore's back-offs, a read
        timeout of 30 s) must not hold a cancel up. Downloads running when it comes
        end on their own threads, into the cache (never half-written), unwaited.

        A failed download is yielded with its error and does not stop the others.
        """
        pool = ThreadPoolExecutor(max_workers=self.workers)
        try:
            futures: list[Future[Fetched]] = [pool.submit(self._fetch_one, o) for o in objects]
            for future in futures:
                fetched = _outcome(future, cancelled)
                if fetched is None:
                    return
                yield fetched
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def _fetch_one(self, obj: ArchiveObject) -> Fetched:
        path = self.cache_path(obj)
        if path.is_file():
            return Fetched(obj, path, from_cache=True)
        try:
            # Cached logs are evidence and may hold secrets: only this user may read them.
            self.cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            response = self.client.get_object(Bucket=self.bucket, Key=obj.key)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
            try:
                with os.fdopen(fd, "wb") as out:
                    for chunk in response["Body"].iter_chunks(1 << 20):
                        out.write(chunk)
                os.replace(tmp, path)  # never leave a half-written file in the cache
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except Exception as exc:  # any failure of one object is reported, not raised
            return Fetched(obj, None, error=describe_error(exc))
        return Fetched(obj, path)


def _outcome(future: Future[Fetched], cancelled: Callable[[], bool]) -> Fetched | None:
    """What ``future`` fetched, once it has; None as soon as ``cancelled`` says so,
    asked every :data:`_CANCEL_POLL` seconds while it runs."""
    while not cancelled():
        try:
            return future.result(timeout=_CANCEL_POLL)
        except TimeoutError:
            continue
    return None


def delivery_window(
    after: datetime | None, before: datetime | None, margin: timedelta = DELIVERY_MARGIN
) -> tuple[datetime, datetime]:
    """The range of delivery (key) times whose files can hold events in [after, before]."""
    low = after - margin if after else datetime.min.replace(tzinfo=UTC)
    high = before + margin if before else datetime.max.replace(tzinfo=UTC)
    return low, high


def delivered_at(name: str) -> datetime | None:
    """When a log file's name (or S3 key) says CloudTrail delivered it, to the minute;
    None without CloudTrail's ``_YYYYMMDDTHHmmZ_`` stamp, or with one that is no date
    (``20241301T0000Z``: anyone who can write a file names it)."""
    match = _KEY_TIME.search(name)
    if not match:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y%m%dT%H%MZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def delivered_in(name: str, low: datetime, high: datetime) -> bool:
    """Whether a log file's name says it was delivered between ``low`` and ``high``.
    A name that says no time (:func:`delivered_at`) is kept: read it rather than miss
    it (a stamp that is no date once skipped the whole folder it was in)."""
    delivered = delivered_at(name)
    return delivered is None or low <= delivered <= high


def dated_in(path: Path, low: datetime, high: datetime) -> bool:
    """Whether a local log file may hold events delivered between ``low`` and ``high``:
    by its name's stamp (:func:`delivered_in`), else by the day folder of a trail's
    layout it is in (as discovery prunes an S3 archive's day folders); a file whose
    path says neither is kept."""
    if delivered_at(path.name) is not None:
        return delivered_in(path.name, low, high)
    day = layout_day(str(path))
    return day is None or (_midnight(day) <= high
                           and _midnight(day + timedelta(days=1)) > low)


def layout_region(path: str) -> str | None:
    """The region a log file is of, as where CloudTrail put it says: the ``REGION``
    folder of ``AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/`` (or ``CloudTrail-Insight``),
    else the region in its
    CloudTrail name; None for a file named and placed otherwise. A copy of a trail
    bucket on disk is pruned by it as S3 discovery prunes the bucket, so that
    ``--regions`` means the same on both."""
    parts = Path(path).parts
    index = _region_index(parts)
    if index is not None:
        return parts[index]
    match = _LOG_NAME_REGION.match(parts[-1]) if parts else None
    return match.group(1) if match else None


def _region_index(parts: tuple[str, ...]) -> int | None:
    """Where the ``REGION`` folder of a trail's layout is in ``parts`` (a path's), if
    it is in one: the last such folder, and never the file itself."""
    for index in range(len(parts) - 2, 0, -1):
        if parts[index - 1] not in _LOG_FOLDERS or index < 3:
            continue
        account, above = parts[index - 2], parts[index - 3]
        if ACCOUNT_ID.fullmatch(account) and (above == "AWSLogs" or (
                ORG_ID.fullmatch(above) and index >= 4 and parts[index - 4] == "AWSLogs")):
            return index
    return None


def layout_day(path: str) -> date | None:
    """The day a log file's ``REGION/YYYY/MM/DD/`` folders in a trail's layout say it
    was delivered on; None outside the layout, or for folders that are no date."""
    parts = Path(path).parts
    index = _region_index(parts)
    if index is None or len(parts) - index < 5:  # region, year, month, day, the file
        return None
    year, month, day = parts[index + 1:index + 4]
    if not (year.isdigit() and month.isdigit() and day.isdigit()):
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def log_time(path: str) -> datetime | None:
    """When a log file (a path or an S3 key) was delivered, as CloudTrail's naming says:
    its name's stamp, to the minute, else the start of its day folder; None when
    neither says (a file named and placed by someone else)."""
    delivered = delivered_at(path)
    if delivered is not None:
        return delivered
    day = layout_day(path)
    return _midnight(day) if day is not None else None


def newest_first(items: Iterable[_T], path_of: Callable[[_T], str]) -> list[_T]:
    """``items`` in the order a load reads them: the most recently delivered first
    (:func:`log_time`), then those whose path says no time, in the order given.

    A responder wants the incident's last hours first: the first rows on screen are
    then today's, and a load cancelled on a big archive keeps the newest days, not the
    oldest. A file's modification time is not used for the others: a copy, an unzip or
    a download sets it to when the file was copied, not to when its events happened, so
    ordering by it would look meaningful and not be; the name order given is at least
    the same on every machine. Ties (one minute's files of several regions) keep their
    order given, so that the order stays the same from one load to the next."""
    dated: list[tuple[datetime, int, _T]] = []
    undated: list[_T] = []
    for index, item in enumerate(items):
        when = log_time(path_of(item))
        if when is None:
            undated.append(item)
        else:
            dated.append((when, -index, item))
    dated.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
    return [item for _, _, item in dated] + undated


def _of_insights(prefix: str) -> bool:
    """Whether ``prefix`` is in an account's ``CloudTrail-Insight/`` folder."""
    parts = prefix.rstrip("/").split("/")
    return any(part == INSIGHT_FOLDER and ACCOUNT_ID.fullmatch(above)
               for above, part in pairwise(parts))


def _last(prefix: str) -> str:
    return prefix.rstrip("/").rsplit("/", 1)[-1]


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


#: The error code of a bucket that does not exist: every listing of it fails so.
_NO_BUCKET = "NoSuchBucket"


def _unlisted(exc: Exception) -> ArchiveError:
    """The error of an archive whose own folder (or bucket) cannot be listed: nothing
    can be read from it, which the app says as CANNOT READ (NO SUCH PATH for a bucket
    that does not exist), not as a damaged file among logs."""
    kind = MISSING if _error_code(exc) == _NO_BUCKET else UNREADABLE
    return ArchiveError(f"cannot list: {describe_error(exc)}", kind)


def _error_code(exc: Exception) -> str:
    """An AWS error's code (``AccessDenied``), "" for another failure."""
    response = getattr(exc, "response", None)
    error = response.get("Error", {}) if isinstance(response, dict) else {}
    return str(error.get("Code", "")) if isinstance(error, dict) else ""


def describe_error(exc: Exception) -> str:
    """A short reason for a failed AWS call: the error code and message when there is one."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        error = response.get("Error", {})
        return f"{error.get('Code', type(exc).__name__)}: {error.get('Message', '')}".strip()
    return f"{type(exc).__name__}: {exc}"
