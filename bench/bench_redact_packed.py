"""Redaction of a field an attacker packed with secrets' names, against plain text.

Every string written or shown goes through :func:`redact_text`. An attacker who writes a
field of an event (a tag, a user agent, a policy) can pack it with secrets' names
(``token:token:…``, ``password keyName:keyName:…``, ``/token=/token=…``): each name
starts a value that runs to the same end, and reading that run again for each name made
the redaction quadratic (a 40 kB field took 11 to 17 s, 10 to 27 times as long as one
of 10 kB: the app froze on one event). A private key's BEGIN line repeated with no
END did the same (each looked to the end for an END). This times each packed text
against its peer, text of the same size holding as many names in ordinary prose
(``token: x ``), in the same run, for sizes growing fourfold: linear redaction keeps
each ratio flat as the size grows, a quadratic one multiplies it by four a row. Rounds
are interleaved, medians printed as a Markdown table. No speed
is asserted.

    .venv/bin/python bench/bench_redact_packed.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from awsir_tui.case.secrets import redact_text  # noqa: E402

ROUNDS = 5
SIZES = (10_000, 40_000, 160_000)
#: Each packing, by the unit it repeats.
PACKED = {
    "token:": "token:",
    "password keyName:": "keyName:",
    "/token=": "/token=",
    "BEGIN lines": "-----BEGIN PRIVATE KEY-----",
}
PEER_UNIT = "token: x "


def text(unit: str, size: int, head: str = "") -> str:
    """``head`` and ``unit`` repeated to ``size`` characters."""
    return head + unit * (size // len(unit))


def seconds(value: str) -> float:
    """The seconds one :func:`redact_text` over ``value`` takes."""
    started = time.perf_counter()
    redact_text(value)
    return time.perf_counter() - started


def timed(packed: str, peer: str) -> tuple[float, float]:
    """The median seconds :func:`redact_text` takes over ``packed`` and over ``peer``,
    their rounds taken in turn: a burst of other work on the machine slows both."""
    runs = [(seconds(packed), seconds(peer)) for _ in range(ROUNDS)]
    return (statistics.median(run[0] for run in runs),
            statistics.median(run[1] for run in runs))


def main() -> None:
    print("| packing | size (chars) | packed ms | peer ms | packed / peer |")
    print("|---|---:|---:|---:|---:|")
    for name, unit in PACKED.items():
        head = "password " if name.startswith("password") else ""
        for size in SIZES:
            packed, peer = timed(text(unit, size, head), text(PEER_UNIT, size))
            print(f"| `{name}` | {size:,} | {packed * 1e3:.1f} | {peer * 1e3:.1f} "
                  f"| {packed / peer:.2f} |")


if __name__ == "__main__":
    main()
