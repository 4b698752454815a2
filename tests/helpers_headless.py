"""Running the command line as a user's terminal sees it: on a pseudo-terminal."""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import pty
import struct
import subprocess
import sys
import termios
from dataclasses import dataclass


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


def run_on_terminal(args: list[str], columns: int, *, stream: str = "stdout") -> Ran:
    """``awsir-tui ARGS`` in a subprocess whose ``stream`` ("stdout" or "stderr") is a
    pseudo-terminal ``columns`` wide and whose other stream is a pipe. What the
    terminal got is returned as written (the terminal's CR LF line ends as LF)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {name: value for name, value in os.environ.items() if name != "COLUMNS"}
    process = subprocess.Popen(
        [sys.executable, "-m", "awsir_tui", *args], stdin=subprocess.DEVNULL, env=env,
        stdout=slave if stream == "stdout" else subprocess.PIPE,
        stderr=slave if stream == "stderr" else subprocess.PIPE,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 1 << 16)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    pipe = process.stdout if stream == "stderr" else process.stderr
    assert pipe is not None
    other = pipe.read().decode()
    code = process.wait(timeout=120)
    shown = b"".join(chunks).decode().replace("\r\n", "\n")
    return Ran(code, shown, other) if stream == "stdout" else Ran(code, other, shown)


def run_cli(*args: str) -> tuple[int, str, str]:
    """``awsir-tui ARGS`` in this process: its exit code, stdout and stderr."""
    from awsir_tui.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()
