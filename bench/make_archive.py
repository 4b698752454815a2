"""Write a CloudTrail archive in the real S3 layout from the real Stratus records.

Every record is one of the 310 records in ../shared/data/cloudtrail (Stratus Red Team
detonation logs); only its ``eventID``, ``requestID`` and ``eventTime`` are new, so
that N copies are N distinct events spread over time. Records are grouped by their own
account and region, in time order, into gzipped ``{"Records": [...]}`` files of about
``--per-file`` records, under

    AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_X16.json.gz

with the key time a few minutes after the file's last record, as CloudTrail delivers.
Unlike CloudTrail's own files, which span minutes, a file of 1000 records here spans
hours (days for the rarer regions): a load bounded in time, which leaves out the files
delivered (by their names) more than an hour outside the range, misses events of the
range on this archive. Time and compare loads unbounded. Deterministic (seeded). One
million events are about 1.4 GB of JSON, ~90 MB gzipped.

    .venv/bin/python bench/make_archive.py [--events 1000000] [--out bench/out/1000000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import string
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

SHARED = Path(__file__).resolve().parents[2] / "shared"
STRATUS = SHARED / "data" / "cloudtrail" / "stratus-red-team"
START = datetime(2024, 7, 1, tzinfo=UTC)
#: Events are spread over this many days, whatever their number.
SPAN_DAYS = 30


def templates() -> list[dict[str, Any]]:
    return [r for p in sorted(STRATUS.glob("*.json")) for r in json.loads(p.read_text())]


def group_of(record: dict[str, Any]) -> tuple[str, str]:
    account = str(record.get("recipientAccountId") or record["userIdentity"].get("accountId"))
    return account, str(record["awsRegion"])


def write_file(out: Path, group: tuple[str, str], records: list[dict[str, Any]],
               rng: random.Random) -> int:
    account, region = group
    last = datetime.fromisoformat(records[-1]["eventTime"].replace("Z", "+00:00"))
    delivered = last + timedelta(minutes=rng.randint(1, 12))
    suffix = "".join(rng.choices(string.ascii_letters + string.digits, k=16))
    key = (
        f"AWSLogs/{account}/CloudTrail/{region}/{delivered:%Y/%m/%d}/"
        f"{account}_CloudTrail_{region}_{delivered:%Y%m%dT%H%MZ}_{suffix}.json.gz"
    )
    path = out / key
    path.parent.mkdir(parents=True, exist_ok=True)
    body = orjson.dumps({"Records": records})
    path.write_bytes(gzip.compress(body, compresslevel=6))
    return len(body)


def make(events: int, out: Path, per_file: int = 1000, seed: int = 5) -> tuple[int, int]:
    """Write ``events`` events under ``out``; return (files, uncompressed bytes)."""
    rng = random.Random(seed)
    base = templates()
    step = timedelta(days=SPAN_DAYS) / max(events, 1)
    buffers: dict[tuple[str, str], list[dict[str, Any]]] = {}
    files = size = 0
    for i in range(events):
        template = base[i % len(base)]
        record = dict(template)
        record["eventID"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        record["requestID"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        record["eventTime"] = (START + step * i).strftime("%Y-%m-%dT%H:%M:%SZ")
        group = group_of(template)
        buffer = buffers.setdefault(group, [])
        buffer.append(record)
        if len(buffer) >= per_file:
            size += write_file(out, group, buffer, rng)
            files += 1
            buffers[group] = []
    for group, buffer in buffers.items():
        if buffer:
            size += write_file(out, group, buffer, rng)
            files += 1
    return files, size


#: Where the benchmarks keep their archives (gitignored).
OUT = Path(__file__).parent / "out"


def archive(events: int) -> Path:
    """The benchmarks' archive of ``events`` events (files of 1000): made if missing."""
    folder = OUT / str(events)
    if not folder.exists():
        make(events, folder)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--per-file", type=int, default=1000)
    args = parser.parse_args()
    out = args.out or OUT / str(args.events)
    started = time.monotonic()
    files, size = make(args.events, out, args.per_file)
    print(f"{args.events:,} events in {files:,} files under {out}: "
          f"{size / 1e9:.2f} GB of JSON, {time.monotonic() - started:.1f}s")


if __name__ == "__main__":
    main()
