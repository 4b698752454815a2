"""The demo account's trail bucket loads as an archive source, through S3 over HTTP."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from awsir_tui.demo.archive import WINDOW
from awsir_tui.demo.server import DemoServer, environment
from awsir_tui.events.loader import load
from awsir_tui.events.store import EventStore
from tests.helpers_app import demo_context


def test_the_demo_trail_bucket_loads_every_record(demo: DemoServer, tmp_path: Path) -> None:
    facts = demo.facts
    ctx = demo_context(demo)
    with EventStore() as store:
        report = load([f"s3://{facts.trail_bucket}"], store,
                      s3_client=ctx.client("s3"), cache_dir=tmp_path / "cache")
        assert not report.skipped, report.summary()
        assert store.count() == len({r["eventID"] for r in demo.records})
        # the stolen credentials' calls, found in the archive as in Event history
        attack = store.count("source_ip = ? AND user_name = ?",
                             [facts.attacker_ip, facts.proxy_instance_id])
        assert attack == len(facts.attack_event_ids)
    # everything fetched came over HTTP from the demo's S3 and is cached
    assert any((tmp_path / "cache").rglob("*"))


def test_headless_events_answer_from_the_demo_bucket(demo: DemoServer, tmp_path: Path) -> None:
    facts = demo.facts
    result = subprocess.run(
        [sys.executable, "-m", "awsir_tui", "--endpoint-url", demo.endpoint_url,
         "--regions", facts.proxy_region, "--source", f"s3://{facts.trail_bucket}", "events",
         "--filter", f"ip:={facts.attacker_ip} name:ImportKeyPair", "--format", "jsonl"],
        capture_output=True, text=True, timeout=300, check=False,
        env={**environment(demo), "PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # --regions prunes the archive too: only the proxy's region was fetched
    assert len(lines) == 1 and facts.attacker_key_name in lines[0]


def test_s3_cache_goes_where_asked_or_nowhere(demo: DemoServer, tmp_path: Path) -> None:
    """`--s3-cache DIR` keeps the fetched logs there (an encrypted case volume), not in
    the user's cache; `off` fetches them into a temporary folder removed at exit: a
    shared jump box keeps no raw logs."""
    facts = demo.facts

    def events(*cache: str) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "awsir_tui", "--endpoint-url", demo.endpoint_url,
             "--regions", facts.proxy_region, "--source", f"s3://{facts.trail_bucket}",
             *cache, "events", "--filter", f"ip:={facts.attacker_ip} name:ImportKeyPair",
             "--format", "jsonl"],
            capture_output=True, text=True, timeout=300, check=False,
            env={**environment(demo), "PATH": "/usr/bin:/bin",
                 "XDG_CACHE_HOME": str(tmp_path / "xdg"), "TMPDIR": str(tmp_path / "tmp")},
        )
        assert result.returncode == 0, result.stderr
        assert len(result.stdout.splitlines()) == 1  # the logs were read either way

    (tmp_path / "tmp").mkdir()
    events("--s3-cache", str(tmp_path / "volume"))
    assert any(p.is_file() for p in (tmp_path / "volume").rglob("*"))
    assert not (tmp_path / "xdg" / "awsir-tui" / "s3").exists()
    events("--s3-cache", "off")
    assert not (tmp_path / "xdg" / "awsir-tui" / "s3").exists()
    assert not any(p.name.startswith("awsir-s3-") for p in (tmp_path / "tmp").iterdir())


def test_the_demo_bucket_loads_the_incident_first(demo: DemoServer, tmp_path: Path) -> None:
    """The newest file first (#5, responder review: the first rows were from 11-23 and
    the incident's of today came last): a load cancelled as its first rows are stored
    keeps the latest events, not the oldest day's."""
    import threading

    from awsir_tui.events.loader import LoadProgress

    cancel = threading.Event()

    def on_progress(progress: LoadProgress) -> None:
        if progress.events:
            cancel.set()

    times = sorted(record["eventTime"] for record in demo.records)
    with EventStore() as store:
        report = load([f"s3://{demo.facts.trail_bucket}"], store,
                      s3_client=demo_context(demo).client("s3"), cache_dir=tmp_path,
                      on_progress=on_progress, cancel=cancel)
        kept = sorted(f"{event.event_time:%Y-%m-%dT%H:%M:%SZ}" for event in store.events())
    assert report.cancelled and report.files_read == 1 and report.not_reached > 0
    # The newest file by its delivery stamp is one of the last window's (each region's
    # files cover WINDOW, delivered minutes after it): it may be another region's than
    # the one holding the very latest event (a CI run kept 11:20:33 of 11:24:07).
    latest, newest_kept = (datetime.fromisoformat(t) for t in (times[-1], kept[-1]))
    assert timedelta(0) <= latest - newest_kept < WINDOW, (times[-1], kept[-1])
    assert kept[0] > times[0]
