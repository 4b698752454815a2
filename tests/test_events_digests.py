"""Logs on disk checked against their digest files (events/digests.py, `verify`).

The folder is the real Stratus records as CloudTrail delivers them (gzipped log files in
the S3 layout, named by account, region and delivery time) with an hourly chain of
digest files built as CloudTrail builds them: each log file's SHA-256 over its
uncompressed content, each digest naming the previous one's key and SHA-256."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from awsir_tui.cli import Options, main
from awsir_tui.events.coverage import archive_coverage
from awsir_tui.events.digests import check_digests
from awsir_tui.events.loader import load
from awsir_tui.events.sources import ArchiveSource
from awsir_tui.events.store import EventStore
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.load_view import LoadView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_events import all_records
from tests.helpers_ui_events import offline_app

ACCOUNT = "123456789012"
REGION = "us-east-1"
HOURS = (10, 11, 12)
LOGS = f"AWSLogs/{ACCOUNT}/CloudTrail/{REGION}/2024/07/01"
DIGESTS = f"AWSLogs/{ACCOUNT}/CloudTrail-Digest/{REGION}/2024/07/01"


def log_name(hour: int, unique: str = "ABCDEFGHIJKLMNOP") -> str:
    return f"{ACCOUNT}_CloudTrail_{REGION}_20240701T{hour:02d}05Z_{unique}.json.gz"


def digest_name(hour: int) -> str:
    """The digest of ``hour``, delivered at its end."""
    end = f"20240701T{hour + 1:02d}0000Z"
    return f"{ACCOUNT}_CloudTrail-Digest_{REGION}_trail_{REGION}_{end}.json.gz"


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def write_log(
    root: Path, hour: int, records: list[dict], unique: str = "ABCDEFGHIJKLMNOP"
) -> bytes:
    content = json.dumps({"Records": records}).encode()
    path = root / LOGS / log_name(hour, unique)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(content))
    return content


@pytest.fixture
def delivered(tmp_path: Path) -> Path:
    """Three hours of logs and their chain of digests, as a bucket copied to disk."""
    return deliver(tmp_path)


def deliver(root: Path) -> Path:
    """Write under ``root`` three hours of logs and their chain of digests."""
    tmp_path = root
    records = all_records()
    previous_key, previous_hash = None, None
    for n, hour in enumerate(HOURS):
        content = write_log(tmp_path, hour, records[n * 100:(n + 1) * 100])
        key = f"{DIGESTS}/{digest_name(hour)}"
        digest = {
            "awsAccountId": ACCOUNT,
            "digestStartTime": f"2024-07-01T{hour:02d}:00:00Z",
            "digestEndTime": f"2024-07-01T{hour + 1:02d}:00:00Z",
            "digestS3Bucket": "trail-bucket", "digestS3Object": key,
            "digestPublicKeyFingerprint": "31e8b5433410dfb61a9dc45cc65b22ff",
            "digestSignatureAlgorithm": "SHA256withRSA",
            "previousDigestS3Bucket": "trail-bucket" if previous_key else None,
            "previousDigestS3Object": previous_key,
            "previousDigestHashValue": previous_hash,
            "previousDigestHashAlgorithm": "SHA-256" if previous_key else None,
            "previousDigestSignature": "00ff" if previous_key else None,
            "logFiles": [{"s3Bucket": "trail-bucket", "s3Object": f"{LOGS}/{log_name(hour)}",
                          "hashValue": sha256(content), "hashAlgorithm": "SHA-256"}],
        }
        body = json.dumps(digest).encode()
        (tmp_path / DIGESTS).mkdir(parents=True, exist_ok=True)
        (tmp_path / key).write_bytes(gzip.compress(body))
        previous_key, previous_hash = key, sha256(body)
    return tmp_path


def test_logs_as_delivered_are_intact(delivered: Path) -> None:
    check = check_digests([delivered])
    assert check.intact() and check.digests == 3 and check.verified == 3
    assert check.summary() == "INTACT: 3 digests checked, 3 log files as delivered"
    assert check.chains == [f"trail, {ACCOUNT}, {REGION}: 2024-07-01 10:00:00Z to "
                            "2024-07-01 13:00:00Z (3 digests)"]


def test_a_copy_unzipped_by_the_responder_still_verifies(delivered: Path) -> None:
    """The hash is over the uncompressed content: a `gunzip`ped copy is the same log."""
    path = delivered / LOGS / log_name(11)
    path.with_suffix("").write_bytes(gzip.decompress(path.read_bytes()))
    path.unlink()
    assert check_digests([delivered]).verified == 3


def test_a_log_changed_after_delivery_is_named(delivered: Path) -> None:
    """An attacker who removed their one call from an hour's log."""
    path = delivered / LOGS / log_name(11)
    records = json.loads(gzip.decompress(path.read_bytes()))["Records"]
    path.write_bytes(gzip.compress(json.dumps({"Records": records[1:]}).encode()))
    check = check_digests([delivered])
    assert not check.intact() and check.verified == 2
    assert check.changed == [f"{path}: its content is not what {digest_name(11)} hashed "
                             "when CloudTrail delivered it"]
    assert check.summary().startswith("ALTERED OR INCOMPLETE: 3 digests checked, 2 log files "
                                      "as delivered, 1 changed since delivery")


def test_a_log_removed_is_named_with_its_digest(delivered: Path) -> None:
    (delivered / LOGS / log_name(12)).unlink()
    backup = delivered / "backup"  # a second copy of the digests: the same news, once
    shutil.copytree(delivered / DIGESTS, backup)
    check = check_digests([delivered])
    assert check.missing == [f"{LOGS}/{log_name(12)} (named by {digest_name(12)})"]
    assert check.digests == 3 and check.chains[0].endswith("(3 digests)")


def test_a_log_no_digest_of_its_hour_names_is_named(delivered: Path) -> None:
    """Added after delivery (or delivered while validation was off); a log of an hour no
    digest here covers is not judged."""
    write_log(delivered, 20, all_records()[:3], unique="YYYYYYYYYYYYYYYY")
    check = check_digests([delivered])
    assert not check.altered() and not check.intact()
    assert check.summary() == ("PARTLY CHECKED: 3 digests checked, 3 log files as delivered, "
                               "1 log file no digest here covers (not checked)")
    write_log(delivered, 11, all_records()[:3], unique="ZZZZZZZZZZZZZZZZ")
    check = check_digests([delivered])
    assert check.unnamed == [str(delivered / LOGS / log_name(11, "ZZZZZZZZZZZZZZZZ"))]


def test_a_log_the_newest_digest_of_its_hour_does_not_name_is_flagged(delivered: Path) -> None:
    """Added to the newest hour at hand (often the incident's): its digest is there and
    does not name it. CloudTrail names a log a processing delay kept out of its digest in
    a later backfill digest, so: added, or that backfill digest is not at hand; never
    INTACT, never "no digest covers it". One delivered in the digest's last minute may be
    named by the next digest: not judged."""
    write_log(delivered, 12, all_records()[:3], unique="ZZZZZZZZZZZZZZZZ")
    added = delivered / LOGS / log_name(12, "ZZZZZZZZZZZZZZZZ")
    check = check_digests([delivered])
    assert check.verdict() == "ALTERED OR INCOMPLETE" and check.unchecked == []
    assert check.unnamed_newest == [str(added)] and check.unnamed == []
    assert check.summary() == (
        "ALTERED OR INCOMPLETE: 3 digests checked, 3 log files as delivered, 1 not named by "
        "the digest of its hour, the newest here (added, or named by a backfill digest not at "
        "hand)")
    lines = check.lines()
    title = lines.index("Not named by the digest of their hour, the newest here: added, or "
                        "named by a backfill digest not at hand:")
    assert lines[title + 1] == f"  {added}"
    # The same log, named by a backfill digest at hand: as delivered.
    key = f"{DIGESTS}/{digest_name(12).replace('.json.gz', '_backfill.json.gz')}"
    backfill = {**json.loads(gzip.decompress((delivered / DIGESTS / digest_name(12))
                                             .read_bytes())),
                "digestS3Object": key,
                "logFiles": [{"s3Bucket": "trail-bucket", "s3Object": f"{LOGS}/{added.name}",
                              "hashValue": sha256(gzip.decompress(added.read_bytes())),
                              "hashAlgorithm": "SHA-256"}]}
    (delivered / key).write_bytes(gzip.compress(json.dumps(backfill).encode()))
    assert check_digests([delivered]).summary() == (
        "INTACT: 4 digests checked, 4 log files as delivered")
    # Delivered in the newest digest's last minute: the next digest may name it.
    added.rename(added.with_name(added.name.replace("T1205Z", "T1259Z")))
    (delivered / key).unlink()
    check = check_digests([delivered])
    assert check.unnamed_newest == [] and len(check.unchecked) == 1
    assert check.verdict() == "PARTLY CHECKED"


def test_a_digest_removed_from_the_middle_breaks_the_chain(delivered: Path) -> None:
    (delivered / DIGESTS / digest_name(11)).unlink()
    check = check_digests([delivered])
    assert check.chain == [f"{DIGESTS}/{digest_name(11)}: removed (named as the previous "
                           f"digest by {digest_name(12)}, which follows older ones present)"]
    # Its hour's log can no longer be checked: said, not counted as delivered.
    assert check.verified == 2 and check.unchecked == [str(delivered / LOGS / log_name(11))]
    assert ", 1 log file no digest here covers (not checked), " in check.summary()
    # The oldest digest at hand names one before it: where the copy starts, no break.
    (delivered / DIGESTS / digest_name(10)).unlink()
    assert check_digests([delivered]).chain == []


def test_a_digest_changed_breaks_the_chain(delivered: Path) -> None:
    path = delivered / DIGESTS / digest_name(10)
    digest = json.loads(gzip.decompress(path.read_bytes()))
    digest["logFiles"] = []  # hides the hour's log from a reader of digests
    path.write_bytes(gzip.compress(json.dumps(digest).encode()))
    check = check_digests([delivered])
    assert check.chain == [f"{path}: changed (its content is not what {digest_name(11)} "
                           "names as the previous digest)"]


def test_no_digest_and_a_damaged_one_are_said(tmp_path: Path, delivered: Path) -> None:
    write_log(tmp_path / "plain", 10, all_records()[:5])
    check = check_digests([tmp_path / "plain"])
    assert not check.intact()
    assert check.summary().startswith("NOT CHECKED: no CloudTrail digest files among")
    path = delivered / DIGESTS / digest_name(12)
    path.write_bytes(path.read_bytes()[:40])
    check = check_digests([delivered])
    assert check.digests == 2 and len(check.unreadable) == 1
    assert check.unreadable[0].startswith(f"{path}: truncated gzip")
    # Nested beyond what a parser follows: unreadable, said, not a crash.
    path.write_bytes(gzip.compress(b"[" * 100_000 + b"]" * 100_000))
    check = check_digests([delivered])
    assert check.unreadable == [f"{path}: not a CloudTrail digest file (RecursionError)"]
    # Every digest unreadable: not "no digest files" (which says to turn validation on).
    for name in (digest_name(10), digest_name(11)):
        (delivered / DIGESTS / name).write_bytes(b"\x1f\x8b")
    assert check_digests([delivered]).verdict() == "ALTERED OR INCOMPLETE"


def test_hostile_names_in_a_digest_are_reported_clean(delivered: Path, capsys) -> None:
    path = delivered / DIGESTS / digest_name(12)
    digest = json.loads(gzip.decompress(path.read_bytes()))
    digest["logFiles"].append({"s3Object": f"{LOGS}/evil\x1b[2J[red]x[/].json.gz",
                               "hashValue": "00", "hashAlgorithm": "SHA-256"})
    path.write_bytes(gzip.compress(json.dumps(digest).encode()))
    code = main(["verify", "--source", str(delivered)])
    out = capsys.readouterr().out
    assert code == 1
    assert "\x1b" not in out and "evil" in out


def test_verify_headless_exit_status_and_json(delivered: Path, capsys) -> None:
    assert main(["verify", "--source", str(delivered)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("INTACT: 3 digests checked")
    assert "Not checked: the digests' signatures" in out
    (delivered / LOGS / log_name(10)).unlink()
    assert main(["verify", "--source", str(delivered), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["verdict"] == "ALTERED OR INCOMPLETE" and report["intact"] is False
    assert len(report["missing"]) == 1
    assert main(["verify", "--source", str(delivered / "nope")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_a_copy_with_digests_of_another_folder_is_checked_whole(delivered: Path,
                                                              tmp_path_factory) -> None:
    """Logs and digests handed over as two folders (two --source)."""
    digests = tmp_path_factory.mktemp("digests")
    shutil.move(str(delivered / DIGESTS), str(digests / "d"))
    assert check_digests([delivered, digests]).intact()


def test_a_load_of_the_folder_ignores_the_digests_and_is_complete(delivered: Path) -> None:
    """A digest holds no events: nothing was missed for it (a load counted each one as a
    skipped file, and an export of the folder as PARTIAL)."""
    with EventStore() as store:
        report = load([delivered], store)
    assert report.skipped == [] and report.files_read == 3 and len(report.ignored) == 3
    assert all("awsir-tui verify checks the logs against it" in p.reason
               for p in report.ignored)
    coverage = archive_coverage([str(delivered)], "", "run on the store", report=report)
    assert coverage.verdict() == "COMPLETE"


async def test_load_page_checks_the_logs_against_the_digests(delivered: Path) -> None:
    """The folder of a case opened with --source: `:load` says whether its logs are as
    delivered, once the load is done, and names what changed."""
    path = delivered / LOGS / log_name(11)
    records = json.loads(gzip.decompress(path.read_bytes()))["Records"]
    path.write_bytes(gzip.compress(json.dumps({"Records": records[1:]}).encode()))
    app = offline_app(Options(sources=[str(delivered)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and "loaded 299 events" in screen_text(app), "archive loaded")
        await pilot.press("colon", *"load", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LoadView)
                       and "ALTERED OR INCOMPLETE" in screen_text(app), "the check")
        text = " ".join(screen_text(app).split())
        assert "3 digests checked, 2 log files as delivered, 1 changed since delivery" in text
        assert "Changed since delivery:" in text and log_name(11) in text.replace(" ", "")
        # Below its source folder, as the rest of the page shows files (80 columns).
        assert f"{delivered}/{LOGS}" not in text.replace(" ", "")
        assert f"{LOGS}/{log_name(11)}:itscontent" in text.replace(" ", "")


def test_a_file_not_named_as_a_log_is_not_vouched_for(delivered: Path) -> None:
    """Events the load reads from a file CloudTrail did not name: no digest can vouch
    for them, so the logs cannot be called intact."""
    injected = delivered / LOGS / "injected.json.gz"
    injected.write_bytes(gzip.compress(json.dumps({"Records": all_records()[:2]}).encode()))
    check = check_digests([delivered])
    assert not check.intact() and not check.altered()
    assert check.not_named == [str(injected)]
    assert check.summary().startswith("PARTLY CHECKED: 3 digests checked, 3 log files as "
                                      "delivered, 1 not named as CloudTrail log files")


def test_a_folder_gunzipped_whole_still_verifies(delivered: Path) -> None:
    """`gunzip -r` on the copy: digests too, which name their previous one by its .gz."""
    for path in list(delivered.rglob("*.gz")):
        path.with_suffix("").write_bytes(gzip.decompress(path.read_bytes()))
        path.unlink()
    assert check_digests([delivered]).intact()


def test_a_changed_copy_of_a_digest_beside_the_genuine_one_is_caught(delivered: Path) -> None:
    """The newest hour's log changed, and a rewritten copy of its digest (naming the new
    hash) put in another folder: the genuine digest still speaks."""
    log = delivered / LOGS / log_name(12)
    content = json.dumps({"Records": all_records()[:1]}).encode()
    log.write_bytes(gzip.compress(content))
    genuine = delivered / DIGESTS / digest_name(12)
    digest = json.loads(gzip.decompress(genuine.read_bytes()))
    digest["logFiles"][0]["hashValue"] = sha256(content)
    forged = delivered / "zz-backup" / digest_name(12)
    forged.parent.mkdir()
    forged.write_bytes(gzip.compress(json.dumps(digest).encode()))
    check = check_digests([delivered])
    assert check.verdict() == "ALTERED OR INCOMPLETE"
    assert [c.split(": ")[0] for c in check.changed] == [str(log)]
    assert check.chain == [f"{genuine}, {forged}: copies of one digest that differ (at "
                           "least one was changed)"]


def test_another_trail_without_validation_in_the_bucket_is_not_called_added(
    delivered: Path,
) -> None:
    """A second trail delivering under another prefix, validation off: its logs have no
    digest (not checked), they are not logs the first trail's digests left out."""
    other = delivered / "trail-b" / LOGS
    other.mkdir(parents=True)
    write_log(delivered / "trail-b", 11, all_records()[:3], unique="BBBBBBBBBBBBBBBB")
    check = check_digests([delivered])
    assert check.unnamed == [] and len(check.unchecked) == 1
    assert check.verdict() == "PARTLY CHECKED"


def test_a_log_delivered_as_the_hour_closes_waits_for_the_next_digest(delivered: Path) -> None:
    """Delivered in the minute the newest digest ends: the next digest (not written yet
    when the bucket was copied) names it."""
    write_log(delivered, 13, all_records()[:3], unique="CCCCCCCCCCCCCCCC")
    late = delivered / LOGS / log_name(13, "CCCCCCCCCCCCCCCC")
    late = late.rename(late.with_name(late.name.replace("T1305Z", "T1300Z")))
    check = check_digests([delivered])
    assert check.unnamed == [] and check.unchecked == [str(late)]


def test_a_second_trails_chain_is_its_own(delivered: Path) -> None:
    """Another trail's digests in the same account and region, its chain begun in
    another bucket (the trail moved), newer than the first trail's: no break."""
    key = f"{DIGESTS}/{ACCOUNT}_CloudTrail-Digest_{REGION}_other_{REGION}_20240701T123000Z.json.gz"
    digest = {"awsAccountId": ACCOUNT, "digestStartTime": "2024-07-01T11:30:00Z",
              "digestEndTime": "2024-07-01T12:30:00Z", "digestS3Bucket": "trail-bucket",
              "digestS3Object": key, "previousDigestS3Bucket": "old-bucket",
              "previousDigestS3Object": key.replace("123000Z", "113000Z"),
              "previousDigestHashValue": "00", "logFiles": []}
    (delivered / key).write_bytes(gzip.compress(json.dumps(digest).encode()))
    check = check_digests([delivered])
    assert check.chain == [] and check.intact()
    assert len(check.chains) == 2


def test_an_s3_source_beside_the_folder_is_said_not_checked(delivered: Path) -> None:
    check = check_digests([delivered, "s3://trail-bucket/AWSLogs/"])
    assert check.verdict() == "PARTLY CHECKED" and check.in_s3 == ["s3://trail-bucket/AWSLogs/"]


def test_events_the_load_reads_from_any_file_are_not_vouched_for(delivered: Path) -> None:
    """The load reads a file by its content, whatever its name: a .txt, no extension,
    a name with a stamp that is no date. None is checked, so nothing is INTACT."""
    body = json.dumps({"Records": all_records()[:2]})
    odd = [delivered / LOGS / "notes.txt", delivered / LOGS / "noext",
           delivered / LOGS / f"{ACCOUNT}_CloudTrail_{REGION}_20241301T0000Z_X.json"]
    for path in odd:
        path.write_text(body)
    (delivered / "README.md").write_text("# the case\n")  # no events: not counted
    check = check_digests([delivered])
    assert sorted(check.not_named) == sorted(str(p) for p in odd)
    assert check.verdict() == "PARTLY CHECKED"


def test_a_file_named_as_a_digest_that_holds_events_is_no_digest(delivered: Path) -> None:
    """The load reads its events (a digest holds none): it cannot vouch for itself."""
    key = f"{DIGESTS}/{ACCOUNT}_CloudTrail-Digest_{REGION}_trail_{REGION}_20240701T143000Z.json"
    (delivered / key).write_text(json.dumps({
        "awsAccountId": ACCOUNT, "digestStartTime": "2024-07-01T13:30:00Z",
        "digestEndTime": "2024-07-01T14:30:00Z", "digestS3Object": key, "logFiles": [],
        "Records": all_records()[:1]}))
    check = check_digests([delivered])
    assert check.unreadable == [f"{delivered / key}: not a CloudTrail digest file (it holds "
                                "events, which CloudTrail's digests never do)"]
    assert check.verdict() == "ALTERED OR INCOMPLETE"


def test_a_digest_added_beside_the_chain_to_vouch_for_a_log_forks_it(delivered: Path) -> None:
    """A made-up digest following a genuine one (its hash named right), over hours the
    chain already covers, naming an injected log with its true hash."""
    content = write_log(delivered, 11, all_records()[:2], unique="FORGEDFORGEDFORG")
    first = delivered / DIGESTS / digest_name(10)
    key = f"{DIGESTS}/{ACCOUNT}_CloudTrail-Digest_{REGION}_trail_{REGION}_20240701T123000Z.json.gz"
    forged = {
        "awsAccountId": ACCOUNT, "digestStartTime": "2024-07-01T11:00:00Z",
        "digestEndTime": "2024-07-01T12:30:00Z", "digestS3Bucket": "trail-bucket",
        "digestS3Object": key, "previousDigestS3Bucket": "trail-bucket",
        "previousDigestS3Object": f"{DIGESTS}/{digest_name(10)}",
        "previousDigestHashValue": sha256(gzip.decompress(first.read_bytes())),
        "logFiles": [{"s3Object": f"{LOGS}/{log_name(11, 'FORGEDFORGEDFORG')}",
                      "hashValue": sha256(content), "hashAlgorithm": "SHA-256"}]}
    (delivered / key).write_bytes(gzip.compress(json.dumps(forged).encode()))
    check = check_digests([delivered])
    assert check.verdict() == "ALTERED OR INCOMPLETE"
    assert any(line.endswith(f"all follow {digest_name(10)} (a chain forked)")
               for line in check.chain)
    assert any(f"{delivered / key}: its hours overlap those of" in line for line in check.chain)


def test_hostile_names_and_times_cost_no_crash(delivered: Path) -> None:
    """A digest time no date can hold, a previous digest named with no date."""
    path = delivered / DIGESTS / digest_name(12)
    digest = json.loads(gzip.decompress(path.read_bytes()))
    digest["previousDigestS3Object"] = f"{DIGESTS}/{ACCOUNT}_CloudTrail-Digest_{REGION}_trail_" \
                                       f"{REGION}_20241399T000000Z.json.gz"
    path.write_bytes(gzip.compress(json.dumps(digest).encode()))
    other = delivered / DIGESTS / digest_name(11)
    digest = json.loads(gzip.decompress(other.read_bytes()))
    digest["digestStartTime"] = "0001-01-01T00:00:00+01:00"
    other.write_bytes(gzip.compress(json.dumps(digest).encode()))
    check = check_digests([delivered])
    assert check.unreadable == [f"{other}: not a CloudTrail digest file (ValueError)"]


def test_sources_overlapping_or_under_home_are_read_once(
    delivered: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--source ~/case` (the loader expands ~), and a folder given with one inside it."""
    monkeypatch.setenv("HOME", str(delivered.parent))
    assert check_digests([f"~/{delivered.name}"]).intact()
    (delivered / LOGS / log_name(12)).unlink()
    check = check_digests([delivered, delivered / "AWSLogs"])
    assert check.digests == 3 and check.verified == 2 and len(check.missing) == 1
    assert check.chains[0].endswith("(3 digests)")


async def test_the_end_of_the_load_says_the_logs_were_altered(delivered: Path) -> None:
    """Said as the load ends, on the events view: the responder may never open `:load`."""
    (delivered / LOGS / log_name(11)).unlink()
    app = offline_app(Options(sources=[str(delivered)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: any("ALTERED OR INCOMPLETE" in str(n.message)
                                          for n in app._notifications), "the notice")
        [notice] = [n for n in app._notifications if "ALTERED" in str(n.message)]
        assert notice.severity == "error" and notice.title == "logs against their digests"
        assert isinstance(app.screen, EventsView)
        await pilot.press("colon", *"load", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LoadView) and "named by a "
                       "digest but absent" in " ".join(screen_text(app).split()), "the page")


def test_the_check_runs_after_a_cancelled_load_not_after_quitting(delivered: Path) -> None:
    """C stops the load (its cancel stays set), not the check of the files on disk; the
    app quitting stops both. (C had left `:load` at "checking…" for ever.)"""
    store = EventStore()
    archive = ArchiveSource([str(delivered)], store)
    try:
        archive.load()
        archive.cancel.set()  # as C leaves it
        check = archive.check_integrity()
        assert check is not None and check.intact()
        again = ArchiveSource([str(delivered)], store)
        again.load()
        again.stop()  # the app quits
        assert again.check_integrity() is None
    finally:
        store.close()


def test_region_folders_given_apart_get_the_bucket_roots_verdict(delivered: Path,
                                                                 capsys) -> None:
    """`verify --source …/CloudTrail/REGION --source …/CloudTrail-Digest/REGION`: a log
    added to a digested hour is named as the bucket root names it (it was counted as
    "no digest here covers", unnamed, and the verdict was PARTLY CHECKED)."""
    write_log(delivered, 11, all_records()[:2], unique="INJECTEDINJECTED")
    added = str(delivered / LOGS / log_name(11, "INJECTEDINJECTED"))
    account = delivered / "AWSLogs" / ACCOUNT
    apart = ["--source", str(account / "CloudTrail" / REGION),
             "--source", str(account / "CloudTrail-Digest" / REGION)]
    for sources in (["--source", str(delivered)], apart):
        assert main(["verify", *sources, "--format", "json"]) == 1
        report = json.loads(capsys.readouterr().out)
        assert report["verdict"] == "ALTERED OR INCOMPLETE"
        assert report["unnamed"] == [added] and report["verified"] == 3


def test_each_log_no_digest_covers_is_named(delivered: Path, capsys) -> None:
    """Not checked is said by name, in the text and the JSON, not as a bare count."""
    write_log(delivered, 20, all_records()[:3], unique="YYYYYYYYYYYYYYYY")
    uncovered = str(delivered / LOGS / log_name(20, "YYYYYYYYYYYYYYYY"))
    assert main(["verify", "--source", str(delivered)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[lines.index("No digest here covers (not checked):") + 1] == f"  {uncovered}"
    assert main(["verify", "--source", str(delivered), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["unchecked"] == [uncovered]


def test_a_flattened_copy_is_judged_by_account_and_region(delivered: Path,
                                                           tmp_path_factory) -> None:
    """Logs and digests copied flat (no layout): a log is judged by the digests of its
    account and region, as its name and theirs say; one of another region, though a
    digest names it, is not vouched for by them."""
    write_log(delivered, 11, all_records()[:2], unique="INJECTEDINJECTED")
    flat = tmp_path_factory.mktemp("flat")
    for path in [*(delivered / LOGS).iterdir(), *(delivered / DIGESTS).iterdir()]:
        shutil.copy(path, flat / path.name)
    moved = flat / log_name(10).replace(REGION, "eu-west-1")
    (flat / log_name(10)).rename(moved)
    digest = flat / digest_name(10)
    body = json.loads(gzip.decompress(digest.read_bytes()))
    body["logFiles"][0]["s3Object"] = f"{LOGS}/{moved.name}"
    digest.write_bytes(gzip.compress(json.dumps(body).encode()))
    check = check_digests([flat])
    assert check.unnamed == [str(flat / log_name(11, "INJECTEDINJECTED"))]
    assert check.unchecked == [str(moved)] and check.verified == 2


def test_a_region_with_only_a_backfill_digest_gets_a_verdict(delivered: Path, capsys) -> None:
    """A second region whose only digest at hand is a ``_backfill`` one (its hourly
    digests not copied) and a log that digest does not name: the log it names is
    checked, the other is said not checked (no hourly digest covers its hour), and
    `verify` gives a verdict (it raised KeyError, and so did the check at a load's end)."""
    region = "eu-west-1"
    logs = f"AWSLogs/{ACCOUNT}/CloudTrail/{region}/2024/07/01"
    digests = f"AWSLogs/{ACCOUNT}/CloudTrail-Digest/{region}/2024/07/01"
    (delivered / logs).mkdir(parents=True)
    (delivered / digests).mkdir(parents=True)
    records = all_records()
    named, other = (f"{ACCOUNT}_CloudTrail_{region}_20240701T10{minute}Z_{unique}.json.gz"
                    for minute, unique in (("05", "BACKFILLEDBACKFI"), ("20", "NOTNAMEDNOTNAMED")))
    content = json.dumps({"Records": records[:4]}).encode()
    (delivered / logs / named).write_bytes(gzip.compress(content))
    (delivered / logs / other).write_bytes(
        gzip.compress(json.dumps({"Records": records[4:8]}).encode()))
    key = (f"{digests}/{ACCOUNT}_CloudTrail-Digest_{region}_trail_{region}_"
           "20240701T110000Z_backfill.json.gz")
    backfill = {
        "awsAccountId": ACCOUNT,
        "digestStartTime": "2024-07-01T10:00:00Z", "digestEndTime": "2024-07-01T11:00:00Z",
        "digestS3Bucket": "trail-bucket", "digestS3Object": key,
        "previousDigestS3Bucket": None, "previousDigestS3Object": None,
        "previousDigestHashValue": None,
        "logFiles": [{"s3Bucket": "trail-bucket", "s3Object": f"{logs}/{named}",
                      "hashValue": sha256(content), "hashAlgorithm": "SHA-256"}],
    }
    (delivered / key).write_bytes(gzip.compress(json.dumps(backfill).encode()))
    assert main(["verify", "--source", str(delivered), "--format", "json"]) == 1
    said = capsys.readouterr()
    assert said.err == ""  # (a crash is said there, with the same exit status)
    report = json.loads(said.out)
    assert report["verdict"] == "PARTLY CHECKED" and report["digests"] == 4
    assert report["verified"] == 4 and report["unchecked"] == [str(delivered / logs / other)]
    assert report["unnamed"] == report["unnamed_newest"] == report["chain"] == []
