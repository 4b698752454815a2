"""A ``.json.gz`` cut short before its first complete record says so once (review):
"truncated gzip (file cut short); kept what came before it; invalid JSON (...); no
complete record before the damage", under "Skipped: (nothing read from these files)",
said both that something was kept and that nothing was. A file cut later, with records
before the cut, still says how many were kept. On a real log, gzipped as S3 holds it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from awsir_tui.events.files import read_file
from awsir_tui.events.loader import load
from awsir_tui.events.store import EventStore
from tests.helpers_events import STEAL_CREDENTIALS, STRATUS
from tests.helpers_headless import run_cli

NOTHING_KEPT = "truncated gzip (file cut short) before the first complete record: nothing kept"
NAME = "123456789012_CloudTrail_us-east-1_20261201T0540Z_TRUNCATED0000000.json.gz"


def log_gzipped() -> tuple[bytes, int]:
    """A real log as S3 holds it (``{"Records": [...]}``, gzipped), and its records."""
    records = json.loads((STRATUS / f"{STEAL_CREDENTIALS}.json").read_text())
    return gzip.compress(json.dumps({"Records": records}).encode(), mtime=0), len(records)


@pytest.mark.parametrize("cut", [14, 40, 600])
def test_cut_before_the_first_record_says_nothing_was_kept(tmp_path: Path, cut: int) -> None:
    """Cut a few bytes after the 10-byte header (nothing inflates), or in the first
    record (its start inflates, no record completes)."""
    data, _ = log_gzipped()
    path = tmp_path / NAME
    path.write_bytes(data[:cut])
    result = read_file(path)
    assert (result.events, result.problem) == ([], NOTHING_KEPT)
    with EventStore() as store:
        report = load([path], store)
    assert [(p.source, p.reason) for p in report.skipped] == [(str(path), NOTHING_KEPT)]
    assert not report.partial


def test_the_command_says_it_once(tmp_path: Path) -> None:
    data, _ = log_gzipped()
    (tmp_path / NAME).write_bytes(data[:14])
    _, _, err = run_cli("events", "--source", str(tmp_path), "--format", "jsonl")
    assert f"awsir-tui: {tmp_path / NAME}: {NOTHING_KEPT}\n" in err, err
    assert "kept what came before it" not in err and "no complete record" not in err, err


def test_cut_after_records_still_says_how_many_were_kept(tmp_path: Path) -> None:
    data, total = log_gzipped()
    path = tmp_path / NAME
    path.write_bytes(data[: len(data) * 7 // 10])
    result = read_file(path)
    kept = len(result.events)
    assert 0 < kept < total
    assert result.problem.startswith("truncated gzip (file cut short); kept what came before it; ")
    assert result.problem.endswith(f"kept the {kept} complete records before the damage")
