"""Known CloudTrail event names, for the planner to send a start of one as the whole.

LookupEvents matches an EventName whole and with case, while ``name:`` means "contains"
everywhere else: ``name:RunInst`` typed as on an archive found nothing. An API call's
event name is its operation's name (ec2's RunInstances), so a catalogue of operations
tells which whole names a start stands for. The catalogue is data handed in (the data
layer reads it from botocore, :mod:`awsir_tui.aws.event_names`): this module stays pure.
Names AWS logs that no API model holds (ConsoleLogin, CheckMfa) are not in it, and a
term the catalogue does not know is planned as it always was.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping


class EventNames:
    """Event names by event source (``ec2.amazonaws.com``: RunInstances, ...)."""

    def __init__(self, by_source: Mapping[str, tuple[str, ...]]) -> None:
        self.by_source = dict(by_source)
        names = {name for group in by_source.values() for name in group}
        #: (lower case, name) sorted: a start's names are one run of it (bisect).
        self._lowered = sorted((name.lower(), name) for name in names)
        self._whole = frozenset(lower for lower, _ in self._lowered)

    def __len__(self) -> int:
        return len(self._lowered)

    def is_whole(self, value: str) -> bool:
        """Whether ``value`` is a known name whole, in any case."""
        return value.lower() in self._whole

    def starting_with(self, start: str, source: str | None = None) -> tuple[str, ...]:
        """The known names starting with ``start`` in any case, shortest first (the
        likeliest meant: DescribeInstances before DescribeInstanceCreditSpecifications),
        then in order. With ``source``
        (a part of an event source, as ``source:ec2`` holds it), the names of the event
        sources containing it, if any starts so: the filter keeps only their events."""
        lower = start.lower()
        first = bisect.bisect_left(self._lowered, (lower, ""))
        found: list[str] = []
        for lowered, name in self._lowered[first:]:
            if not lowered.startswith(lower):
                break
            if not found or found[-1] != name:
                found.append(name)
        found.sort(key=len)
        if source:
            wanted = source.lower()
            theirs = {name for key, group in self.by_source.items() if wanted in key
                      for name in group}
            preferred = [name for name in found if name in theirs]
            if preferred:
                return tuple(preferred)
        return tuple(found)

    def completions(self, value: str, source: str | None = None) -> tuple[str, ...]:
        """The whole names the value of a ``name:`` contains-term stands for as their
        start: () when it is a known name whole (sent, or not, as typed), when it starts
        none (ConsoleLogin, a console-only name, is planned as ever), and when it is in
        upper case alone, the form a hint uses to read every event and match it here
        (AWS never writes an event name so)."""
        if value.upper() == value or self.is_whole(value):
            return ()
        return self.starting_with(value, source)
