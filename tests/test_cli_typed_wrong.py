"""What the headless CLI makes of what a responder types wrong at 3 a.m., through the
real command: an empty ``--source``, ``--rules`` (any option naming a path, a profile,
a case, an endpoint or a time) or ``--regions`` (an unset variable), a region in
capitals, and Ctrl-C during a load."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from awsir_tui.cli import main
from awsir_tui.demo.server import DemoServer
from tests.helpers_events import all_records

#: The console script of this checkout's environment.
AWSIR = str(Path(sys.executable).parent / "awsir-tui")


def run_in(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([AWSIR, *args], cwd=folder, capture_output=True, text=True,
                          timeout=120, check=False)


def test_an_empty_source_is_refused_not_read_as_the_current_folder(tmp_path: Path) -> None:
    """``--source "$DIR"`` with DIR unset: the folder the command was typed in was
    loaded, everything below it, and its logs answered as if they were the archive."""
    (tmp_path / "here.json").write_text(json.dumps(all_records()))
    ran = run_in(tmp_path, "--source", "", "events", "--format", "jsonl")
    assert (ran.returncode, ran.stdout) == (2, "")
    assert ran.stderr == "awsir-tui: --source '' names no file or folder (an unset variable?)\n"


@pytest.mark.parametrize(
    ("args", "refusal"),
    [
        (("--rules", "", "findings"), "--rules '' names no folder"),
        (("findings", "--rules", ""), "--rules '' names no folder"),
        (("--store", "", "events"), "--store '' names no file"),
        (("--s3-cache", "", "events"), "--s3-cache '' names no folder"),
        (("events", "--output", ""), "--output '' names no file"),
        (("--profile", "", "instances"), "--profile '' names no profile"),
        (("--endpoint-url", "", "instances"), "--endpoint-url '' names no endpoint"),
        (("events", "--since", ""), "--since '' names no duration"),
        (("events", "--after", ""), "--after '' names no time"),
        (("events", "--before", ""), "--before '' names no time"),
    ],
)
def test_every_empty_name_is_refused_as_an_empty_source_is(
    tmp_path: Path, args: tuple[str, ...], refusal: str
) -> None:
    """Review: only ``--source ''`` was refused; ``--rules "$RULES"`` with RULES unset
    ran the rules of the folder the command was typed in, ``--since ''`` read every
    event, ``--endpoint-url ''`` left the endpoint the user meant, each with exit 0."""
    (tmp_path / "here.json").write_text(json.dumps(all_records()))
    ran = run_in(tmp_path, "--demo", *args, "--format", "jsonl")
    assert (ran.returncode, ran.stdout) == (2, "")
    assert ran.stderr == f"awsir-tui: {refusal} (an unset variable?)\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here.json"]


def run(demo: DemoServer, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--endpoint-url", demo.endpoint_url])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("regions", ["", ",", " , "])
def test_regions_that_name_none_are_refused_not_read_as_every_region(
    demo: DemoServer, capsys: pytest.CaptureFixture[str], regions: str
) -> None:
    code, out, err = run(demo, capsys, "instances", "--regions", regions)
    assert (code, out) == (2, "")
    assert err == (f"awsir-tui: --regions {regions!r} names no region (give e.g. us-east-1, "
                   "or 'all' for every enabled region)\n")


def test_a_region_in_capitals_is_read_as_aws_names_it(
    demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    region = demo.regions[0]
    code, lower, err = run(demo, capsys, "instances", "--regions", region, "--format", "jsonl")
    assert code == 0, err
    code, upper, err = run(demo, capsys, "instances", "--regions", region.upper(),
                           "--format", "jsonl")
    assert (code, err) == (0, "")
    assert lower.strip() and upper == lower


def test_one_unknown_region_is_said_in_the_singular(
    demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(demo, capsys, "instances", "--regions", "us-west-9")
    assert (code, out) == (2, "")
    assert err == "awsir-tui: us-west-9: not a region this account knows\n"


# Early and midway into a load of a few seconds: a signal 1.5 s in came, on a quiet
# machine, as the export's last file was written and the process was exiting.
@pytest.mark.parametrize("after", [0.2, 0.8])
def test_ctrl_c_during_a_load_says_interrupted_and_leaves_no_output(
    tmp_path: Path, after: float
) -> None:
    """SIGINT while DuckDB ran a statement of the load ended in DuckDB's own error:
    "failed: RuntimeError: Query interrupted", exit 1, as if the tool had broken."""
    archive = tmp_path / "logs"
    archive.mkdir()
    document = json.dumps({"Records": all_records()})
    for copy in range(300):  # long enough a load to be inside when the signal comes
        (archive / f"copy{copy:03}.json").write_text(document)
    store, output = tmp_path / "case.duckdb", tmp_path / "out.csv"
    process = subprocess.Popen(
        [AWSIR, "--source", str(archive), "--store", str(store), "events",
         "--format", "csv", "--output", str(output)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while not store.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # the store is made as the load starts
    time.sleep(after)
    assert process.poll() is None, "the load ended before it could be interrupted"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, out, err) == (130, "", "awsir-tui: interrupted\n")
    assert not output.exists()
    assert not Path(f"{output}.coverage.txt").exists()
