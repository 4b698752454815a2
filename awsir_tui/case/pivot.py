"""Where Enter on an indicator goes: the view and the filter that find what it is.

The indicators view lists values; the responder wants "the events of that key", "that
instance", "that group". Each pivot is a view name (the ``:`` command) and a filter in
the shared filter language, built with :func:`awsir_tui.query.quote` so that any value,
quotes and colons included, stays one literal value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from awsir_tui.case.indicator import Indicator
from awsir_tui.query import quote


@dataclass(frozen=True, slots=True)
class Pivot:
    """Open ``view`` (``events``, ``instances``, ``sg``, ``keys``) filtered by ``filter``."""

    view: str
    filter: str
    label: str


# kind -> (view, field or "" for a bare word matching anywhere, exact match, label)
_ROUTES: dict[str, tuple[tuple[str, str, bool, str], ...]] = {
    "instance-id": (
        ("instances", "id", True, "the instance"),
        ("events", "", False, "events naming it, as a resource or as a session's name"),
    ),
    "security-group": (
        ("sg", "id", True, "the security group"),
        ("instances", "sg", True, "instances in it"),
        ("events", "", False, "events naming it"),
    ),
    "key-pair": (
        ("keys", "", False, "the key pair"),
        ("instances", "key", True, "instances launched with it"),
        ("events", "", False, "events naming it"),
    ),
    "fingerprint": (("keys", "fingerprint", True, "the key pair"),),
    "access-key": (("events", "key", True, "events made with this key"),),
    "ip": (
        ("events", "ip", False, "events from this address"),
        ("instances", "ip", False, "instances with this address"),
    ),
    "user": (("events", "user", True, "events by this user"),),
    "user-agent": (("events", "agent", True, "events with this user agent"),),
    "ami": (
        ("instances", "ami", True, "instances from this image"),
        ("events", "", False, "events naming it"),
    ),
    "event-id": (("events", "id", True, "the event"),),
}
_ANYWHERE = (("events", "", False, "events mentioning it"),)

#: A role session's name as STS allows it (RoleSessionName).
_SESSION = r"([\w+=,.@-]{2,64})"
#: A role session's caller: its principal ID (``AROA…:SESSION``, the role's ID and the
#: session's name) or its ARN (``arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION``).
_ROLE_SESSION = re.compile(
    rf"AROA[0-9A-Z]{{16,17}}:{_SESSION}"
    rf"|arn:aws[a-z-]*:sts::[0-9]{{12}}:assumed-role/[\w+=,.@-]{{1,64}}/{_SESSION}"
)
#: The kinds a role session's principal ID (``user``, as an event page marks it) or ARN
#: (``arn``, as guessed) is marked as.
_SESSION_KINDS = ("user", "arn")


def role_session(value: str) -> str:
    """The session's name when ``value`` is a role session's principal ID or ARN, by its
    shape, else "": what Event history calls the session's user name, and LookupEvents
    looks up (Username); the principal ID or ARN itself it cannot."""
    match = _ROLE_SESSION.fullmatch(value)
    return next((name for name in match.groups() if name), "") if match else ""


def session_filter(value: str) -> str | None:
    """The events of the role session ``value`` names (:func:`role_session`), None when
    it names none: its user name, which is sent (LookupEvents' Username), and beside it
    ``value`` itself, filtered here, which says whose session of that name (two roles
    may have one each). ``user:="AROA…:i-…"`` alone read every event of ±1 day."""
    session = role_session(value)
    return f"user:={quote(session)} user:={quote(value)}" if session else None


def pivots(indicator: Indicator) -> list[Pivot]:
    """The places to open for ``indicator``, the most direct first. A role session's
    principal ID or ARN, first its session's events (:func:`session_filter`); an ARN
    then the events mentioning it (its AssumeRole among them). A tag's value is
    searched for in the events as it is (its key is no part of a record), the menu
    naming the tag, then the instances that carry that tag (``tag:=Name=x``)."""
    found = []
    session = session_filter(indicator.value) if indicator.kind in _SESSION_KINDS else None
    if session is not None:
        found.append(Pivot("events", session, "events of this role session"))
    keys = indicator.tag_keys()
    for view, field, exact, label in _ROUTES.get(indicator.kind, _ANYWHERE):
        if session is not None and (view, field) == ("events", "user"):
            continue  # the session's own, above
        value = quote(indicator.value)
        text = f"{field}:{'=' if exact else ''}{value}" if field else value
        named = f"{label} (the value of the tag {', '.join(keys)})" if keys else label
        found.append(Pivot(view, text, named))
    found += [
        Pivot("instances", f"tag:={quote(key)}={quote(indicator.value)}",
              f"instances with the tag {key}={indicator.value}")
        for key in keys
    ]
    return found


def events_filter(indicator: Indicator) -> str | None:
    """The filter Enter's pivot to ``:events`` opens for ``indicator`` (the first, the
    most direct), or None when its kind has none (a fingerprint): what "the events
    naming it" means, wherever they are counted, so that a count and the list Enter
    opens never disagree."""
    return next((p.filter for p in pivots(indicator) if p.view == "events"), None)
