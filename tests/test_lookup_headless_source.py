"""``awsir-tui events --source``: the same filter answered from an archive folder."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from awsir_tui.cli import main

STRATUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cloudtrail" / (
    "stratus-red-team"
)


def records() -> list[dict[str, object]]:
    return [r for p in sorted(STRATUS.glob("*.json")) for r in json.loads(p.read_text())]


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_source_folder_answers_the_filter_as_jsonl_newest_first() -> None:
    code, out, err = run(
        "events", "--source", str(STRATUS), "--filter", "name:RunInstances", "--format", "jsonl"
    )
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    expected = {r["eventID"] for r in records() if r.get("eventName") == "RunInstances"}
    assert {r["eventID"] for r in lines} == expected
    times = [r["eventTime"] for r in lines]
    assert times == sorted(times, reverse=True)
    # The folder's LICENSE file is reported, not fatal.
    assert "LICENSE" in err and "ran in the local event store" in err


def test_a_filter_may_begin_with_a_negated_term() -> None:
    """``--filter '-error:*'`` is a filter, not an unknown option."""
    code, out, err = run(
        "events", "--source", str(STRATUS), "--filter", "-error:*", "--format", "jsonl"
    )
    assert code == 0, err
    expected = {r["eventID"] for r in records() if not r.get("errorCode")}
    assert {json.loads(line)["eventID"] for line in out.splitlines()} == expected
    assert len(expected) < len(records())


def test_source_with_limit_says_how_many_more() -> None:
    code, out, err = run("events", "--source", str(STRATUS), "--format", "csv", "--limit", "3")
    assert code == 0, err
    assert len(out.splitlines()) == 4
    assert "stopped at --limit 3 of" in err


def test_missing_source_is_reported_naming_it_once(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope")
    code, out, err = run("events", "--source", missing, "--format", "jsonl")
    assert code == 1 and out == ""
    [line] = [line for line in err.splitlines() if "no such file or folder" in line]
    assert line == f"awsir-tui: {missing}: no such file or folder"


def test_session_tokens_never_reach_the_output() -> None:
    """CloudTrail logs GetFederationToken's session token; it must not leave the tool."""
    token = json.loads(
        (STRATUS / "aws.persistence.sts-federation-token.json").read_text()
    )
    secret = next(
        r["responseElements"]["credentials"]["sessionToken"]
        for r in token
        if (r.get("responseElements") or {}).get("credentials", {}).get("sessionToken")
    )
    for fmt in ("jsonl", "json", "csv", "table"):
        code, out, err = run(
            "events", "--source", str(STRATUS), "--filter", "name:GetFederationToken",
            "--format", fmt,
        )
        assert code == 0, err
        assert out.strip()
        assert secret not in out and secret[:40] not in out
    code, out, _ = run("events", "--source", str(STRATUS), "--filter", "name:GetFederationToken",
                       "--format", "jsonl")
    assert "**REDACTED**" in out


def test_a_store_file_alone_reopens_the_case(tmp_path: Path) -> None:
    """``--store FILE`` keeps a load; ``--store FILE`` alone answers from it, with no
    archive read and no AWS credentials."""
    store = tmp_path / "case.duckdb"
    code, _, err = run("events", "--source", str(STRATUS), "--store", str(store))
    assert code == 0, err
    code, out, err = run(
        "events", "--store", str(store), "--filter", "name:RunInstances", "--format", "jsonl"
    )
    assert code == 0, err
    expected = {r["eventID"] for r in records() if r.get("eventName") == "RunInstances"}
    assert {json.loads(line)["eventID"] for line in out.splitlines()} == expected
    assert "310 events kept" in err and "LICENSE" not in err  # nothing was read


def test_a_secret_in_a_shown_field_is_redacted_in_csv_and_table(tmp_path: Path) -> None:
    """The CSV and table columns quote fields the attacker writes (here the user name)."""
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    record = dict(records()[0])
    record["userIdentity"] = {"type": "IAMUser", "userName": f"aws_secret_access_key={secret}"}
    (tmp_path / "log.json").write_text(json.dumps({"Records": [record]}))
    for fmt in ("csv", "table"):
        code, out, err = run("events", "--source", str(tmp_path), "--format", fmt)
        assert code == 0, err
        assert "aws_secret_access_key" in out and secret not in out, fmt


def test_the_store_file_and_what_duckdb_writes_beside_it_are_private(tmp_path: Path) -> None:
    """--store keeps every event (evidence, maybe secrets in request parameters)."""
    store = tmp_path / "case.duckdb"
    code, _, err = run("events", "--source", str(STRATUS), "--store", str(store),
                       "--format", "csv", "--limit", "1")
    assert code == 0, err
    made = [p for p in tmp_path.iterdir() if p.name.startswith("case.duckdb")]
    assert store in made
    assert all(p.stat().st_mode & 0o077 == 0 for p in made), [
        (p.name, oct(p.stat().st_mode)) for p in made]
