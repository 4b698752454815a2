"""Running one read across many regions, each region's outcome kept apart.

A denied or throttled region must never sink the others, and the first region to answer
should be on screen before the slowest one is done: results are yielded as they come.
boto3 is blocking, so each region's work runs in a worker thread; the semaphore bounds
how many run at once (2 cores, and AWS rate limits per account).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

from awsir_tui.aws.errors import Failure, classify

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RegionOutcome(Generic[T]):
    """One region's result, or why it has none."""

    region: str
    value: T | None = None
    failure: Failure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


async def fan_out(
    regions: Iterable[str], work: Callable[[str], T], limit: int = 8
) -> AsyncIterator[RegionOutcome[T]]:
    """Run ``work(region)`` for every region concurrently; yield outcomes as they finish."""
    semaphore = asyncio.Semaphore(limit)
    # asyncio's default pool has only cpu+4 threads (6 on 2 cores), so I/O-bound regions
    # beyond that would wait a whole round trip: give the fan-out ``limit`` threads.
    pool = ThreadPoolExecutor(max_workers=limit, thread_name_prefix="fan-out")
    loop = asyncio.get_running_loop()

    async def one(region: str) -> RegionOutcome[T]:
        async with semaphore:
            try:
                return RegionOutcome(region, value=await loop.run_in_executor(pool, work, region))
            except Exception as exc:  # every failure is an outcome, never an abort
                return RegionOutcome(region, failure=classify(exc))

    tasks = [asyncio.ensure_future(one(region)) for region in regions]
    try:
        for finished in asyncio.as_completed(tasks):
            yield await finished
    finally:
        for task in tasks:
            task.cancel()
        pool.shutdown(wait=False, cancel_futures=True)


async def gather_regions(
    regions: Iterable[str], work: Callable[[str], T], limit: int = 8
) -> list[RegionOutcome[T]]:
    """All outcomes of :func:`fan_out`, for callers that need the whole picture."""
    return [outcome async for outcome in fan_out(regions, work, limit)]
