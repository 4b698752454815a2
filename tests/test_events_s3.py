"""The S3 archive source over real HTTP (a moto server of this module's own): layout
discovery, pruning by account, region and date, parallel fetch, the local cache."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer

from awsir_tui.events.loader import LoadProgress, load
from awsir_tui.events.s3archive import ArchiveError, S3Archive
from tests.helpers_events import envelope_gz, s3_key, stratus_files

ACCOUNT, OTHER_ACCOUNT, ORG = "111122223333", "444455556666", "o-abc123defg"
REGIONS = ("us-east-1", "eu-west-1")
DAY0 = datetime(2024, 8, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def s3() -> Iterator[Any]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    client = boto3.client(
        "s3",
        endpoint_url=f"http://{host}:{port}",
        region_name="us-east-1",
        config=Config(max_pool_connections=16),
    )
    yield client
    server.stop()


@pytest.fixture(scope="module")
def layout(s3: Any) -> dict[str, list[str]]:
    """A trail bucket: 2 accounts (one under an organisation) x 2 regions x 3 days, one
    Stratus technique per file, delivered at 00:10, 12:10 and 23:55; plus a digest and a
    stray object that must never be read. Returns technique -> keys holding it."""
    s3.create_bucket(Bucket="trail")
    techniques = list(stratus_files().items())
    placed: dict[str, list[str]] = {}
    slot = 0
    for account, org in ((ACCOUNT, ""), (OTHER_ACCOUNT, ORG)):
        for region in REGIONS:
            for day in range(3):
                for minute in (10, 12 * 60 + 10, 23 * 60 + 55):
                    name, records = techniques[slot % len(techniques)]
                    slot += 1
                    when = DAY0 + timedelta(days=day, minutes=minute)
                    key = "logs/" + s3_key(account, region, when, f"{slot:x}", org)
                    s3.put_object(Bucket="trail", Key=key, Body=envelope_gz(records))
                    placed.setdefault(name, []).append(key)
    digest = f"logs/AWSLogs/{ACCOUNT}/CloudTrail-Digest/us-east-1/2024/08/01/d.json.gz"
    s3.put_object(Bucket="trail", Key=digest, Body=b"{}")
    s3.put_object(Bucket="trail", Key="logs/README.txt", Body=b"not a log")
    return placed


def test_discovers_every_log_file_and_nothing_else(s3: Any, layout: Any, tmp_path: Path) -> None:
    archive = S3Archive(s3, "s3://trail/logs", cache_dir=tmp_path)
    keys = [o.key for o in archive.discover()]
    assert len(keys) == 2 * 2 * 3 * 3
    assert all("/CloudTrail/" in k and k.endswith(".json.gz") for k in keys)
    assert any(f"/{ORG}/{OTHER_ACCOUNT}/" in k for k in keys)
    assert not any("Digest" in p for p in archive.listed)


def test_prunes_by_account_region_and_date(s3: Any, layout: Any, tmp_path: Path) -> None:
    after = DAY0 + timedelta(days=1, hours=6)
    before = DAY0 + timedelta(days=1, hours=22, minutes=58)
    archive = S3Archive(
        s3,
        "s3://trail/logs/",
        accounts=frozenset({ACCOUNT}),
        regions=frozenset({"eu-west-1"}),
        after=after,
        before=before,
        cache_dir=tmp_path,
    )
    keys = [o.key for o in archive.discover()]
    # Day 2 at 12:10 and 23:55 (inside, or within the one-hour delivery margin); not
    # day 2 at 00:10 (before after - 1h), not days 1 or 3.
    assert [k.split("_")[3] for k in keys] == ["20240802T1210Z", "20240802T2355Z"]
    assert all(f"/{ACCOUNT}/CloudTrail/eu-west-1/2024/08/02/" in k for k in keys)
    # Pruning happened while listing: no folder of another account, region or day.
    assert not any("us-east-1" in p or OTHER_ACCOUNT in p for p in archive.listed)
    assert not any(p.endswith(("/08/01/", "/08/03/")) for p in archive.listed)


def test_delivery_margin_keeps_the_file_just_after_the_window(
    s3: Any, layout: Any, tmp_path: Path
) -> None:
    """Records are older than their file's key time: a window ending at 23:30 must
    still fetch the file delivered at 23:55, and the next day's 00:10 file (inside the
    one-hour margin, across the day folder); the 12:10 file is outside it."""
    end = DAY0 + timedelta(hours=23, minutes=30)
    archive = S3Archive(
        s3, "s3://trail/logs/AWSLogs/111122223333/CloudTrail/us-east-1",
        after=end - timedelta(minutes=30), before=end, cache_dir=tmp_path,
    )
    assert [o.key.split("_")[3] for o in archive.discover()] == [
        "20240801T2355Z", "20240802T0010Z"
    ]


def test_load_fetches_in_window_then_serves_from_cache(
    s3: Any, layout: dict[str, list[str]], tmp_path: Path
) -> None:
    from awsir_tui.events.store import EventStore

    progress: list[LoadProgress] = []
    lock = threading.Lock()

    def on_progress(p: LoadProgress) -> None:
        with lock:
            progress.append(p)

    window = {"after": DAY0, "before": DAY0 + timedelta(hours=22)}
    with EventStore() as store:
        report = load(
            ["s3://trail/logs"], store, s3_client=s3, cache_dir=tmp_path,
            regions=["us-east-1"], on_progress=on_progress, **window,  # type: ignore[arg-type]
        )
        # Day 1 at 00:10 and 12:10 for both accounts; 23:55 is past before + 1 hour.
        assert report.skipped == [] and report.files_read == 2 * 2
        expected = {
            k for keys in layout.values() for k in keys
            if "/us-east-1/2024/08/01/" in k and "T2355Z" not in k
        }
        cached = {p.name.split("-", 1)[1] for p in tmp_path.rglob("*.json.gz")}
        assert cached == {k.rsplit("/", 1)[-1] for k in expected}
        assert progress[-1].files_done == progress[-1].files_total == 4
        assert progress[-1].bytes_done == progress[-1].bytes_total > 0
        events = report.events
        assert store.count() == report.added > 0

    # Second look: every object comes from the cache, none is downloaded again.
    archive = S3Archive(s3, "s3://trail/logs", regions=frozenset({"us-east-1"}),
                        cache_dir=tmp_path, **window)  # type: ignore[arg-type]
    fetched = list(archive.fetch(archive.discover()))
    assert len(fetched) == 4 and all(f.from_cache for f in fetched)
    with EventStore() as store:
        again = load(["s3://trail/logs"], store, s3_client=s3, cache_dir=tmp_path,
                     regions=["us-east-1"], **window)  # type: ignore[arg-type]
        assert again.events == events


def test_changed_object_is_fetched_again(s3: Any, layout: Any, tmp_path: Path) -> None:
    key = layout[next(iter(layout))][0]
    archive = S3Archive(s3, "s3://trail/" + key.rsplit("/", 1)[0], cache_dir=tmp_path)
    (first,) = [f for f in archive.fetch(archive.discover()) if f.obj.key == key]
    body = s3.get_object(Bucket="trail", Key=key)["Body"].read()
    s3.put_object(Bucket="trail", Key=key, Body=body + b"")  # same bytes: same ETag
    (same,) = [f for f in archive.fetch(archive.discover()) if f.obj.key == key]
    assert not first.from_cache and same.from_cache
    s3.put_object(Bucket="trail", Key=key, Body=envelope_gz([]))
    (changed,) = [f for f in archive.fetch(archive.discover()) if f.obj.key == key]
    assert not changed.from_cache and changed.path != first.path
    s3.put_object(Bucket="trail", Key=key, Body=body)


def test_bad_locations_are_reported_not_raised(s3: Any, layout: Any, tmp_path: Path) -> None:
    from awsir_tui.events.store import EventStore

    with pytest.raises(ArchiveError, match="no AWSLogs"):
        S3Archive(s3, "s3://trail/elsewhere", cache_dir=tmp_path).discover()
    with EventStore() as store:
        report = load(
            ["s3://no-such-bucket", "s3://trail/elsewhere", str(tmp_path / "missing")],
            store, s3_client=s3, cache_dir=tmp_path,
        )
    reasons = [p.reason for p in report.skipped]
    assert len(reasons) == 3
    assert "NoSuchBucket" in reasons[0]
    assert "no AWSLogs" in reasons[1] and "no such file" in reasons[2]
    with EventStore() as store:
        report = load(["s3://trail/logs"], store, cache_dir=tmp_path)
    assert "no AWS credentials" in report.skipped[0].reason


def test_a_denied_folder_and_a_vanished_object_cost_only_themselves(
    s3: Any, layout: Any, tmp_path: Path
) -> None:
    """eu-west-1 of one account cannot be listed (AccessDenied, injected on the real
    client's ListObjectsV2) and one object is deleted between listing and fetching
    (a real NoSuchKey from the server): both are reported, the rest loads."""
    from botocore.exceptions import ClientError

    from awsir_tui.events.store import EventStore

    denied = f"logs/AWSLogs/{ACCOUNT}/CloudTrail/eu-west-1/"

    def deny(params: dict[str, Any], **_: Any) -> None:
        if params.get("Prefix", "").startswith(denied):
            raise ClientError(
                {"Error": {"Code": "AccessDenied", "Message": "denied by policy"}},
                "ListObjectsV2",
            )

    s3.meta.events.register("before-parameter-build.s3.ListObjectsV2", deny)
    day = DAY0 + timedelta(days=2)
    gone = next(k for keys in layout.values() for k in keys
                if f"/{ACCOUNT}/CloudTrail/us-east-1/2024/08/03/" in k)
    body = s3.get_object(Bucket="trail", Key=gone)["Body"].read()
    archive = S3Archive(s3, "s3://trail/logs", after=day, before=day + timedelta(hours=20),
                        cache_dir=tmp_path)
    objects = archive.discover()
    try:
        assert archive.problems == [(denied, "AccessDenied: denied by policy")]
        assert not any(o.key.startswith(denied) for o in objects)
        assert any(o.key == gone for o in objects)
        s3.delete_object(Bucket="trail", Key=gone)
        results = {f.obj.key: f for f in archive.fetch(objects)}
        assert results[gone].path is None and "NoSuchKey" in results[gone].error
        assert all(f.path for k, f in results.items() if k != gone)
        with EventStore() as store:
            report = load(["s3://trail/logs"], store, s3_client=s3, cache_dir=tmp_path,
                          after=day, before=day + timedelta(hours=20))
        reasons = {p.source: p.reason for p in report.skipped}
        assert reasons[f"s3://trail/{denied}"] == "cannot list: AccessDenied: denied by policy"
        assert len(reasons) == 1  # the deleted object is simply no longer listed
        # (the Stratus records are of other days: read, and not kept outside the range)
        assert report.files_read == len(objects) - 1 and report.events + report.outside > 0
    finally:
        s3.meta.events.unregister("before-parameter-build.s3.ListObjectsV2", deny)
        s3.put_object(Bucket="trail", Key=gone, Body=body)


def test_cache_is_private_to_the_user(s3: Any, layout: Any, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    archive = S3Archive(s3, "s3://trail/logs/AWSLogs/111122223333/CloudTrail/us-east-1/2024/08/01",
                        cache_dir=cache)
    fetched = [f for f in archive.fetch(archive.discover()) if f.path]
    assert fetched and (cache.stat().st_mode & 0o777) == 0o700
    assert all((f.path.stat().st_mode & 0o077) == 0 for f in fetched if f.path)


def test_a_cancelled_load_of_a_bucket_keeps_the_newest_file(
    s3: Any, layout: dict[str, list[str]], tmp_path: Path
) -> None:
    """The newest file is read first, over S3 too (#5): a load cancelled as its first
    rows show keeps the last file delivered (its key's stamp and day folder), not the
    first of the oldest day, as it kept before."""
    from awsir_tui.events.store import EventStore

    newest = f"logs/AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2024/08/03/"
    (key,) = [k for keys in layout.values() for k in keys
              if k.startswith(newest) and "T2355Z" in k]
    (technique,) = [name for name, keys in layout.items() if key in keys]
    cancel = threading.Event()

    def on_progress(progress: LoadProgress) -> None:
        if progress.events:
            cancel.set()

    with EventStore() as store:
        report = load(["s3://trail/logs"], store, s3_client=s3, cache_dir=tmp_path,
                      accounts=[ACCOUNT], regions=["us-east-1"], on_progress=on_progress,
                      cancel=cancel)
        stored = {event.event_id for event in store.events()}
    assert report.cancelled and report.files_read == 1
    assert stored == {record["eventID"] for record in stratus_files()[technique]}


def test_discovery_and_the_file_reader_agree_on_organization_folders(
    s3: Any, tmp_path: Path
) -> None:
    """``AWSLogs/o-.../`` is an organization trail's folder only when it is an ID AWS
    Organizations can issue (``o-`` and 10 to 32 lowercase letters or digits). S3
    discovery walks into exactly those, and the file reader places another service's
    delivery below exactly those: a folder one calls an organization and the other does
    not either hides an organization's logs or counts another service's files as logs
    not read."""
    from awsir_tui.events.files import delivered_by

    folders = ["o-abcd", "o-abc123defg", "o-" + "a1" * 16, "o-" + "a" * 33, "o-ABC123DEFG"]
    s3.create_bucket(Bucket="orgs")
    for index, org in enumerate(folders):
        key = s3_key(ACCOUNT, "us-east-1", DAY0, f"{index:x}", org)
        s3.put_object(Bucket="orgs", Key=key, Body=envelope_gz([]))
    found = {o.key.split("/")[1] for o in S3Archive(s3, "s3://orgs", cache_dir=tmp_path)
             .discover()}
    placed = {org for org in folders
              if delivered_by(f"AWSLogs/{org}/{ACCOUNT}/Config/{ACCOUNT}_Config.json.gz")}
    assert found == placed == {"o-abc123defg", "o-" + "a1" * 16}
