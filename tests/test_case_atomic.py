"""Killing the app in the middle of saving leaves a complete case file.

A child process saves a case and is SIGKILLed: at random points of a save loop, and
deterministically at every step of a save (half-way through writing the temporary file,
before each rename, before the directory fsync). Each time the case must load intact.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from awsir_tui.case import Case, CaseStore

ROOT = Path(__file__).resolve().parents[1]

# Saves forever, counting saves in ``place`` and reporting each finished save on stdout.
LOOP_WRITER = """
import sys
from awsir_tui.case import Case, CaseStore
store = CaseStore(sys.argv[1])
case = store.load("killed")
for n in range(500):
    case.mark(f"i-{n:017x}", source="instances", region="us-east-1", note="x" * 200)
saves = 0
while True:
    saves += 1
    case.place = {"saves": saves}
    case.add_note(f"save {saves}")
    store.save(case)
    print(saves, flush=True)
"""

# Saves twice; SIGKILLs itself at the Nth call of one step of the save (argv[2], argv[3]).
STEP_WRITER = """
import os, signal, sys
from awsir_tui.case import Case, CaseStore
step, when = sys.argv[2], int(sys.argv[3])
calls = {"replace": 0, "fsync": 0, "write": 0}
real_replace, real_fsync, real_fdopen = os.replace, os.fsync, os.fdopen

def die_at(name):
    calls[name] += 1
    if name == step and calls[name] == when:
        os.kill(os.getpid(), signal.SIGKILL)

def replace(*args, **kwargs):
    die_at("replace")
    return real_replace(*args, **kwargs)

def fsync(fd):
    die_at("fsync")
    return real_fsync(fd)

class HalfWriter:
    def __init__(self, handle):
        self.handle = handle
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return self.handle.__exit__(*exc)
    def write(self, text):
        self.handle.write(text[: len(text) // 2])
        self.handle.flush()
        die_at("write")
        return self.handle.write(text[len(text) // 2 :])
    def __getattr__(self, name):
        return getattr(self.handle, name)

os.replace, os.fsync = replace, fsync
os.fdopen = lambda *a, **k: HalfWriter(real_fdopen(*a, **k))
store = CaseStore(sys.argv[1])
case = store.load("killed")
for n in range(500):
    case.mark(f"i-{n:017x}", source="instances", region="us-east-1")
for saves in (1, 2):
    case.place = {"saves": saves}
    store.save(case)
print("finished", flush=True)
"""


def test_sigkill_at_random_points_of_a_save_loop(tmp_path):
    for attempt, extra_delay in enumerate((0.0, 0.003, 0.011)):
        directory = tmp_path / f"run{attempt}"
        writer = subprocess.Popen(
            [sys.executable, "-c", LOOP_WRITER, str(directory)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert writer.stdout is not None
            while int(writer.stdout.readline()) < 3:
                pass
            time.sleep(extra_delay)
            os.kill(writer.pid, signal.SIGKILL)
        finally:
            writer.wait(timeout=30)
        assert writer.returncode == -signal.SIGKILL

        case = CaseStore(directory).load("killed")
        saves = case.place["saves"]
        assert saves >= 3
        assert len(case.indicators) == 500
        assert [n.text for n in case.notes] == [f"save {n}" for n in range(1, saves + 1)]


# (step, which call, the save that must be on disk afterwards). Save 1 makes: write,
# fsync(file), replace(tmp->case), fsync(dir). Save 2: write, fsync(file),
# replace(case->.bak), replace(tmp->case), fsync(dir).
KILL_POINTS = [
    ("write", 2, 1),  # half-way through writing save 2's temporary file
    ("fsync", 3, 1),  # save 2 written, not yet synced
    ("replace", 2, 1),  # before moving save 1 to .bak
    ("replace", 3, 1),  # between the two renames: only the .bak holds a case
    ("fsync", 4, 2),  # both renames done, directory not yet synced
]


@pytest.mark.parametrize(("step", "when", "expected"), KILL_POINTS)
def test_sigkill_at_each_step_of_a_save(tmp_path, step, when, expected):
    result = subprocess.run(
        [sys.executable, "-c", STEP_WRITER, str(tmp_path), step, str(when)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert "finished" not in result.stdout
    case = CaseStore(tmp_path).load("killed")
    assert case.place == {"saves": expected}
    assert len(case.indicators) == 500


def test_case_files_and_the_folders_made_for_them_are_private(tmp_path):
    """A case names the account and everything found in it: its file, its backup and
    the folders made for them are the owner's alone; a folder that was there already
    keeps the mode its owner gave it."""
    tmp_path.chmod(0o755)
    store = CaseStore(tmp_path / "data" / "cases")
    store.save(Case("c"))
    store.save(Case("c"))  # the first save becomes the backup
    for path in (store.path_for("c"), store.backup_for("c")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder in (tmp_path / "data", tmp_path / "data" / "cases"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755
