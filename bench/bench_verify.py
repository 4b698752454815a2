"""The digest check (``awsir-tui verify``, `:load`) against hashing the same files alone.

Builds, untimed, the digest files CloudTrail would have delivered for an archive of
``bench/make_archive.py`` (one per account, region and hour of delivery, chained), in a
folder beside it; then times, in interleaved rounds, ``check_digests`` over the archive
and the digests against its peer: every log file read, inflated (zlib) and hashed
(SHA-256), nothing else. Prints a Markdown row; asserts nothing.

    .venv/bin/python bench/bench_verify.py [--size 1000000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import statistics
import sys
import time
import zlib
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from make_archive import archive  # noqa: E402

from awsir_tui.events.digests import check_digests  # noqa: E402

_LOG = re.compile(r"^(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{8}T\d{2})\d{2}Z_")


def logs_of(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*_CloudTrail_*.json.gz"))


def write_digests(folder: Path, out: Path) -> int:
    """The hourly, chained digests of every log file under ``folder``, under ``out``."""
    hours: dict[tuple[str, str], dict[str, list[Path]]] = defaultdict(lambda: defaultdict(list))
    for path in logs_of(folder):
        found = _LOG.match(path.name)
        assert found, path
        hours[(found.group(1), found.group(2))][found.group(3)].append(path)
    count = 0
    for (account, region), by_hour in hours.items():
        previous: tuple[str, str] | None = None
        for hour in sorted(by_hour):
            start = datetime.strptime(hour, "%Y%m%dT%H").replace(tzinfo=UTC)
            end = start + timedelta(hours=1)
            prefix = f"AWSLogs/{account}/CloudTrail-Digest/{region}/{end:%Y/%m/%d}/"
            name = f"{account}_CloudTrail-Digest_{region}_bench_{region}_{end:%Y%m%dT%H%M%SZ}"
            key = f"{prefix}{name}.json.gz"
            logs = [{"s3Bucket": "bench", "s3Object": str(p.relative_to(folder)),
                     "hashValue": hashlib.sha256(gzip.decompress(p.read_bytes())).hexdigest(),
                     "hashAlgorithm": "SHA-256"} for p in by_hour[hour]]
            body = json.dumps({
                "awsAccountId": account, "digestStartTime": f"{start:%Y-%m-%dT%H:%M:%SZ}",
                "digestEndTime": f"{end:%Y-%m-%dT%H:%M:%SZ}", "digestS3Bucket": "bench",
                "digestS3Object": key, "previousDigestS3Bucket": "bench" if previous else None,
                "previousDigestS3Object": previous[0] if previous else None,
                "previousDigestHashValue": previous[1] if previous else None,
                "logFiles": logs}).encode()
            (out / key).parent.mkdir(parents=True, exist_ok=True)
            (out / key).write_bytes(gzip.compress(body))
            previous = (key, hashlib.sha256(body).hexdigest())
            count += 1
    return count


def peer(folder: Path) -> int:
    """Every log file read, inflated and hashed: the least a check can do."""
    for path in logs_of(folder):
        hashlib.sha256(zlib.decompress(path.read_bytes(), wbits=31)).hexdigest()
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = archive(args.size)
    digests = folder.parent / f"{folder.name}-digests"
    if not digests.exists():
        digests.mkdir()
        write_digests(folder, digests)
    files = len(logs_of(folder))
    timings: dict[str, list[float]] = {"verify": [], "peer": []}
    verdict = ""
    for round_ in range(args.rounds):
        order = ["verify", "peer"] if round_ % 2 == 0 else ["peer", "verify"]
        for label in order:
            started = time.perf_counter()
            if label == "verify":
                verdict = check_digests([folder, digests]).summary()
            else:
                peer(folder)
            timings[label].append(time.perf_counter() - started)
    ours, theirs = (statistics.median(timings[k]) for k in ("verify", "peer"))
    print(f"`bench/bench_verify.py`, {args.size:,} events, {time.strftime('%Y-%m-%d %H:%M')} "
          f"UTC, median of {args.rounds}:\n")
    print("| events | log files | verify s | read + inflate + SHA-256 alone s "
          "| verify / peer |")
    print("|---:|---:|---:|---:|---:|")
    print(f"| {args.size:,} | {files:,} | {ours:.2f} ({verdict.split(':')[0]}) "
          f"| {theirs:.2f} | {ours / theirs:.2f} |")


if __name__ == "__main__":
    main()
