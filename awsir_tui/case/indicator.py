"""Indicators: the values a responder marks while investigating, and where each was seen.

The blog post the tool grew from keeps "a text file of all of the indicators that you have
extracted" and later searches the logs for them. An :class:`Indicator` is one line of that
file with the context a text file loses: its kind (so that Enter can pivot to the right
view), every place it was seen, and when.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from awsir_tui.detect.addresses import is_ip

#: Every kind an indicator can have; "other" is the honest answer when the value is unknown.
#: ``tag`` is a tag's value, marked where the page knows the row is a tag (never guessed:
#: a tag's value is anyone's to write, and may look like a user agent or an ID).
KINDS: tuple[str, ...] = (
    "instance-id",
    "security-group",
    "key-pair",
    "fingerprint",
    "access-key",
    "ip",
    "arn",
    "user",
    "user-agent",
    "ami",
    "volume",
    "interface",
    "event-id",
    "bucket",
    "tag",
    "other",
)

# Ordered: the first pattern that matches decides. IDs are matched case-insensitively
# because real (and anonymised) logs carry mixed-case IDs such as i-786a3A8B5C0d92eF4.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("arn", re.compile(r"^arn:aws[a-z-]*:", re.IGNORECASE)),
    ("instance-id", re.compile(r"^i-[0-9a-z]{4,17}$", re.IGNORECASE)),
    ("security-group", re.compile(r"^sg-[0-9a-z]{4,17}$", re.IGNORECASE)),
    ("ami", re.compile(r"^ami-[0-9a-z]{4,17}$", re.IGNORECASE)),
    ("key-pair", re.compile(r"^key-[0-9a-z]{4,17}$", re.IGNORECASE)),
    ("volume", re.compile(r"^vol-[0-9a-z]{4,17}$", re.IGNORECASE)),
    ("interface", re.compile(r"^eni-[0-9a-z]{4,17}$", re.IGNORECASE)),
    ("access-key", re.compile(r"^(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|AIPA)[0-9A-Z]{12,124}$")),
    # MD5 (imported keys) or SHA-1 (AWS-created keys) colon-hex, or OpenSSH SHA256:...
    (
        "fingerprint",
        re.compile(
            r"^([0-9a-f]{2}:){15,19}[0-9a-f]{2}$|^SHA256:[A-Za-z0-9+/]{43}=?$", re.IGNORECASE
        ),
    ),
    (
        "event-id",
        re.compile(
            r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE
        ),
    ),
    ("bucket", re.compile(r"^s3://[a-z0-9.-]{3,63}/?", re.IGNORECASE)),
)


def _is_ip(value: str) -> bool:
    """An address, or a CIDR range (``203.0.113.0/24``) which marks as an IP too."""
    return is_ip(value.split("/", 1)[0] if value.count("/") == 1 else value)


def guess_kind(value: str) -> str:
    """The most likely indicator kind of ``value`` (``"other"`` when nothing fits).

    Used when the responder marks a free value; a view that knows the column's meaning
    passes the kind itself and this guess is not consulted.
    """
    text = value.strip()
    if not text:
        return "other"
    if _is_ip(text):
        return "ip"
    for kind, pattern in _PATTERNS:
        if pattern.search(text):
            return kind
    # User agents are long and carry a product/version token and usually spaces.
    if "/" in text and (" " in text or "(" in text) and len(text) > 12:
        return "user-agent"
    return "other"


def normalise_value(kind: str, value: str) -> str:
    """The form used to merge sightings: trimmed, and ``s3://`` dropped from buckets.

    Case is kept: AWS IDs are case-sensitive in anonymised data and the evidence must
    read exactly as it was seen.
    """
    text = value.strip()
    if kind == "bucket" and text.lower().startswith("s3://"):
        text = text[5:].split("/", 1)[0]
    return text


@dataclass(frozen=True, slots=True)
class Sighting:
    """One place an indicator was seen: the view or source, the region, the resource
    or event ID that carried it and, for a tag's value, the tag's key (``Name``): the
    value alone (``[bold red]x[/] [/``) does not say which tag the attacker wrote."""

    source: str
    region: str = ""
    ref: str = ""
    tag: str = ""

    def to_dict(self) -> dict[str, str]:
        """Its JSON form; ``tag`` only where there is one (a case file written before
        tags' keys were kept reads back the same)."""
        found = {"source": self.source, "region": self.region, "ref": self.ref}
        return {**found, "tag": self.tag} if self.tag else found

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sighting:
        return cls(
            str(data.get("source", "")), str(data.get("region", "")), str(data.get("ref", "")),
            str(data.get("tag") or ""),
        )

    def label(self) -> str:
        """``source region ref [tag key]`` for reports, each said once: without empty
        parts, and without a region or ref that the source already names (the event
        view's source is ``event DescribeInstances 394cf343-…`` and its ref that same
        event ID, which a report would otherwise print twice)."""
        named = self.source.split()
        extra = [part for part in (self.region, self.ref) if part and part not in named]
        tag = [f"tag {self.tag}"] if self.tag else []
        return " ".join(part for part in (self.source, *extra, *tag) if part)


def _time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def from_the_data(sighting: Sighting) -> bool:
    """Whether a sighting is one the data gave a time to: a value or an event marked in
    the events (``events``, ``event RunInstances 394cf343-…``)."""
    return sighting.source == "events" or sighting.source.startswith("event ")


@dataclass(slots=True)
class Indicator:
    """A marked value with its kind, where it was seen, a note, and two kinds of time.

    ``first_seen``/``last_seen`` are when the data shows the value (an event's time),
    None when it was marked where no time goes with it (a list of groups); ``marked`` is
    when the responder first marked it. A report that calls the second "first seen"
    dates an instance launched an hour earlier to the moment ``m`` was pressed.
    """

    kind: str
    value: str
    sightings: list[Sighting] = field(default_factory=list)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    note: str = ""
    marked: datetime | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.value)

    def tag_keys(self) -> list[str]:
        """The keys of the tags it was the value of, in the order seen (none for any
        other kind of value)."""
        return list(dict.fromkeys(s.tag for s in self.sightings if s.tag))

    def shown(self) -> str:
        """The value as a responder reads it: a tag's with its key (``Name=x``; keys of
        two tags of the same value joined by ``, ``), any other as it is. The value
        itself stays the tag's value: what a search of the events or a sweep of logs
        looks for."""
        keys = self.tag_keys()
        return f"{', '.join(keys)}={self.value}" if keys else self.value

    def add_sighting(
        self, sighting: Sighting | None, seen: datetime | None, marked: datetime | None = None
    ) -> None:
        """Record one more sighting, seen in the data at ``seen`` (None: no time known),
        marked at ``marked``; repeated identical sightings are kept once."""
        if sighting is not None and sighting not in self.sightings:
            self.sightings.append(sighting)
        if marked is not None and (self.marked is None or marked < self.marked):
            self.marked = marked
        if seen is not None:
            if self.first_seen is None or seen < self.first_seen:
                self.first_seen = seen
            if self.last_seen is None or seen > self.last_seen:
                self.last_seen = seen

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "value": self.value,
            "sightings": [s.to_dict() for s in self.sightings],
            "first_seen": _iso(self.first_seen),
            "last_seen": _iso(self.last_seen),
            "marked": _iso(self.marked),
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Indicator:
        """An indicator from its JSON form. One saved before the marking time was kept
        apart (no ``marked``) and seen only outside the events had that time as its
        first and last seen: it is read as the marking time, and the data's as unknown."""
        kind = str(data.get("kind", "other"))
        indicator = cls(
            kind=kind if kind in KINDS else "other",
            value=str(data.get("value", "")),
            sightings=[
                Sighting.from_dict(s) for s in data.get("sightings") or [] if isinstance(s, dict)
            ],
            first_seen=_time(data.get("first_seen")),
            last_seen=_time(data.get("last_seen")),
            note=str(data.get("note") or ""),
            marked=_time(data.get("marked")),
        )
        if "marked" not in data and not any(map(from_the_data, indicator.sightings)):
            indicator.marked, indicator.first_seen, indicator.last_seen = (
                indicator.first_seen, None, None)
        return indicator
