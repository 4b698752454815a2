"""Check CloudTrail logs on disk against the trail's digest files: what was changed or
removed after CloudTrail delivered it.

A trail with log file validation on writes, every hour and per region, a digest file
(``AWSLogs/ACCOUNT/CloudTrail-Digest/REGION/...``) naming each log file it delivered in
that hour with the SHA-256 of its uncompressed content, and the SHA-256 of the previous
digest's uncompressed content: a chain. AWS's own ``aws cloudtrail validate-logs`` reads
only from S3 and cannot check copies on disk, which is how logs are handed over. Here a
folder (an ``aws s3 sync`` of the bucket, or any copy that keeps the file names) is
checked offline:

- a log file whose content no longer has the hash its digest names: changed;
- a log file a digest names that is not in the folder: removed (or not copied);
- a log file no digest names although a digest of its account and region covers its
  delivery time: added, or delivered while validation was off;
- a digest whose previous one is absent while older ones are present, or whose
  previous one's content no longer has the hash it names: the chain is broken.

What this cannot say: the digests' RSA signatures live in the S3 objects' metadata,
which a copy on disk does not keep, so someone who rewrote logs *and* their digests
passes here. ``aws cloudtrail validate-logs`` checks the signatures in S3.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from awsir_tui.events.files import GZIP_MAGIC, inflate, iter_files
from awsir_tui.query.times import as_utc
from awsir_tui.text import clean, count_of

#: ``ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz``: a log file, named by
#: CloudTrail for its account, region and delivery time.
_LOG_NAME = re.compile(
    r"^(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{8}T\d{4}Z)_[A-Za-z0-9]+\.json(?:\.gz)?$")
#: ``..._CloudTrail-Digest_..._YYYYMMDDTHHMMSSZ[_backfill].json.gz``: a digest file.
_DIGEST_NAME = re.compile(
    r"^\d{12}_CloudTrail-Digest_.+_(\d{8}T\d{6}Z)(?:_backfill)?\.json(?:\.gz)?$")
#: How many of each kind of problem the summary lines name before ``+N more``.
_NAMED = 20


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
    #: Log files no digest names, though a digest covers their hour.
    unnamed: list[str] = field(default_factory=list)
    #: Log files of hours no digest at hand covers: not checked (their digest absent,
    #: or delivered when validation was off).
    unchecked: int = 0
    #: Breaks in the chain of digests: one removed, or changed.
    chain: list[str] = field(default_factory=list)
    #: Digest and log files that could not be read, with why.
    unreadable: list[str] = field(default_factory=list)

    def altered(self) -> bool:
        """Whether something was found changed, missing or added, the chain broken, or
        a file could not be read to tell."""
        return bool(self.changed or self.missing or self.unnamed or self.chain
                    or self.unreadable)

    def intact(self) -> bool:
        """Whether every log file was checked against a digest and nothing was found
        changed, missing or added, the chain whole."""
        return bool(self.digests) and not self.unchecked and not self.altered()

    def summary(self) -> str:
        """One line: ``12 digests: 300 log files as delivered, 1 changed, ...``."""
        if not self.digests:
            return ("no CloudTrail digest files among the sources: nothing to check the logs "
                    "against (turn on log file validation on the trail)")
        parts = [f"{count_of(self.verified, 'log file')} as delivered"]
        if self.unchecked:
            parts.append(f"{self.unchecked:,} of hours no digest here covers (not checked)")
        for items, what in ((self.changed, "changed since delivery"),
                            (self.missing, "named by a digest but absent"),
                            (self.unnamed, "not named by the digest of its hour"),
                            (self.chain, "break in the digest chain"),
                            (self.unreadable, "file not readable")):
            if items:
                parts.append(f"{len(items):,} {what}")
        verdict = ("ALTERED OR INCOMPLETE" if self.altered()
                   else "PARTLY CHECKED" if self.unchecked else "INTACT")
        return f"{verdict}: {count_of(self.digests, 'digest')} checked, {', '.join(parts)}"

    def lines(self) -> list[str]:
        """The summary, then every problem by kind (the first :data:`_NAMED` of each),
        then what could not be checked: for a report, or stderr."""
        out = [self.summary()]
        for title, items in (("Changed since delivery", self.changed),
                             ("Named by a digest, not among the sources", self.missing),
                             ("Not named by the digest of their hour", self.unnamed),
                             ("Digest chain", self.chain),
                             ("Not readable", self.unreadable)):
            if items:
                out.append(f"{title}:")
                out += [f"  {clean(item, 300)}" for item in items[:_NAMED]]
                if len(items) > _NAMED:
                    out.append(f"  +{len(items) - _NAMED:,} more")
        if self.digests:
            out.append("Not checked: the digests' signatures (kept in S3 object metadata, "
                       "not in copies): aws cloudtrail validate-logs checks them in S3.")
        return out


@dataclass(frozen=True)
class _Digest:
    path: Path
    end: datetime
    account: str
    region: str
    start: datetime
    #: basename -> (hash, the digest's S3 key for it)
    logs: dict[str, tuple[str, str]]
    previous: str  # the previous digest's S3 key, "" at the start of a chain
    previous_hash: str


def check_digests(sources: Sequence[str | Path]) -> DigestCheck:
    """Check the log files under the local ``sources`` (``s3://`` ones are left out:
    ``aws cloudtrail validate-logs`` checks those, signatures too) against the digest
    files among them."""
    check = DigestCheck()
    logs: dict[str, list[Path]] = defaultdict(list)
    digest_paths: dict[str, Path] = {}
    for path in _local_files(sources):
        if _DIGEST_NAME.match(path.name):
            digest_paths[path.name] = path
        elif _LOG_NAME.match(path.name):
            logs[_unzipped(path.name)].append(path)
    digests = []
    for path in sorted(digest_paths.values(), key=lambda p: p.name):
        digest = _read_digest(path, check)
        if digest is not None:
            digests.append(digest)
    check.digests = len(digests)
    hashes = _Hashes(check)
    named: set[str] = set()
    for digest in digests:
        for name, (expected, key) in digest.logs.items():
            named.add(name)
            if name not in logs:
                check.missing.append(f"{key} (named by {digest.path.name})")
                continue
            for path in logs[name]:
                actual = hashes.of(path)
                if actual is None:
                    continue
                if actual == expected:
                    check.verified += 1
                else:
                    check.changed.append(f"{path}: its content is not what {digest.path.name} "
                                         "hashed when CloudTrail delivered it")
    for name, paths in sorted(logs.items()):
        if name in named:
            continue
        if _covered(name, digests):
            check.unnamed += [str(path) for path in paths]
        else:
            check.unchecked += len(paths)
    check.chain += _chain_breaks(digests, digest_paths, hashes)
    return check


def _unzipped(name: str) -> str:
    """A log file's name as a responder's ``gunzip`` leaves it: the same log (the hash
    is over the uncompressed content)."""
    return name.removesuffix(".gz")


def _local_files(sources: Iterable[str | Path]) -> Iterator[Path]:
    for source in sources:
        if not str(source).startswith("s3://"):
            yield from iter_files(Path(source))


class _Hashes:
    """The SHA-256 of files' uncompressed content, each file read once."""

    def __init__(self, check: DigestCheck) -> None:
        self._check = check
        self._known: dict[Path, str | None] = {}

    def of(self, path: Path) -> str | None:
        if path not in self._known:
            content = _content(path, self._check)
            self._known[path] = None if content is None else hashlib.sha256(content).hexdigest()
        return self._known[path]


def _content(path: Path, check: DigestCheck) -> bytes | None:
    """A file's uncompressed content; None (said in ``check``) when it cannot be read
    whole: a damaged gzip cannot be said to match anything."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        check.unreadable.append(f"{path}: {exc.strerror or exc}")
        return None
    if data[:2] != GZIP_MAGIC:
        return data
    content, problem = inflate(data)
    if problem:
        check.unreadable.append(f"{path}: {problem}")
        return None
    return content


def _read_digest(path: Path, check: DigestCheck) -> _Digest | None:
    """The digest file at ``path``; None, said in ``check``, when it is not one."""
    content = _content(path, check)
    if content is None:
        return None
    try:
        data = json.loads(content)
        return _Digest(
            path=path, end=_time(data["digestEndTime"]), start=_time(data["digestStartTime"]),
            account=str(data["awsAccountId"]), region=_region_of(data["digestS3Object"]),
            logs={_unzipped(PurePosixPath(str(entry["s3Object"])).name): (
                      _sha256(entry), str(entry["s3Object"]))
                  for entry in data.get("logFiles") or []},
            previous=str(data.get("previousDigestS3Object") or ""),
            previous_hash=str(data.get("previousDigestHashValue") or ""),
        )
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        check.unreadable.append(f"{path}: not a CloudTrail digest file ({exc!r})")
        return None


def _sha256(entry: Any) -> str:
    """A digest entry's hash; ValueError for another algorithm than CloudTrail's."""
    algorithm = entry.get("hashAlgorithm", "SHA-256")
    if algorithm != "SHA-256":
        raise ValueError(f"hash algorithm {algorithm!r}")
    return str(entry["hashValue"]).lower()


def _time(value: Any) -> datetime:
    """A digest's ISO 8601 time, in UTC (one without a zone is taken as UTC)."""
    return as_utc(datetime.fromisoformat(str(value).replace("Z", "+00:00")))


def _region_of(key: Any) -> str:
    """The region of a digest's S3 key (``.../CloudTrail-Digest/REGION/YYYY/...``)."""
    parts = str(key).split("/")
    return parts[parts.index("CloudTrail-Digest") + 1]


def _covered(name: str, digests: Sequence[_Digest]) -> bool:
    """Whether some digest of the log file ``name``'s account and region covers the
    hour CloudTrail delivered it in (so it should name it)."""
    found = _LOG_NAME.match(name)
    if not found:
        return False
    account, region, stamp = found.group(1), found.group(2), found.group(3)
    delivered = datetime.strptime(stamp, "%Y%m%dT%H%MZ").replace(tzinfo=UTC)
    return any(d.account == account and d.region == region and d.start <= delivered <= d.end
               for d in digests)


def _chain_breaks(digests: Sequence[_Digest], paths: dict[str, Path],
                  hashes: _Hashes) -> list[str]:
    """Each digest whose previous one is absent although an older digest of its account
    and region is present (one was removed from the middle), or whose previous one's
    content no longer has the hash it names (changed)."""
    breaks = []
    oldest: dict[tuple[str, str], datetime] = {}
    for digest in digests:
        where = (digest.account, digest.region)
        oldest[where] = min(digest.end, oldest.get(where, digest.end))
    for digest in digests:
        if not digest.previous:
            continue
        name = PurePosixPath(digest.previous).name
        if name not in paths:
            stamp = _DIGEST_NAME.match(name)
            older = stamp is not None and _time_of(stamp.group(1)) > oldest[
                (digest.account, digest.region)]
            if older:
                breaks.append(f"{digest.previous}: removed (named as the previous digest by "
                              f"{digest.path.name}, which follows older ones present)")
            continue
        actual = hashes.of(paths[name])
        if actual is not None and actual != digest.previous_hash.lower():
            breaks.append(f"{paths[name]}: changed (its content is not what "
                          f"{digest.path.name} names as the previous digest)")
    return breaks


def _time_of(stamp: str) -> datetime:
    """A digest name's ``YYYYMMDDTHHMMSSZ``."""
    return datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
