"""`:indicators`' count of the loaded events naming each indicator: one query per
indicator (:func:`loaded_naming`, what the view runs) against one scan for all (the
peer: a ``count``, ``min`` and ``max`` ``FILTER`` per indicator over the filters'
flags), over the same store in the same run.

Loads an archive from bench/make_archive.py into the default store, takes indicators
of every kind the view counts from its busiest values (access keys, addresses, users:
field filters; instance IDs: a full-text filter, the raw record read), and times both
ways in 5 interleaved rounds, every other one in reverse order. Prints a Markdown row
of medians; asserts nothing.

    .venv/bin/python bench/bench_indicator_counts.py [--size 1000000] [--each 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from make_archive import archive  # noqa: E402

from awsir_tui.case.model import Case  # noqa: E402
from awsir_tui.events.loader import load  # noqa: E402
from awsir_tui.events.naming import loaded_naming, naming_filters  # noqa: E402
from awsir_tui.events.sources import StoreSource  # noqa: E402
from awsir_tui.events.store import EventStore  # noqa: E402
from awsir_tui.query import EVENT_FIELDS, parse  # noqa: E402

ROUNDS = 5
#: Kind of indicator, and the store's column its values are taken from.
COLUMNS = {"access-key": "access_key_id", "ip": "source_ip", "user": "user_name"}


def indicators(store: EventStore, each: int) -> Case:
    """A case holding the ``each`` busiest values of each column, and as many instance
    IDs from the resources."""
    case = Case("bench")
    for kind, column in COLUMNS.items():
        for value, _ in store.stack([column], f"{column} <> ''", limit=each):
            case.mark(str(value), kind)
    for value, _ in store.stack(["resources"], limit=200):
        if str(value).startswith("i-") and len(case.indicators) < (len(COLUMNS) + 1) * each:
            case.mark(str(value), "instance-id")
    return case


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--each", type=int, default=5)
    args = parser.parse_args()
    store = EventStore()
    load([archive(args.size)], store)
    source = StoreSource(store)
    case = indicators(store, args.each)

    def one_scan() -> None:
        """The peer: every indicator's count and times in one statement."""
        wheres = [source.select(parse(text, EVENT_FIELDS))
                  for text in naming_filters(case.indicators.values()).values()]
        flags = ", ".join(f"({w.where}) AS f{n}" for n, w in enumerate(wheres))
        sums = ", ".join(f"count(*) FILTER (WHERE f{n}), min(t) FILTER (WHERE f{n}), "
                         f"max(t) FILTER (WHERE f{n})" for n in range(len(wheres)))
        params = [p for w in wheres for p in w.params]
        store.cursor().execute(
            f"SELECT {sums} FROM (SELECT event_time AS t, {flags} FROM events)", params
        ).fetchone()

    ways: dict[str, Callable[[], object]] = {
        "one query each": lambda: dict(
            loaded_naming(naming_filters(case.indicators.values()), source)),
        "one scan": one_scan,
    }
    times: dict[str, list[float]] = {name: [] for name in ways}
    for round_ in range(ROUNDS):
        order = list(ways) if round_ % 2 == 0 else list(reversed(ways))
        for name in order:
            started = time.perf_counter()
            ways[name]()
            times[name].append(time.perf_counter() - started)
    each, one = (statistics.median(times[name]) for name in ways)
    print("| events | indicators | one query each (s) | one scan (s) | scan / each |")
    print("|---|---|---|---|---|")
    print(f"| {store.count():,} | {len(case.indicators)} | {each:.2f} | {one:.2f} "
          f"| {one / each:.1f}x |")
    store.close()


if __name__ == "__main__":
    main()
