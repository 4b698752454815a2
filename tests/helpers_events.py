"""Test data for the archive readers and the store: the real Stratus Red Team records,
repackaged at run time into every format CloudTrail data is handed over in.

Nothing here invents a record: each writer takes the shared files' records and only
changes the wrapping (envelope, gzip, lines, LookupEvents items, console CSV).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from awsir_tui.events.store import EventStore

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cloudtrail"
STRATUS = SHARED / "stratus-red-team"
STEAL_CREDENTIALS = "aws.credential-access.ec2-steal-instance-credentials"


def stratus_files() -> dict[str, list[dict[str, Any]]]:
    """Technique name -> its records, from the shared Stratus detonation logs."""
    return {p.stem: json.loads(p.read_text()) for p in sorted(STRATUS.glob("*.json"))}


def all_records() -> list[dict[str, Any]]:
    return [r for records in stratus_files().values() for r in records]


def lookup_item(record: dict[str, Any]) -> dict[str, Any]:
    """A LookupEvents ``Events[]`` item for a record, as the API returns it."""
    return {
        "EventId": record["eventID"],
        "EventName": record["eventName"],
        "ReadOnly": str(record.get("readOnly", "")).lower(),
        "EventTime": record["eventTime"],
        "EventSource": record["eventSource"],
        "Username": record.get("userIdentity", {}).get("userName", ""),
        "CloudTrailEvent": json.dumps(record),
    }


def console_csv(records: list[dict[str, Any]]) -> str:
    """The console's Event history CSV download for these records."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["Event ID", "Event time", "User name", "Event name", "Resource type",
         "Resource name", "AWS access key", "AWS region", "Error code",
         "Source IP address", "Event source", "CloudTrail event"]
    )
    for r in records:
        identity = r.get("userIdentity", {})
        writer.writerow(
            [r["eventID"], r["eventTime"], identity.get("userName", ""), r["eventName"], "",
             "", identity.get("accessKeyId", ""), r.get("awsRegion", ""),
             r.get("errorCode", ""), r.get("sourceIPAddress", ""), r["eventSource"],
             json.dumps(r)]
        )
    return out.getvalue()


def s3_key(account: str, region: str, when: datetime, suffix: str, org: str = "") -> str:
    """The real S3 key of a CloudTrail log file."""
    org_part = f"{org}/" if org else ""
    return (
        f"AWSLogs/{org_part}{account}/CloudTrail/{region}/{when:%Y/%m/%d}/"
        f"{account}_CloudTrail_{region}_{when:%Y%m%dT%H%MZ}_{suffix:0>16}.json.gz"
    )


def envelope_gz(records: list[dict[str, Any]]) -> bytes:
    return gzip.compress(json.dumps({"Records": records}).encode())


def trail_copy(root: Path, files: Sequence[tuple[datetime, list[datetime]]],
               account: str = "111122223333", region: str = "us-east-1") -> list[Path]:
    """A copy of a trail bucket on disk (``aws s3 sync``): for each (delivery time,
    event times), one file in the S3 layout holding as many of one Stratus technique's
    records (the next technique each file) at those times, the rest of each record as
    the shared file has it. Returns the files, in the order given."""
    techniques = list(stratus_files().values())
    written = []
    for index, (delivered, times) in enumerate(files):
        records = [dict(record, eventTime=f"{when:%Y-%m-%dT%H:%M:%SZ}")
                   for record, when in zip(techniques[index], times, strict=False)]
        path = root / s3_key(account, region, delivered, f"{index:x}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(envelope_gz(records))
        written.append(path)
    return written


def copied_again(folder: Path) -> None:
    """Every file under ``folder`` as if copied in again (a newer modification time):
    a load into a store that read them reads them again (``events/read_before.py``)."""
    for path in folder.rglob("*"):
        if path.is_file():
            later = path.stat().st_mtime_ns + 1_000_000_000
            os.utime(path, ns=(later, later))


def _jsonl(records: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


#: Format name -> how to write one technique's records as that format (bytes).
FORMATS: dict[str, Callable[[list[dict[str, Any]]], bytes]] = {
    "envelope.json.gz": envelope_gz,
    "envelope.json": lambda rs: json.dumps({"Records": rs}).encode(),
    "array.json": lambda rs: json.dumps(rs, indent=2).encode(),
    "lines.jsonl": _jsonl,
    "lines.jsonl.gz": lambda rs: gzip.compress(_jsonl(rs)),
    "lookup-events.json": lambda rs: json.dumps({"Events": [lookup_item(r) for r in rs]}).encode(),
    "console.json": lambda rs: json.dumps([lookup_item(r) for r in rs]).encode(),
    "console.csv": lambda rs: console_csv(rs).encode(),
}


def write_format(root: Path, fmt: str) -> Path:
    """Every Stratus technique as one file of format ``fmt`` under ``root/fmt``.

    The file names carry no hint of the format (``.log``), because detection must go by
    content.
    """
    folder = root / fmt
    folder.mkdir(parents=True)
    for name, records in stratus_files().items():
        (folder / f"{name}.log").write_bytes(FORMATS[fmt](records))
    return folder


#: A statement that keeps DuckDB busy for minutes unless something stops it.
ENDLESS_SQL = "SELECT count(*) FROM range(10_000_000_000) WHERE hash(range) % 7 = 0"


def running_forever(store: EventStore) -> tuple[threading.Thread, list[object]]:
    """A thread running :data:`ENDLESS_SQL` on ``store``, started; the list gets its outcome."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(store.cursor().execute(ENDLESS_SQL).fetchone())
        except Exception as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    time.sleep(0.3)  # inside the statement by now (it takes minutes)
    return thread, outcome


def four_log_files(folder: Path) -> list[dict[str, Any]]:
    """The Stratus records as 4 gzipped log files (new event IDs), which a load stores
    in two batches (its first file alone): :class:`EndlessSecondInsert` holds the
    second. Returns the records of one file."""
    records = all_records()
    for copy in range(4):
        renamed = [{**r, "eventID": f"{copy}-{r['eventID']}"} for r in records]
        (folder / f"{copy}.json.gz").write_bytes(envelope_gz(renamed))
    return records


def stopped_in_second_insert(store: EndlessSecondInsert, loading: threading.Thread) -> None:
    """Start ``loading`` (a load into ``store``), stop the store once the load is inside
    its second INSERT (which never ends), and wait for the load to end."""
    loading.start()
    while store.inserts < 2 and loading.is_alive():
        time.sleep(0.01)
    time.sleep(0.3)  # inside the second INSERT's statement (it never ends)
    store.stop()
    loading.join(60)


class EndlessSecondInsert(EventStore):
    """The real store; its second INSERT (a load's second batch) runs until something
    interrupts it (:meth:`EventStore.stop`). In memory, or in the file ``path``."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(path)
        self.inserts = 0

    def insert(self, source_sql: str, params: Sequence[Any] = ()) -> int:
        self.inserts += 1
        if self.inserts == 2:
            source_sql = f"SELECT * FROM ({source_sql}) WHERE ({ENDLESS_SQL}) >= 0"
        return super().insert(source_sql, params)


def federation_token_record() -> dict[str, Any]:
    """The Stratus GetFederationToken record: it issues credentials (a session token to
    redact, an access key ID to keep)."""
    path = STRATUS / "aws.persistence.sts-federation-token.json"
    [record] = [r for r in json.loads(path.read_text()) if r["eventName"] == "GetFederationToken"]
    assert isinstance(record, dict)
    return record
