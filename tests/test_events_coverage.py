"""An events export says what it holds of what was asked, in a sidecar beside it
(``NAME.coverage.txt``): written from real archive files and from the demo account's
Event history, through the headless command's ``--output`` and :func:`write_events`."""

from __future__ import annotations

import contextlib
import io
import json
import os
import stat
import threading
from pathlib import Path

import pytest

from awsir_tui.cli import main
from awsir_tui.commands.output import PARTLY_ANSWERED
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.coverage import archive_coverage, sidecar_path
from awsir_tui.events.event_export import ExportStopped, write_events
from awsir_tui.events.record import from_record
from tests.helpers_events import (
    EndlessSecondInsert,
    all_records,
    four_log_files,
    stopped_in_second_insert,
)

STRATUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cloudtrail" / (
    "stratus-red-team"
)


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def fields(sidecar: Path) -> dict[str, list[str]]:
    """The sidecar's ``key: value`` lines, by key (a key may repeat)."""
    found: dict[str, list[str]] = {}
    for line in sidecar.read_text().splitlines():
        key, _, value = line.partition(": ")
        found.setdefault(key, []).append(value)
    return found


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


def test_write_events_puts_the_coverage_beside_a_pure_jsonl(tmp_path: Path) -> None:
    events = [from_record(r) for r in all_records()[:40]]
    path = tmp_path / "events.jsonl"
    coverage = archive_coverage(["./logs"], "name:RunInstances", "run on the store")
    assert write_events(events, path, "jsonl", coverage=coverage) == 40
    # Every line of the export is still one record; the coverage is its own file.
    assert len([json.loads(line) for line in path.read_text().splitlines()]) == 40
    sidecar = sidecar_path(path)
    assert sidecar.name == "events.jsonl.coverage.txt"
    assert private(path) and private(sidecar)
    info = fields(sidecar)
    assert info["coverage"] == ["COMPLETE"]
    assert info["events written"] == ["40"]
    assert info["filter"] == ["name:RunInstances"]
    # The sidecar names the archive by its absolute path: it is read elsewhere.
    assert info["source"] == [f"archive: {Path('logs').resolve()}"]


def test_a_stopped_export_leaves_neither_file(tmp_path: Path) -> None:
    events = [from_record(r) for r in all_records()] * 20  # past one progress check
    assert len(events) > 5_000
    stop = threading.Event()
    stop.set()
    path = tmp_path / "events.csv"
    with pytest.raises(ExportStopped):
        write_events(events, path, "csv", stop=stop, coverage=archive_coverage([], "", ""))
    assert list(tmp_path.iterdir()) == []


def test_output_from_archives_with_a_limit_says_partial_and_which_files(
    tmp_path: Path,
) -> None:
    """The stratus folder holds a LICENSE file, which is no log: the receiver of the
    export is told it was ignored, and that --limit kept 3 of the matching events."""
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "events.jsonl"
    code, stdout, err = run("events", "--source", str(STRATUS), "--format", "jsonl",
                            "--limit", "3", "--output", str(out))
    assert code == 0, err
    assert stdout == ""
    assert len(out.read_text().splitlines()) == 3
    sidecar = sidecar_path(out)
    assert private(out) and private(sidecar)
    info = fields(sidecar)
    total = sum(1 for p in STRATUS.glob("*.json") for _ in json.loads(p.read_text()))
    (verdict,) = info["coverage"]
    assert verdict.startswith("PARTIAL: ")
    assert verdict == f"PARTIAL: stopped at --limit 3 of {total:,}"
    (ignored,) = info["file ignored, not a log"]
    assert "LICENSE" in ignored and "not JSON" in ignored
    assert info["matching events"] == [f"{total:,} (--limit 3)"]
    assert f"coverage in {sidecar}" in err and "PARTIAL" in err


def test_output_from_event_history_names_the_failed_region_and_the_cap(
    demo: DemoServer, tmp_path: Path,
) -> None:
    denied = next(r for r in demo.regions if r != demo.facts.proxy_region)
    out = tmp_path / "runs.csv"
    with demo.denying(denied):
        code, stdout, err = run(
            "events", "--endpoint-url", demo.endpoint_url, "--regions", ",".join(demo.regions),
            "--filter", "name:RunInstances", "--format", "csv", "--limit", "2",
            "--output", str(out),
        )
    assert code == PARTLY_ANSWERED, err  # written, but a region denied
    assert stdout == ""
    assert len(out.read_text().splitlines()) == 3  # the header and 2 events
    info = fields(sidecar_path(out))
    (verdict,) = info["coverage"]
    assert verdict.startswith("PARTIAL: only complete after ")
    assert f"{denied}: denied" in verdict
    assert info["regions asked"] == [", ".join(demo.regions)]
    assert [line.split(":")[0] for line in info["region failed"]] == [denied]
    assert info["read"] == ["stopped at the cap of 2 matching events; more match"]
    assert info["filter"] == ["name:RunInstances"]
    assert info["range asked"][0].endswith("Z") and " to " in info["range asked"][0]


def test_output_of_a_whole_event_history_read_says_complete(
    demo: DemoServer, tmp_path: Path,
) -> None:
    out = tmp_path / "runs.jsonl"
    code, _, err = run(
        "events", "--endpoint-url", demo.endpoint_url, "--regions", ",".join(demo.regions),
        "--filter", "name:RunInstances", "--format", "jsonl", "--output", str(out),
    )
    assert code == 0, err
    expected = {r["eventID"] for r in demo.records if r.get("eventName") == "RunInstances"}
    assert {json.loads(line)["eventID"] for line in out.read_text().splitlines()} == expected
    info = fields(sidecar_path(out))
    assert info["coverage"] == ["COMPLETE"]
    assert info["read"] == ["finished"]
    assert info["regions read to the end"] == [", ".join(demo.regions)]
    assert info["events written"] == [f"{len(expected):,}"]


def test_output_that_cannot_be_written_fails_and_leaves_nothing(tmp_path: Path) -> None:
    """The coverage file's name is taken by a folder: with --force the command tries,
    cannot write it, and leaves no export without its coverage."""
    out = tmp_path / "events.csv"
    sidecar_path(out).mkdir()
    code, _, err = run("events", "--source", str(STRATUS), "--output", str(out), "--force")
    assert code == 1
    assert f"cannot write {out}" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [sidecar_path(out).name]
    assert list(sidecar_path(out).iterdir()) == []


@pytest.mark.parametrize("parent", ["missing", "file"])
def test_output_in_a_folder_that_is_not_there_is_refused_and_makes_nothing(
    tmp_path: Path, parent: str
) -> None:
    """A mistyped folder is a usage error (exit 2, one line), not a folder made
    silently where nobody will look for the evidence."""
    if parent == "file":
        (tmp_path / "file").write_text("")
    out = tmp_path / parent / "sub" / "events.csv"
    code, stdout, err = run("events", "--source", str(STRATUS), "--output", str(out))
    assert code == 2
    assert stdout == ""
    (line,) = err.splitlines()
    assert line.startswith(f"awsir-tui: --output {out}: no such folder {out.parent}")
    assert sorted(p.name for p in tmp_path.iterdir()) == (["file"] if parent == "file" else [])


def test_output_never_replaces_an_earlier_export_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    out.write_text("the earlier export\n")
    code, _, err = run("events", "--source", str(STRATUS), "--format", "jsonl",
                       "--output", str(out))
    assert code == 2
    assert err == f"awsir-tui: --output {out}: {out} already exists (--force replaces it)\n"
    assert out.read_text() == "the earlier export\n"
    assert not sidecar_path(out).exists()
    # Its coverage file alone is an earlier export's too.
    out.unlink()
    sidecar_path(out).write_text("coverage: COMPLETE\n")
    code, _, err = run("events", "--source", str(STRATUS), "--output", str(out))
    assert code == 2 and f"{sidecar_path(out)} already exists" in err
    assert not out.exists()
    # --force replaces both, and says so.
    out.write_text("the earlier export\n")
    code, _, err = run("events", "--source", str(STRATUS), "--format", "jsonl",
                       "--output", str(out), "--force")
    assert code == 0, err
    assert "the earlier export" not in out.read_text()
    assert fields(sidecar_path(out))["coverage"] == ["COMPLETE"]  # LICENSE: not a log
    assert f"replaced the earlier {out} (--force)" in err
    assert f"replaced the earlier {sidecar_path(out)} (--force)" in err


def test_files_that_are_not_logs_leave_the_export_complete(tmp_path: Path) -> None:
    """The shared folder: every event of its logs, beside a README and a LICENSE. The
    export is every event: COMPLETE, the two listed as ignored; a log cut short beside
    them still makes it PARTIAL."""
    out = tmp_path / "events.jsonl"
    code, _, err = run("events", "--source", str(STRATUS.parent), "--format", "jsonl",
                       "--output", str(out))
    assert code == 0, err
    assert len(out.read_text().splitlines()) == 310
    info = fields(sidecar_path(out))
    assert info["coverage"] == ["COMPLETE"]
    assert sorted(Path(line.split(": ")[0]).name
                  for line in info["file ignored, not a log"]) == ["LICENSE", "README.md"]
    assert "file skipped" not in info
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "README.md").write_text("# the incident's logs\n")
    (folder / "cut.json").write_text('{"Records": [{"eventVersion": "1.08", ')
    out = tmp_path / "cut.jsonl"
    code, _, err = run("events", "--source", str(folder), "--output", str(out))
    info = fields(sidecar_path(out))
    assert info["coverage"] == ["PARTIAL: 1 file not read whole"]
    assert "invalid JSON" in info["file skipped"][0]
    assert "README.md" in info["file ignored, not a log"][0]


def test_output_names_a_relative_source_by_its_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = next(STRATUS.glob("*.json"))
    (tmp_path / "trail.json").write_bytes(good.read_bytes())
    monkeypatch.chdir(tmp_path)
    code, _, err = run("events", "--source", "trail.json", "--output", "events.csv")
    assert code == 0, err
    info = fields(sidecar_path(tmp_path / "events.csv"))
    assert info["source"] == [f"archive: {tmp_path.resolve() / 'trail.json'}"]
    assert info["coverage"] == ["COMPLETE"]


def test_the_coverage_redacts_a_secret_in_the_filter_and_in_a_file_left_out(
    tmp_path: Path,
) -> None:
    """A responder searches a leaked session token as a bare word; a file left out has
    a password in its name, and so in the loader's reason: the sidecar says neither."""
    token = "FwoGZXIvYXdzEJr" + "Q7xK2mP9" * 5
    folder = tmp_path / "logs"
    folder.mkdir()
    good = next(STRATUS.glob("*.json"))
    (folder / "good.json").write_bytes(good.read_bytes())
    (folder / "password=hunter2.json").write_text('{"Records": [{"eventVersion": "1.08", ')
    out = tmp_path / "events.jsonl"
    code, _, err = run("events", "--source", str(folder), "--filter", f"-{token}",
                       "--format", "jsonl", "--output", str(out))
    assert code == PARTLY_ANSWERED, err  # the damaged file not read
    text = sidecar_path(out).read_text()
    assert token not in text and "hunter2" not in text
    # What the command said on stderr (the filter, the file it skipped) too.
    assert "password=**REDACTED**" in err and "hunter2" not in err
    assert token[:20] not in err
    info = fields(sidecar_path(out))
    assert info["filter"] == ["-**REDACTED**"]
    (skipped,) = info["file skipped"]
    assert "password=**REDACTED**" in skipped and "invalid JSON" in skipped


def test_argument_errors_on_stderr_are_redacted_too(tmp_path: Path) -> None:
    """The errors said before a command runs (a missing folder, a bad region, a store
    that is no store) quote the arguments, which can hold a secret."""
    missing = tmp_path / "nodir" / "password=hunter2.jsonl"
    code, _, err = run("events", "--source", str(STRATUS), "--output", str(missing))
    assert code == 2 and "nodir" in err, err
    assert "hunter2" not in err and "password=**REDACTED**" in err
    code, _, err = run("instances", "--regions", "password=hunter2")
    assert code != 0 and "hunter2" not in err, err
    store = tmp_path / "password=hunter2.duckdb"
    store.write_text("not a store\n")
    code, _, err = run("events", "--store", str(store))
    assert code == 2 and "hunter2" not in err, err


def test_a_store_reopened_alone_says_what_its_loads_left_out(tmp_path: Path) -> None:
    """The load that filled the store skipped a file: the store keeps the load's
    report, so an export made from it reopened alone says PARTIAL and names the file
    (it said COMPLETE, then UNKNOWN); a later load of the same folder that reads it
    whole settles it."""
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "good.json").write_text(json.dumps({"Records": all_records()[:20]}))
    (logs / "cut.json").write_text('{"Records": [oops')
    store = tmp_path / "case.duckdb"
    code, _, err = run("events", "--source", str(logs), "--store", str(store),
                       "--output", str(tmp_path / "first.jsonl"))
    assert code == PARTLY_ANSWERED and "PARTIAL: 1 file not read whole" in err, err
    out = tmp_path / "again.jsonl"
    code, _, err = run("events", "--store", str(store), "--output", str(out))
    assert code == PARTLY_ANSWERED, err
    info = fields(sidecar_path(out))
    [verdict] = info["coverage"]
    assert verdict.startswith(f"PARTIAL: an earlier load, of {logs} (loaded 20"), verdict
    assert verdict.endswith("left 1 file not read whole"), verdict
    assert "(PARTIAL: an earlier load" in err
    [source] = info["source"]
    assert source.startswith(f"archive: a --store file reopened, holding the events of its "
                             f"loads of {logs} (loaded "), source
    [skipped] = info["file skipped"]
    assert skipped.startswith(f"{logs / 'cut.json'}: "), skipped
    assert info["earlier load"][0].startswith(f"{logs} (loaded 20")

    (logs / "cut.json").write_text(json.dumps({"Records": all_records()[20:30]}))
    code, _, err = run("events", "--source", str(logs), "--store", str(store),
                       "--output", str(tmp_path / "mended.jsonl"))
    assert code == 0 and "(COMPLETE)" in err, err
    code, _, err = run("events", "--store", str(store), "--output", str(tmp_path / "last.jsonl"))
    assert code == 0 and "(COMPLETE)" in err, err
    assert len(fields(sidecar_path(tmp_path / "last.jsonl"))["earlier load"]) == 2


def test_a_store_reopened_alone_says_no_load_ran(tmp_path: Path) -> None:
    """Reopened with no --source, nothing is read: the sidecar said "load: loaded 0
    events (0 new) from 0 files", as if a load had found nothing, beside the events
    the store's earlier load brought in. It has no load line now (as the app's
    coverage of a reopened store has none): the earlier load is said, and its events."""
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "good.json").write_text(json.dumps({"Records": all_records()[:20]}))
    store = tmp_path / "case.duckdb"
    code, _, err = run("events", "--source", str(logs), "--store", str(store),
                       "--output", str(tmp_path / "first.jsonl"))
    assert code == 0 and "(COMPLETE)" in err, err
    out = tmp_path / "again.jsonl"
    code, _, err = run("events", "--store", str(store), "--output", str(out))
    assert code == 0 and "20 events written" in err and "(COMPLETE)" in err, err
    info = fields(sidecar_path(out))
    assert "load" not in info, info["load"]
    [earlier] = info["earlier load"]
    assert earlier.startswith(f"{logs} (loaded 20"), earlier
    assert ": loaded 20 events (20 new) from 1 file" in earlier


def test_a_store_without_kept_loads_says_its_coverage_is_unknown(tmp_path: Path) -> None:
    """A store file filled before loads were kept in it (here: events added, no load):
    what its loads left out cannot be told, so an export from it says UNKNOWN."""
    from awsir_tui.events.store import EventStore

    path = tmp_path / "old.duckdb"
    with EventStore(path) as store:
        store.add_events(from_record(r) for r in all_records()[:5])
    out = tmp_path / "old.jsonl"
    code, _, err = run("events", "--store", str(path), "--output", str(out))
    assert code == 0, err
    [verdict] = fields(sidecar_path(out))["coverage"]
    assert verdict.startswith("UNKNOWN: a --store file filled (in part) before")
    assert "(UNKNOWN: a --store file filled (in part) before" in err


def test_a_cancelled_load_s_coverage_says_how_many_files_it_did_not_reach() -> None:
    from awsir_tui.events.loader import LoadReport

    report = LoadReport(files_read=597, cancelled=True, not_reached=1747)
    coverage = archive_coverage(["s3://trail"], "", "run on the store", report=report)
    assert coverage.partial() == ["the load was cancelled (1,747 files not reached)"]


def test_a_cancelled_load_is_kept_as_one_in_the_store(tmp_path: Path) -> None:
    """A load stopped before its end (here: cancelled before its first file; the app
    quitting leaves the same, written when the load starts) leaves the store's events
    partial for whoever reopens it, until a load of the same folder reads it whole."""
    from awsir_tui.events.load_history import stored_loads
    from awsir_tui.events.loader import load
    from awsir_tui.events.store import EventStore

    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "good.json").write_text(json.dumps({"Records": all_records()[:20]}))
    path = tmp_path / "case.duckdb"
    stop = threading.Event()
    stop.set()
    with EventStore(path) as store:
        load([logs], store, cancel=stop)
    with EventStore(path) as store:
        [kept] = stored_loads(store)
        coverage = archive_coverage([], "", "run on the store", earlier=[kept])
        assert coverage.verdict().startswith(f"PARTIAL: an earlier load, of {logs} (loaded ")
        assert coverage.verdict().endswith("), was cancelled")
        assert "did not finish" not in kept.label() + kept.report.summary()
        load([str(logs)], store)
        assert archive_coverage([], "", "run", earlier=stored_loads(store)).verdict() == "COMPLETE"


def test_a_load_the_app_stopped_during_says_it_did_not_finish(tmp_path: Path) -> None:
    """The app quitting (EventStore.stop() interrupts the load's INSERT), or killed,
    leaves only the report the load kept as it started: the store reopened says that
    load started then and did not finish, not that it was loaded at its start time and
    cancelled by the responder."""
    from awsir_tui.events.load_history import stored_loads
    from awsir_tui.events.loader import load
    from awsir_tui.events.store import EventStore

    logs = tmp_path / "logs"
    logs.mkdir()
    records = four_log_files(logs)
    path = tmp_path / "case.duckdb"
    with EndlessSecondInsert(path) as store:
        loading = threading.Thread(target=load, args=([logs], store))
        stopped_in_second_insert(store, loading)
        assert store.stopped and not loading.is_alive()
    out = tmp_path / "again.jsonl"
    code, _, err = run("events", "--store", str(path), "--output", str(out))
    assert code == PARTLY_ANSWERED, err
    assert f"awsir-tui: kept from {logs} (started 20" in err, err
    assert (", did not finish): did not finish (the app stopped during it): the events it "
            f"stored are kept, at least {len(records):,} from 1 file; 3 files not reached\n"
            ) in err, err
    info = fields(sidecar_path(out))
    [verdict] = info["coverage"]
    assert verdict.startswith(f"PARTIAL: an earlier load, of {logs} (started 20"), verdict
    assert verdict.endswith(", did not finish), was stopped with the app (quit or killed "
                            "during it)"), verdict
    assert "cancelled" not in verdict and "(loaded " not in verdict
    assert info["earlier load"][0].startswith(f"{logs} (started 20")
    assert info["events written"] == [f"{len(records):,}"]  # the first batch, kept
    with EventStore(path) as store:  # a load of the same folder that ends settles it
        [unfinished] = stored_loads(store)
        assert unfinished.report.unfinished and not unfinished.read_everything()
        # Kept by an earlier awsir-tui (no such field): still read, as a cancelled load.
        kept = json.loads(store.loads()[0][2])
        del kept["unfinished"]
        store.cursor().execute("UPDATE loads SET report = ?", [json.dumps(kept)])
        [older] = stored_loads(store)
        assert older.recorded and older.report.cancelled and not older.report.unfinished
        assert older.label().startswith(f"{logs} (loaded 20")
        load([logs], store)
        assert archive_coverage([], "", "run", earlier=stored_loads(store)).verdict() == "COMPLETE"


def filled_for_a_range(logs: Path, store: Path) -> Path:
    """``store`` filled by ``events --after`` from a folder ``logs`` of 20 records: a
    load that read only part of its sources."""
    logs.mkdir()
    (logs / "good.json").write_text(json.dumps({"Records": all_records()[:20]}))
    code, _, err = run("events", "--source", str(logs), "--store", str(store),
                       "--after", "2019-01-01", "--format", "jsonl")
    assert code == 0, err
    return store


def test_a_store_filled_for_a_time_range_never_passes_for_the_whole_archive(
    tmp_path: Path,
) -> None:
    """`events --after` reads only the files that can hold that range: the store it
    filled, reopened alone, says so rather than COMPLETE."""
    logs = tmp_path / "logs"
    store = filled_for_a_range(logs, tmp_path / "case.duckdb")
    out = tmp_path / "again.jsonl"
    code, _, err = run("events", "--store", str(store), "--output", str(out))
    assert code == PARTLY_ANSWERED, err
    [verdict] = fields(sidecar_path(out))["coverage"]
    assert verdict.startswith(f"PARTIAL: an earlier load, of {logs} (loaded "), verdict
    assert verdict.endswith("read only from 2019-01-01T00:00:00Z"), verdict
    assert "only from 2019-01-01T00:00:00Z" in err  # the load said so as it kept it


def test_a_store_filled_before_loads_were_kept_stays_unknown_after_a_new_load(
    tmp_path: Path,
) -> None:
    """A store file of an earlier awsir-tui (no ``loads`` table) whose load skipped a
    file: a clean load added to it later must not make its events look complete."""
    from awsir_tui.events.store import EventStore

    path = tmp_path / "old.duckdb"
    with EventStore(path) as store:
        store.add_events(from_record(r) for r in all_records()[:5])
        store.cursor().execute("DROP TABLE loads")  # as an earlier version made it
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "good.json").write_text(json.dumps({"Records": all_records()[5:15]}))
    code, _, err = run("events", "--source", str(logs), "--store", str(path), "--format", "jsonl")
    assert code == 0, err
    out = tmp_path / "again.jsonl"
    code, _, err = run("events", "--store", str(path), "--output", str(out))
    assert code == 0, err
    [verdict] = fields(sidecar_path(out))["coverage"]
    assert verdict.startswith("UNKNOWN: a --store file filled (in part) before"), verdict


def test_a_damaged_kept_report_is_unknown_and_shown_clean(tmp_path: Path) -> None:
    """The store file is the responder's, and evidence: a kept report changed by hand
    (wrong types, a terminal escape, a forged line) neither crashes nor reaches stderr
    or the sidecar as written."""
    from awsir_tui.events.store import EventStore

    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "good.json").write_text(json.dumps({"Records": all_records()[:5]}))
    path = tmp_path / "case.duckdb"
    assert run("events", "--source", str(logs), "--store", str(path), "--format", "jsonl")[0] == 0
    with EventStore(path) as store:
        store.cursor().execute("UPDATE loads SET report = ?", [json.dumps(
            {"skipped": "ab", "bounds": "x\u001b[31mRED\nfake: line"})])
    out = tmp_path / "again.jsonl"
    code, _, err = run("events", "--store", str(path), "--output", str(out))
    assert code == 0, err
    assert "\x1b" not in err and "\nfake: line" not in err
    text = sidecar_path(out).read_text()
    assert "\x1b" not in text and "\nfake: line" not in text
    [verdict] = fields(sidecar_path(out))["coverage"]
    assert verdict.startswith("UNKNOWN: "), verdict
    with EventStore(path) as store:  # a report of the right types, escapes in its text
        store.cursor().execute("UPDATE loads SET report = ?", [json.dumps(
            {"bounds": "x\u001b[31mRED\nfake: line"})])
    code, _, err = run("events", "--store", str(path), "--output", str(out), "--force")
    assert code == 0 and "\x1b" not in err and "\nfake: line" not in err, err
    text = sidecar_path(out).read_text()
    assert "\x1b" not in text and "\nfake: line" not in text


def test_a_store_reopened_alone_keeps_no_load_of_its_own(tmp_path: Path) -> None:
    """`:findings` on a store reopened alone asks the archive to load (nothing to
    read): that must not be kept as a load that read everything, which made a store
    of an earlier awsir-tui say COMPLETE."""
    from awsir_tui.events.load_history import stored_loads
    from awsir_tui.events.sources import ArchiveSource
    from awsir_tui.events.store import EventStore

    path = tmp_path / "old.duckdb"
    with EventStore(path) as store:
        store.add_events(from_record(r) for r in all_records()[:5])
        store.cursor().execute("DROP TABLE loads")
    with EventStore(path) as store:
        archive = ArchiveSource([], store)
        report = archive.load()
        assert report.events == 0 and not archive.loading
        [kept] = stored_loads(store)
        assert not kept.recorded
        coverage = archive_coverage([], "", "run on the store", earlier=archive.earlier)
        assert coverage.verdict().startswith("UNKNOWN: ")


def test_a_folder_named_in_no_utf8_is_the_same_source_load_after_load(tmp_path: Path) -> None:
    """The store keeps a path that is not UTF-8 as DuckDB can store it; the next load of
    the same folder, read whole, settles the first one only if it names it the same
    way (it compared the surrogates, and stayed PARTIAL)."""
    logs = Path(os.fsdecode(bytes(tmp_path) + b"/logs-\xff"))
    store = filled_for_a_range(logs, tmp_path / "case.duckdb")
    out = tmp_path / "again.jsonl"
    code, _, err = run("events", "--source", str(logs), "--store", str(store),
                       "--output", str(out))
    assert code == 0, err
    [verdict] = fields(sidecar_path(out))["coverage"]
    assert verdict == "COMPLETE", verdict


def test_a_cancelled_load_is_settled_by_a_later_one_that_reached_every_file(
    tmp_path: Path,
) -> None:
    """QA: a cancelled load, then the whole folder loaded again, which skips its one
    damaged file: the store stayed 'was cancelled' for ever. The later load came to
    every file; what it could not read it names itself."""
    from awsir_tui.events.load_history import stored_loads
    from awsir_tui.events.loader import load
    from awsir_tui.events.store import EventStore

    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "good.json").write_text(json.dumps({"Records": all_records()[:20]}))
    (logs / "cut.json").write_text('{"Records": [oops')
    path = tmp_path / "case.duckdb"
    stop = threading.Event()
    stop.set()
    with EventStore(path) as store:
        load([logs], store, cancel=stop)
        load([logs], store)
    with EventStore(path) as store:
        verdict = archive_coverage([], "", "run", earlier=stored_loads(store)).verdict()
    assert verdict.startswith("PARTIAL: an earlier load"), verdict
    assert verdict.endswith("left 1 file not read whole"), verdict
    assert "was cancelled" not in verdict, verdict
