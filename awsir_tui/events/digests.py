"""Check CloudTrail logs on disk against the trail's digest files: what was changed or
removed after CloudTrail delivered it.

A trail with log file validation on writes, every hour and per region, a digest file
(``AWSLogs/[o-ORG/]ACCOUNT/CloudTrail-Digest/REGION/...``) naming each log file it
delivered in that hour with the SHA-256 of its uncompressed content, and the SHA-256 of
the previous digest's uncompressed content: a chain per trail and region. AWS's own
``aws cloudtrail validate-logs`` reads only from S3 and cannot check copies on disk,
which is how logs are handed over. Here a folder (an ``aws s3 sync`` of the bucket, or
a copy that keeps the names, gunzipped or not) is checked offline:

- a log file whose content no longer has the hash its digest names: changed;
- a log file a digest names that is not in the folder: removed (or not copied);
- a log file no digest of its trail names although a later digest shows the hour was
  digested: added, or delivered while validation was off;
- a log file delivered within the hours of the newest digest of its chain at hand (not
  in its last minute) that it does not name: added, or named by a backfill digest not at
  hand. CloudTrail names in a digest the logs delivered in its hour, and in a
  ``_backfill`` digest, delivered later, those a processing delay kept out of it; when
  a backfill digest comes is not said, so this is not called added, but it is no hour
  without a digest either;
- a digest whose previous one is absent while older ones of its chain are present, or
  whose previous one's content no longer has the hash it names, two copies of one
  digest that differ, two digests following the same one or over the same hours (one
  was added to vouch for what it names): the chain is broken;
- everything else the load would read events from and no digest can vouch for (files
  not named as CloudTrail names its logs, whatever their name or extension; logs of
  hours no digest at hand covers) is listed as not checked: the verdict is then
  PARTLY CHECKED, never INTACT. A log is vouched for by the digests of the trails that
  deliver where it sits, not by any digest naming it: where a log and a trail's digests
  sit on disk in CloudTrail's layout (``…/ACCOUNT/CloudTrail[-Digest]/REGION/Y/M/D``),
  however the folders were given (the bucket, or each region's folder), the trail
  delivers there when both hang under the same ``…/ACCOUNT`` folder; where either copy
  does not keep the layout, by the account and region their names and content carry.

What this cannot say: the digests' RSA signatures live in the S3 objects' metadata,
which a copy on disk does not keep, so someone who rewrote logs *and* their digests
(or made a whole chain up) passes here. ``aws cloudtrail validate-logs`` checks the
signatures in S3. The chains found are listed with their span, so that a gap at either
end (the newest hours removed with their digests) can be seen against the incident.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import os
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from awsir_tui.events.files import GZIP_MAGIC, events_of, inflate, iter_files, read_file
from awsir_tui.events.s3archive import delivered_at
from awsir_tui.query.times import parse_instant, utc_text
from awsir_tui.text import clean, count_of

#: ``ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json``: a log file, named by
#: CloudTrail for its account, region and delivery minute (``.gz`` taken off first).
_LOG_NAME = re.compile(r"^(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{8}T\d{4}Z)_[A-Za-z0-9]+\.json$")
#: ``ACCOUNT_CloudTrail-Digest_REGION_TRAIL_REGION_YYYYMMDDTHHMMSSZ[_backfill].json``.
_DIGEST_NAME = re.compile(
    r"^(\d{12})_CloudTrail-Digest_([a-z0-9-]+)_(.*)_([a-z0-9-]+)_(\d{8}T\d{6}Z)"
    r"(_backfill)?\.json$")
#: How many of each kind of problem the report names before ``+N more``.
_NAMED = 20
#: A log file's name gives its delivery time to the minute.
_MINUTE = timedelta(minutes=1)


@dataclass
class DigestCheck:
    """What checking the logs of some folders against their digest files found."""

    digests: int = 0
    #: Log files whose content has the hash their digest names.
    verified: int = 0
    #: Each ``path: reason`` of a log file changed since delivery.
    changed: list[str] = field(default_factory=list)
    #: Each log file a digest names that is not among the sources, with that digest.
    missing: list[str] = field(default_factory=list)
    #: Log files no digest of their trail names, though a later digest shows their
    #: hour was digested.
    unnamed: list[str] = field(default_factory=list)
    #: Log files of the hours of the newest digest of their chain at hand that it does
    #: not name: added, or named by a backfill digest not at hand.
    unnamed_newest: list[str] = field(default_factory=list)
    #: Breaks in the chains of digests: one removed, or changed.
    chain: list[str] = field(default_factory=list)
    #: Digest and log files that could not be read, with why.
    unreadable: list[str] = field(default_factory=list)
    #: Log files no digest at hand covers (their hour's digest absent, delivered when
    #: validation was off, or in the newest digest's last minute, which the next digest
    #: may name): not checked, each named so that none passes unseen.
    unchecked: list[str] = field(default_factory=list)
    #: Files the load reads that are not named as CloudTrail names its log files: no
    #: digest can vouch for them, not checked.
    not_named: list[str] = field(default_factory=list)
    #: Each chain found: its trail, account, region and span.
    chains: list[str] = field(default_factory=list)
    #: ``s3://`` sources: not checked here (``aws cloudtrail validate-logs`` checks them
    #: in S3, the digests' signatures too).
    in_s3: list[str] = field(default_factory=list)

    def altered(self) -> bool:
        """Whether something was found changed, missing or added (or the backfill
        digest that would name it is not at hand: incomplete), a chain broken, or a file
        could not be read to tell."""
        return bool(self.changed or self.missing or self.unnamed or self.unnamed_newest
                    or self.chain or self.unreadable)

    def intact(self) -> bool:
        """Whether every file the load reads was checked against a digest and nothing
        was found changed, missing or added, the chains whole."""
        return (bool(self.digests) and not self.unchecked and not self.not_named
                and not self.in_s3 and not self.altered())

    def verdict(self) -> str:
        """INTACT, PARTLY CHECKED, ALTERED OR INCOMPLETE, or NOT CHECKED (no digest)."""
        if self.altered():
            return "ALTERED OR INCOMPLETE"
        if not self.digests:
            return "NOT CHECKED"
        partly = self.unchecked or self.not_named or self.in_s3
        return "PARTLY CHECKED" if partly else "INTACT"

    def summary(self) -> str:
        """One line: ``INTACT: 12 digests checked, 300 log files as delivered``."""
        if not self.digests and not self.altered():
            return ("NOT CHECKED: no CloudTrail digest files among the sources, nothing to "
                    "check the logs against (turn on log file validation on the trail)")
        parts = [f"{count_of(self.verified, 'log file')} as delivered"]
        if self.unchecked:
            parts.append(f"{count_of(len(self.unchecked), 'log file')} no digest here covers "
                         "(not checked)")
        for count, what in ((len(self.not_named), "not named as CloudTrail log files "
                                                  "(not checked)"),
                            (len(self.in_s3), "s3:// source (not checked here)"),
                            (len(self.changed), "changed since delivery"),
                            (len(self.missing), "named by a digest but absent"),
                            (len(self.unnamed), "not named by the digest of its hour"),
                            (len(self.unnamed_newest), "not named by the digest of its hour, "
                                                       "the newest here (added, or named by a "
                                                       "backfill digest not at hand)"),
                            (len(self.chain), "break in a digest chain"),
                            (len(self.unreadable), "file not readable")):
            if count:
                parts.append(f"{count:,} {what}")
        return f"{self.verdict()}: {count_of(self.digests, 'digest')} checked, {', '.join(parts)}"

    def lines(self) -> list[str]:
        """The summary, then every problem by kind (the first :data:`_NAMED` of each),
        the chains, and what could not be checked: for a report, or stderr."""
        out = [self.summary()]
        for title, items in (("Changed since delivery", self.changed),
                             ("Named by a digest, not among the sources", self.missing),
                             ("Not named by the digest of their hour", self.unnamed),
                             ("Not named by the digest of their hour, the newest here: added, "
                              "or named by a backfill digest not at hand", self.unnamed_newest),
                             ("Digest chains broken", self.chain),
                             ("Not readable", self.unreadable),
                             ("No digest here covers (not checked)", self.unchecked),
                             ("Not named as CloudTrail log files (not checked)",
                              self.not_named),
                             ("In S3, not checked here (aws cloudtrail validate-logs checks "
                              "them, signatures too)", self.in_s3),
                             ("Chains of digests (trail, account, region: span)",
                              self.chains)):
            if items:
                out.append(f"{title}:")
                out += [f"  {clean(item, 400)}" for item in items[:_NAMED]]
                if len(items) > _NAMED:
                    out.append(f"  +{len(items) - _NAMED:,} more")
        if self.digests:
            out.append("Not checked: the digests' signatures (kept in S3 object metadata, "
                       "not in copies): aws cloudtrail validate-logs checks them in S3.")
        return out


@dataclass(frozen=True)
class _Digest:
    path: Path
    #: The folder on disk its trail delivers to (``…/ACCOUNT``, see :func:`_location`);
    #: None when the file does not sit where its key says (a flattened copy).
    location: str | None
    start: datetime
    end: datetime
    #: Where its trail delivers (``AWSLogs/[o-ORG/]ACCOUNT/``), account, region, trail.
    chain: tuple[str, str, str, str]
    backfill: bool
    #: Log file name (``.gz`` off) -> (hash, the digest's S3 key for it).
    logs: dict[str, tuple[str, str]]
    bucket: str
    previous: str  # the previous digest's S3 key, "" at the start of a chain
    previous_bucket: str
    previous_hash: str


def check_digests(
    sources: Sequence[str | Path], stop: threading.Event | None = None
) -> DigestCheck:
    """Check the files under the local ``sources`` (``s3://`` ones are left out:
    ``aws cloudtrail validate-logs`` checks those, signatures too) against the digest
    files among them. ``stop`` set (the app quits) ends the check between two files:
    what it returns then is not a verdict."""
    check = DigestCheck(in_s3=[str(s) for s in sources if str(s).startswith("s3://")])
    logs: dict[str, list[Path]] = defaultdict(list)
    digest_files: dict[str, list[Path]] = defaultdict(list)
    for path in _local_files(sources):
        if stop is not None and stop.is_set():
            return check
        name = _unzipped(path.name)
        if _DIGEST_NAME.match(name):
            digest_files[name].append(path)
        elif _delivered(name) is not None:
            logs[name].append(path)
        elif read_file(path).events:  # read by the load, whatever its name
            check.not_named.append(str(path))
    hashes = _Hashes(check)
    digests = []
    for name in sorted(digest_files):
        if stop is not None and stop.is_set():
            return check
        digests += _read_copies(digest_files[name], hashes, check)
    check.digests = len({_unzipped(d.path.name) for d in digests})  # copies are one
    naming: dict[str, list[_Digest]] = defaultdict(list)
    for digest in digests:
        for name, (_hash, key) in digest.logs.items():
            naming[name].append(digest)
            missing = f"{key} (named by {digest.path.name})"
            if name not in logs and missing not in check.missing:  # (copies name it too)
                check.missing.append(missing)
    windows = _Windows(digests)
    for name, copies in sorted(logs.items()):
        if stop is not None and stop.is_set():
            return check
        for path in copies:
            _judge_log(name, path, naming[name], windows, hashes, check)
    check.chain += _chain_breaks(digests, digest_files, hashes) + windows.forks()
    check.chains = windows.spans()
    return check


def _judge_log(name: str, path: Path, naming: list[_Digest], windows: _Windows,
               hashes: _Hashes, check: DigestCheck) -> None:
    """One log file: vouched for by the digests of the trails that deliver where it
    sits (a digest of another trail or account, or one delivering elsewhere, cannot
    vouch for it there)."""
    home = windows.home(name, path)
    judges = [d for d in naming if d.chain in home]
    if not judges:
        unnamed = windows.unnamed(name, home)
        if unnamed == "added":
            check.unnamed.append(str(path))
        elif unnamed == "newest":
            check.unnamed_newest.append(str(path))
        else:
            check.unchecked.append(str(path))
        return
    actual = hashes.of(path)
    if actual is None:
        return
    wrong = [d for d in judges if d.logs[name][0] != actual]
    if wrong:
        check.changed.append(f"{path}: its content is not what {wrong[0].path.name} "
                             "hashed when CloudTrail delivered it")
    else:
        check.verified += 1


def _delivered(name: str) -> datetime | None:
    """When CloudTrail delivered the log file ``name`` (``.gz`` off), by its name; None
    for a name CloudTrail did not give (a stamp that is no date included)."""
    return delivered_at(name) if _LOG_NAME.match(name) else None


def _unzipped(name: str) -> str:
    """A file's name as a responder's ``gunzip`` leaves it: the same file (hashes are
    over the uncompressed content)."""
    return name.removesuffix(".gz")


def _location(folder: Path, layout: Sequence[str]) -> str | None:
    """The folder on disk a trail delivers to (``…/AWSLogs/[o-ORG/]ACCOUNT``), when
    ``folder`` ends with ``layout`` (``ACCOUNT``, ``CloudTrail`` or ``CloudTrail-Digest``,
    region, year, month, day: where CloudTrail puts the file); None for a copy that does
    not keep the layout. The folder as given, not resolved: a symbolic link to a region's
    folder stays where the responder put it."""
    parts = Path(os.path.abspath(folder)).parts
    if (len(layout) != 6 or layout[1] not in ("CloudTrail", "CloudTrail-Digest")
            or len(parts) <= 6 or parts[-6:] != tuple(layout)):
        return None  # (a digest whose key is not in CloudTrail's layout either)
    return Path(*parts[:-5]).as_posix()  # down to ACCOUNT


def _local_files(sources: Iterable[str | Path]) -> Iterator[Path]:
    """Each file under the local sources once (``~`` expanded, as the loader does), even
    when two sources overlap (a folder and a folder in it)."""
    seen: set[Path] = set()
    for source in sources:
        if not str(source).startswith("s3://"):
            for path in iter_files(Path(source).expanduser()):
                if path.resolve() not in seen:
                    seen.add(path.resolve())
                    yield path


class _Hashes:
    """The SHA-256 of files' uncompressed content, each file read once."""

    def __init__(self, check: DigestCheck) -> None:
        self._check = check
        self._known: dict[Path, str | None] = {}

    def of(self, path: Path) -> str | None:
        if path not in self._known:
            self.content(path)
        return self._known[path]

    def content(self, path: Path) -> bytes | None:
        """``path``'s uncompressed content, its hash kept; None, said in the check, when
        it cannot be read whole: a damaged gzip cannot match anything."""
        content = self._read(path)
        self._known[path] = None if content is None else hashlib.sha256(content).hexdigest()
        return content

    def _read(self, path: Path) -> bytes | None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            self._check.unreadable.append(f"{path}: {exc.strerror or exc}")
            return None
        if data[:2] != GZIP_MAGIC:
            return data
        content, problem = inflate(data)
        if problem:
            self._check.unreadable.append(f"{path}: {problem}")
            return None
        return content


def _read_copies(copies: list[Path], hashes: _Hashes, check: DigestCheck) -> list[_Digest]:
    """The digest of one name, from each copy of it among the sources: copies that
    differ are a break (one of them was changed), and each is used, so a changed copy
    beside the genuine one cannot hide what the genuine one names."""
    by_hash: dict[str, Path] = {}
    digests = []
    for path in sorted(copies):
        content = hashes.content(path)
        if content is None:
            continue
        by_hash.setdefault(hashes.of(path) or "", path)
        digest = _parse_digest(path, content, check)
        if digest is not None:
            digests.append(digest)
    if len(by_hash) > 1:
        check.chain.append(f"{', '.join(str(p) for p in sorted(by_hash.values()))}: copies "
                           "of one digest that differ (at least one was changed)")
    return digests


def _parse_digest(path: Path, content: bytes, check: DigestCheck) -> _Digest | None:
    """The digest file found at ``path``; None, said in ``check``, when it is not one."""
    found = _DIGEST_NAME.match(_unzipped(path.name))
    try:
        data = json.loads(content)
        holds_events = any(True for _ in events_of(data))
    except (ValueError, RecursionError) as exc:
        check.unreadable.append(f"{path}: not a CloudTrail digest file ({type(exc).__name__})")
        return None
    if holds_events:
        check.unreadable.append(f"{path}: not a CloudTrail digest file (it holds events, "
                                "which CloudTrail's digests never do)")
        return None
    try:
        key = str(data["digestS3Object"])
        location, _, rest = key.partition("CloudTrail-Digest/")
        region = rest.split("/", 1)[0]
        if not region:
            raise ValueError("digestS3Object is not under CloudTrail-Digest/REGION/")
        trail = found.group(3) if found else ""
        return _Digest(
            path=path, location=_location(path.parent, PurePosixPath(key).parent.parts[-6:]),
            start=_time(data["digestStartTime"]), end=_time(data["digestEndTime"]),
            chain=(location, str(data["awsAccountId"]), region, trail),
            backfill=bool(found and found.group(6)),
            logs={_unzipped(PurePosixPath(str(entry["s3Object"])).name): (
                      _sha256(entry), str(entry["s3Object"]))
                  for entry in data.get("logFiles") or []},
            bucket=str(data.get("digestS3Bucket") or ""),
            previous=str(data.get("previousDigestS3Object") or ""),
            previous_bucket=str(data.get("previousDigestS3Bucket") or ""),
            previous_hash=str(data.get("previousDigestHashValue") or "").lower(),
        )
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        check.unreadable.append(f"{path}: not a CloudTrail digest file ({type(exc).__name__})")
        return None


def _sha256(entry: Any) -> str:
    """A digest entry's hash; ValueError for another algorithm than CloudTrail's."""
    algorithm = entry.get("hashAlgorithm", "SHA-256")
    if algorithm != "SHA-256":
        raise ValueError(f"hash algorithm {algorithm!r}")
    return str(entry["hashValue"]).lower()


def _time(value: Any) -> datetime:
    """A digest's ISO 8601 time, in UTC (one without a zone is taken as UTC)."""
    when = parse_instant(str(value))
    if when is None:
        raise ValueError("not a time")
    return when


class _Windows:
    """The hours each chain's digests cover, to tell whether a log no digest names
    should have been named (its hour digested, and digests after it) or simply has
    no digest at hand (not checked)."""

    def __init__(self, digests: Sequence[_Digest]) -> None:
        by_chain: dict[tuple[str, str, str, str], list[_Digest]] = defaultdict(list)
        for digest in digests:
            if not digest.backfill:
                by_chain[digest.chain].append(digest)
        #: Each chain's hourly digests by start; a chain of backfill digests alone has
        #: none (they name late logs, they do not cover hours).
        self._chains = {chain: sorted(items, key=_start) for chain, items in by_chain.items()}
        #: Each chain (backfill digests' too), and the folders on disk its trail delivers
        #: to, as its digests that sit where their key says show.
        self._locations: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
        for digest in digests:
            found = self._locations[digest.chain]
            if digest.location is not None:
                found.add(digest.location)

    def home(self, name: str, path: Path) -> set[tuple[str, str, str, str]]:
        """The chains of the trails that deliver where the log file sits: of its account
        and region (by its name), delivering to the ``…/ACCOUNT`` folder on disk it sits
        under when both it and their digests sit in CloudTrail's layout; when either copy
        does not keep the layout, by account and region alone."""
        delivered = _delivered(name)
        found = _LOG_NAME.match(name)
        if delivered is None or found is None:
            return set()
        account, region = found.group(1), found.group(2)
        location = _location(path.parent, (account, "CloudTrail", region,
                                           *f"{delivered:%Y %m %d}".split()))
        return {chain for chain, locations in self._locations.items()
                if chain[1:3] == (account, region)
                and (location is None or not locations or location in locations)}

    def unnamed(self, name: str,
                home: set[tuple[str, str, str, str]]) -> Literal["added", "newest"] | None:
        """What a log file none of its ``home`` chains' digests names is, by the digest
        of one of them whose hours hold the whole minute of its delivery: ``"added"``
        when a later digest of that chain is present (the hour was digested and closed);
        ``"newest"`` when it is the newest of its chain at hand and the log was not
        delivered in its last minute (such a log may reach S3 as the digest closes and
        be named by the next one): added, or named by a backfill digest not at hand;
        None when no digest at hand covers it (not judged)."""
        delivered = _delivered(name)
        if delivered is None:
            return None
        found: Literal["added", "newest"] | None = None
        for chain in home:
            items = self._chains.get(chain, [])  # none: backfill digests alone
            index = bisect.bisect_right(items, delivered, key=_start) - 1
            if index < 0:
                continue
            newest = index == len(items) - 1
            try:
                within = delivered + (2 if newest else 1) * _MINUTE <= items[index].end
            except OverflowError:
                within = False
            if within and not newest:
                return "added"
            if within:
                found = "newest"
        return found

    def forks(self) -> list[str]:
        """Digests of one chain whose hours overlap, or that name the same previous
        digest: CloudTrail writes one line of digests per trail and region, so one of
        them was added (to vouch for logs it names)."""
        breaks = []
        for items in self._chains.values():
            followers: dict[str, list[_Digest]] = defaultdict(list)
            for digest in items:
                if digest.previous:
                    followers[digest.previous].append(digest)
            for previous, after in followers.items():
                if len({_unzipped(d.path.name) for d in after}) > 1:  # (copies: elsewhere)
                    breaks.append(f"{', '.join(str(d.path) for d in after)}: all follow "
                                  f"{PurePosixPath(previous).name} (a chain forked)")
            for earlier, later in itertools.pairwise(items):
                if (later.start < earlier.end - _MINUTE
                        and _unzipped(later.path.name) != _unzipped(earlier.path.name)):
                    breaks.append(f"{later.path}: its hours overlap those of "
                                  f"{earlier.path.name}")
        return breaks

    def spans(self) -> list[str]:
        """Each chain: its trail, account, region, and the span of its digests."""
        return [f"{trail or '?'}, {account}, {region}: {utc_text(items[0].start)} to "
                f"{utc_text(items[-1].end)} "
                f"({count_of(len({_unzipped(d.path.name) for d in items}), 'digest')})"
                for (_location, account, region, trail), items in sorted(self._chains.items())]


def _start(digest: _Digest) -> datetime:
    """A digest's first hour: its chain's order."""
    return digest.start


def _chain_breaks(digests: Sequence[_Digest], files: dict[str, list[Path]],
                  hashes: _Hashes) -> list[str]:
    """Each digest whose previous one is absent although an older digest of its chain
    is present (one was removed from the middle), or none of whose previous one's
    copies has the hash it names (changed). A previous digest in another bucket (the
    trail was moved) is not looked for."""
    breaks = []
    oldest: dict[tuple[str, str, str, str], datetime] = {}
    for digest in digests:
        if not digest.backfill:
            oldest[digest.chain] = min(digest.end, oldest.get(digest.chain, digest.end))
    for digest in digests:
        if not digest.previous or digest.backfill or (
                digest.previous_bucket and digest.previous_bucket != digest.bucket):
            continue
        name = _unzipped(PurePosixPath(digest.previous).name)
        if name not in files:
            stamp = _DIGEST_NAME.match(name)
            previous_end = _time_of(stamp.group(5)) if stamp else None
            if previous_end is not None and previous_end > oldest[digest.chain]:
                breaks.append(f"{digest.previous}: removed (named as the previous digest by "
                              f"{digest.path.name}, which follows older ones present)")
            continue
        copies = files[name]
        if not any(hashes.of(copy) == digest.previous_hash for copy in copies):
            breaks.append(f"{', '.join(str(c) for c in copies)}: changed (its content is not "
                          f"what {digest.path.name} names as the previous digest)")
    return breaks


def _time_of(stamp: str) -> datetime | None:
    """A digest name's ``YYYYMMDDTHHMMSSZ``; None when it is no date."""
    try:
        return datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
