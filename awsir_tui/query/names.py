"""Known CloudTrail event names, for the planner to send a part of one as the whole.

LookupEvents matches an EventName whole and with case, while ``name:`` means "contains"
everywhere else: ``name:RunInst`` typed as on an archive found nothing. An API call's
event name is its operation's name (ec2's RunInstances), so a catalogue of operations
tells which whole names a part stands for. The catalogue is data handed in (the data
layer reads it from botocore, :mod:`awsir_tui.aws.event_names`): this module stays pure.
Names AWS logs that no API model holds (ConsoleLogin, CheckMfa, Lambda's
UpdateFunctionCode20150331v2) are not in it: a term the catalogue does not know is
planned as it always was, and one it completes may also be in such a name, which is why
the status line says what was sent and the hint how to read every event.
"""

from __future__ import annotations

from collections.abc import Mapping


class EventNames:
    """Event names by event source (``ec2.amazonaws.com``: RunInstances, ...)."""

    def __init__(self, by_source: Mapping[str, tuple[str, ...]]) -> None:
        self.by_source = dict(by_source)
        names = {name for group in by_source.values() for name in group}
        #: (lower case, name), for a case-blind search of them.
        self._lowered = sorted((name.lower(), name) for name in names)
        self._whole = frozenset(lower for lower, _ in self._lowered)
        self._names = frozenset(names)

    def __len__(self) -> int:
        return len(self._lowered)

    def is_whole(self, value: str) -> bool:
        """Whether ``value`` is a known name whole, in any case."""
        return value.lower() in self._whole

    def containing(self, part: str, source: str | None = None) -> tuple[str, ...]:
        """The known names holding ``part`` in any case, as ``name:`` matches here: those
        starting with it first, each group shortest first (the likeliest meant:
        DescribeInstances before DescribeInstanceCreditSpecifications), then in order.
        With ``source`` (a part of an event source, as ``source:ec2`` holds it), the
        names of the event sources containing it, if any holds ``part``: the filter
        keeps only their events."""
        lower = part.lower()
        found = {name for lowered, name in self._lowered if lower in lowered}
        if source:
            wanted = source.lower()
            theirs = {name for key, group in self.by_source.items() if wanted in key
                      for name in group}
            found = found & theirs or found
        return tuple(sorted(found, key=lambda name: (
            not name.lower().startswith(lower), len(name), name)))

    def completions(self, value: str, source: str | None = None) -> tuple[str, ...]:
        """The whole names the value of a ``name:`` contains-term stands for: every
        known name holding it (``name:Group`` starts GroupResources alone, but is in
        CreateSecurityGroup and 590-odd more: sending the one it starts would leave out
        what the filter means). () when it is a known name as AWS writes it (sent, or
        not, as typed; ``name:runinstances`` is completed), when none holds it
        (ConsoleLogin, a console-only name, is planned as ever), and when it is in upper
        case alone, the form a hint uses to read every event and match it here (AWS
        never writes an event name so)."""
        if value.upper() == value or value in self._names:
            return ()
        return self.containing(value, source)
