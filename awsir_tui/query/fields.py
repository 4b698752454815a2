"""What each filter field means, for each kind of object the app filters.

One table per view: CloudTrail events (``Event`` objects), EC2 instances, security
groups and key pairs (AWS's own dicts plus ``"Region"``, for groups and keys
``"UsedBy"``, for groups ``"OpenToWorld"``, for instances whose profile was read from IAM
``"RoleNames"``). A field
says how to read its value(s) from an object (for the Python predicate) and, for
events, which event-store columns hold it (for SQL) and which LookupEvents attribute
can match it server-side (for the planner). Keeping all three in one row is what keeps
the three backends agreeing on what ``user:`` means.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime
from operator import attrgetter
from typing import Any, Literal

from awsir_tui.query.times import to_datetime
from awsir_tui.sg_rules import OPEN_TO_WORLD, text_ports

#: How a field's values are read and compared.
#: text/ip/list: a tuple of strings (substring or exact, case-insensitive);
#: bool: ``True``/``False``/``None``; time: an aware datetime or None (bounded by
#: since/after/before, or given dates: ``launched:2026-11-29`` is that UTC day); port: a
#: tuple of inclusive ``(from, to)`` port ranges.
Kind = Literal["text", "time", "bool", "ip", "list", "port"]

#: Words that are not fields but time bounds on the table's time field.
TIME_KEYWORDS = ("since", "after", "before")
TAG_KEYWORD = "tag"


@dataclass(frozen=True, slots=True)
class Field:
    """One filterable field of one kind of object."""

    name: str
    kind: Kind
    description: str
    #: Reads the value(s) from an object; the return type depends on ``kind``.
    get: Callable[[Any], Any]
    aliases: tuple[str, ...] = ()
    #: Event-store columns that hold the value (any of them may match); a ``list``
    #: field's column is a VARCHAR[]. Empty when the field is not in the store.
    sql: tuple[str, ...] = ()
    #: The LookupEvents attribute that can match this field exactly on AWS's side.
    lookup: str | None = None
    #: For a field with at most one value: that value ("" if none), without building a
    #: tuple; the predicate uses it to stay close to a hand-written lambda's speed.
    one: Callable[[Any], str] | None = None
    #: For a true/false field that is about ports (``open:``): the inclusive port ranges
    #: its "true" holds for, so that it also takes a port or a range (``open:22``, read
    #: as ``port:`` reads one) and answers for those ports alone.
    ports: Callable[[Any], tuple[tuple[int, int], ...]] | None = None


@dataclass(frozen=True)
class FieldTable:
    """The fields of one view, plus how bare words, tags and time bounds apply."""

    name: str
    fields: tuple[Field, ...]
    #: The strings a bare word is searched in (each separately, case-insensitively).
    anywhere: Callable[[Any], Iterable[str]]
    #: The field that since:/after:/before: bound, if the view has a time.
    time: str | None = None
    #: ``(key, value)`` pairs of the object's tags, if the view has tags.
    tags: Callable[[Any], Iterable[tuple[str, str]]] | None = None
    #: The raw record (JSON text) and its store column, for views that keep one: a
    #: bare word then reads only the raw record when that is enough (see raw_is_enough).
    raw: Callable[[Any], str] | None = None
    raw_sql: str | None = None
    _index: dict[str, Field] = dataclass_field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, Field] = {}
        for spec in self.fields:
            for key in (spec.name, *spec.aliases):
                if key in index or key in TIME_KEYWORDS or key == TAG_KEYWORD:
                    raise ValueError(f"{self.name}: field name {key!r} is used twice")
                index[key] = spec
        object.__setattr__(self, "_index", index)

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    def field(self, name: str) -> Field | None:
        """The field called ``name`` (or one of its aliases), case-insensitively."""
        return self._index.get(name.lower())

    def words(self) -> tuple[str, ...]:
        """Every word that may come before a ``:`` in this view (for errors and help)."""
        extra = TIME_KEYWORDS if self.time else ()
        return (*self._index, *extra, *((TAG_KEYWORD,) if self.tags else ()))


#: Characters that JSON writers may escape (``\"``, ``\/``, ``\u00e9``, and Go's
#: ``\u003c`` for ``<>&``, some writers' ``\u0027``): a word holding one may be in a flat
#: field but not appear as typed in the raw JSON text.
_JSON_PLAIN = frozenset(chr(c) for c in range(0x20, 0x7F)) - frozenset('"\\/<>&\'')


def raw_is_enough(needle: str) -> bool:
    """Whether searching a record's raw JSON for ``needle`` also covers its flat fields.

    Every flat field of an event is read from the raw record, so a word in a field is in
    the raw text too, unless the word has a character that JSON may write escaped.
    The predicate and the SQL both search the raw text alone exactly when this holds
    and the raw text is a JSON object (starts with ``{``): the full-text search then
    reads one column instead of sixteen, and both still give the same answer.
    """
    return all(c in _JSON_PLAIN for c in needle)


def fields_help(fields: FieldTable) -> list[tuple[str, str]]:
    """``(syntax, description)`` rows for the help screen of a view."""
    rows: list[tuple[str, str]] = []
    for spec in fields:
        if spec.kind == "time":
            # A date, not a duration: the rows of since:/after:/before: bound a range.
            rows.append((f"{spec.name}:2026-11-29",
                         f"{spec.description} on that day (UTC); a,b: either day"))
            continue
        names = ", ".join(f"{n}:" for n in (spec.name, *spec.aliases))
        rows.append((names, spec.description))
    if fields.tags:
        rows.append(("tag:K=V", "tag K (exact key, any case) whose value contains V"))
        rows.append(("tag:K", "has tag K; tag:=K=V: the value is exactly V"))
    if fields.time:
        time_spec = fields.field(fields.time)
        what = time_spec.description if time_spec else fields.time
        rows.append(("since:2h", f"{what} in the last 2h (units s m h d w)"))
        rows.append(("after:2019-08-09 12:00",
                     f"{what} at or after (a date, a time may follow; UTC if no Z/offset)"))
        rows.append(("before:2019-08-10T12:00Z", f"{what} before"))
    rows.extend(
        [
            ("word", "bare word: matches any field" + (", the raw JSON too" if fields.raw
                                                       else "")),
            ('"two words"', "quotes group words: \"Access Denied\", name:\"a b\"; in "
                            "them \\\" is a quote, \\x1b a control as the screen shows it"),
            ("field:value", "value contains (any case); field:=value is exact (any case)"),
            ("field:Run*", "a * at either end is allowed and changes nothing (contains)"),
            ("field:a,b", "either value"),
            ("field:*", "has a non-empty value (a true/false field: is true); "
                        "-field:* has none"),
            ("-term", "negation: -name:x (NOT name:x, !name:x) leaves out what name:x "
                      "finds"),
            ("a OR b", "either term (a || b); terms side by side are ANDed (a AND b, "
                       "a && b); operators are upper case: quote \"or\" to search the word"),
        ]
    )
    return rows


# --- reading AWS dicts safely: attacker data may have any shape ------------------------


def _str(value: object) -> str:
    """A scalar as text; anything else (None, dicts, lists) as the empty string."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None or isinstance(value, dict | list | tuple):
        return ""
    return str(value)


def _dig(obj: object, *path: str) -> object:
    for key in path:
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(key)
    return obj


def _items(obj: object, key: str) -> list[Mapping[str, Any]]:
    value = obj.get(key) if isinstance(obj, Mapping) else None
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _texts(*values: object) -> tuple[str, ...]:
    return tuple(text for text in map(_str, values) if text)


def _scalar(name: str, description: str, path: tuple[str, ...],
            aliases: tuple[str, ...] = ()) -> Field:
    """A text field holding the one scalar at ``path`` in an AWS dict."""
    return Field(name, "text", description, lambda obj: _texts(_dig(obj, *path)), aliases,
                 one=lambda obj: _str(_dig(obj, *path)))


def _aws_tags(obj: object) -> Iterable[tuple[str, str]]:
    pairs = ((_str(t.get("Key")), _str(t.get("Value"))) for t in _items(obj, "Tags"))
    return [(key, value) for key, value in pairs if key]


def _tag(name: str) -> Callable[[Any], tuple[str, ...]]:
    lowered = name.lower()
    return lambda obj: tuple(v for k, v in _aws_tags(obj) if k.lower() == lowered and v)


def _listed(key: str) -> Callable[[Any], tuple[str, ...]]:
    """The strings of the list at ``key`` (one the inventory or IAM added), or ()."""

    def get(obj: object) -> tuple[str, ...]:
        value = obj.get(key) if isinstance(obj, Mapping) else None
        return _texts(*value) if isinstance(value, list | tuple) else ()

    return get


_used_by = _listed("UsedBy")
_open_ports = _listed(OPEN_TO_WORLD)


def _time(*path: str) -> Callable[[Any], datetime | None]:
    return lambda obj: to_datetime(_dig(obj, *path))


_LEAF_LIMIT = 2000
_DEPTH_LIMIT = 8


def _leaves(obj: object) -> list[str]:
    """Every scalar in a dict, as text: what a bare word searches in an AWS object."""
    out: list[str] = []

    def walk(value: object, depth: int) -> None:
        if len(out) >= _LEAF_LIMIT or depth > _DEPTH_LIMIT:
            return
        if isinstance(value, Mapping):
            for item in value.values():
                walk(item, depth + 1)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item, depth + 1)
        elif isinstance(value, datetime | date):
            out.append(value.isoformat())
        else:
            text = _str(value)
            if text:
                out.append(text)

    walk(obj, 0)
    return out


def _region(description: str) -> Field:
    return _scalar("region", description, ("Region",))


def _used_fields(what: str) -> tuple[Field, ...]:
    return (
        Field("used", "bool", f"true if any instance uses the {what}",
              lambda obj: bool(_used_by(obj))),
        Field("instance", "list", f"an instance that uses the {what}", _used_by,
              aliases=("instances",)),
    )


# --- CloudTrail events ------------------------------------------------------------------


def _column(name: str, kind: Kind, description: str, column: str,
            aliases: tuple[str, ...] = (), lookup: str | None = None) -> Field:
    """An event field held in one ``Event`` attribute, which is also the store's column."""
    read = attrgetter(column)
    return Field(name, kind, description, lambda event: (read(event),), aliases, (column,),
                 lookup, read)


def _event_anywhere(event: Any) -> tuple[str, ...]:
    """Every text column of an event plus its raw JSON (keep in step with EVENT_FIELDS)."""
    return (
        event.event_name, event.event_source, event.user_name, event.user_arn,
        event.principal_id, event.access_key_id, event.source_ip, event.event_id,
        event.error_code, event.error_message, event.user_agent, event.aws_region,
        event.user_type, event.account_id, *event.resources, event.raw,
    )


EVENT_FIELDS = FieldTable(
    name="events",
    fields=(
        _column("name", "text", "event name (eventName), e.g. RunInstances", "event_name",
                ("event",), "EventName"),
        _column("source", "text", "service (eventSource), e.g. ec2.amazonaws.com",
                "event_source", ("service",), "EventSource"),
        Field("user", "text",
              "user name, ARN or principal ID: an instance ID finds its role's sessions",
              attrgetter("user_name", "user_arn", "principal_id"), ("username",),
              ("user_name", "user_arn", "principal_id"), "Username"),
        _column("key", "text", "access key ID (AKIA.../ASIA...)", "access_key_id",
                ("accesskey",), "AccessKeyId"),
        _column("ip", "ip", "source IP: 1.2.3.4 (whole), 10.0.0.0/8 (range) or a part",
                "source_ip", ("sourceip",)),
        _column("id", "text", "event ID (eventID)", "event_id", ("eventid",), "EventId"),
        _column("error", "text", "error code (errorCode); error:* = any failed call",
                "error_code", ("errorcode",)),
        _column("message", "text", "error message (errorMessage)", "error_message", ("msg",)),
        Field("resource", "list", "a resource name or ARN the event touched",
              attrgetter("resources"), ("res",), ("resources",), "ResourceName"),
        _column("agent", "text", "user agent", "user_agent", ("ua",)),
        _column("region", "text", "AWS region (awsRegion)", "aws_region"),
        Field("readonly", "bool", "true for read-only calls, false for changes",
              attrgetter("read_only"), ("ro",), ("read_only",), "ReadOnly"),
        _column("type", "text", "userIdentity.type (not eventType): AssumedRole, IAMUser, "
                "Root, AWSService...", "user_type", ("usertype",)),
        _column("account", "text", "account ID", "account_id"),
        Field("time", "time", "event time", attrgetter("event_time"), (), ("event_time",)),
    ),
    anywhere=_event_anywhere,
    time="time",
    raw=attrgetter("raw"),
    raw_sql="raw",
)


# --- EC2 instances ----------------------------------------------------------------------


def _instance_groups(instance: object) -> tuple[str, ...]:
    groups = _items(instance, "SecurityGroups")
    return _texts(*(g.get("GroupId") for g in groups), *(g.get("GroupName") for g in groups))


def _instance_profile(instance: object) -> tuple[str, ...]:
    arn = _str(_dig(instance, "IamInstanceProfile", "Arn"))
    name = arn.rsplit("/", 1)[-1] if "/" in arn else ""
    return _texts(arn, name, _dig(instance, "IamInstanceProfile", "Id"))


def _instance_ips(instance: object) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for value in (_dig(instance, "PublicIpAddress"), _dig(instance, "PrivateIpAddress")):
        found.update(dict.fromkeys(_texts(value)))
    for nic in _items(instance, "NetworkInterfaces"):
        found.update(dict.fromkeys(_texts(nic.get("PrivateIpAddress"),
                                          _dig(nic, "Association", "PublicIp"))))
        for address in _items(nic, "PrivateIpAddresses"):
            found.update(dict.fromkeys(_texts(address.get("PrivateIpAddress"),
                                              _dig(address, "Association", "PublicIp"))))
        for address in _items(nic, "Ipv6Addresses"):
            found.update(dict.fromkeys(_texts(address.get("Ipv6Address"))))
    return tuple(found)


INSTANCE_FIELDS = FieldTable(
    name="instances",
    fields=(
        _scalar("id", "instance ID", ("InstanceId",)),
        Field("name", "text", "Name tag", _tag("Name")),
        _scalar("state", "state: pending, running, stopped, terminated...", ("State", "Name")),
        _scalar("type", "instance type, e.g. t3.micro", ("InstanceType",)),
        _scalar("key", "key pair name it was launched with", ("KeyName",)),
        Field("sg", "list", "security group ID or name", _instance_groups, ("group",)),
        Field("profile", "list",
              "IAM instance profile (ARN, ID or the profile name in the ARN)",
              _instance_profile),
        Field("role", "list",
              "IAM role of its instance profile (read from IAM when a filter uses role:)",
              _listed("RoleNames")),
        Field("ip", "ip", "any IP of it: 1.2.3.4 (whole), 10.0.0.0/8 (range) or a part",
              _instance_ips),
        _scalar("vpc", "VPC ID", ("VpcId",)),
        _scalar("subnet", "subnet ID", ("SubnetId",)),
        _scalar("az", "availability zone", ("Placement", "AvailabilityZone")),
        _region("region"),
        _scalar("ami", "image ID (AMI)", ("ImageId",), ("image",)),
        Field("launched", "time", "launch time", _time("LaunchTime")),
    ),
    anywhere=_leaves,
    time="launched",
    tags=_aws_tags,
)


# --- security groups --------------------------------------------------------------------


def _cidrs(rule: Mapping[str, Any]) -> tuple[str, ...]:
    return _texts(*(r.get("CidrIp") for r in _items(rule, "IpRanges")),
                  *(r.get("CidrIpv6") for r in _items(rule, "Ipv6Ranges")))


def _group_cidrs(group: object) -> tuple[str, ...]:
    rules = _items(group, "IpPermissions") + _items(group, "IpPermissionsEgress")
    return tuple(dict.fromkeys(c for rule in rules for c in _cidrs(rule)))


def _is_open(group: object) -> bool:
    """What the groups list's red rows read: the ports open to the world that the data
    layer worked out once as it read the group (0.0.0.0/1 with 128.0.0.0/1 is the whole
    internet too; :mod:`awsir_tui.sg_rules`)."""
    return bool(_open_ports(group))


def _open_ranges(group: object) -> tuple[tuple[int, int], ...]:
    """The port ranges of the inbound rules open to the whole internet, read back from
    what the data layer kept (``tcp/22``, ``all``); ICMP has none."""
    ranges = (text_ports(text) for text in _open_ports(group))
    return tuple(found for found in ranges if found is not None)


def _port(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _ingress_ports(group: object) -> tuple[tuple[int, int], ...]:
    """Inclusive port ranges the inbound rules allow (all traffic or ICMP: 0-65535)."""
    ranges = []
    for rule in _items(group, "IpPermissions"):
        protocol = _str(rule.get("IpProtocol")).lower()
        if protocol in ("-1", "all"):
            ranges.append((0, 65535))
        elif protocol in ("tcp", "udp", "6", "17"):
            ranges.append((_port(rule.get("FromPort"), 0), _port(rule.get("ToPort"), 65535)))
        # Other protocols (ICMP: FromPort/ToPort are type and code) have no ports.
    return tuple(ranges)


SECURITY_GROUP_FIELDS = FieldTable(
    name="security groups",
    fields=(
        _scalar("id", "group ID (sg-...)", ("GroupId",)),
        _scalar("name", "group name", ("GroupName",)),
        _scalar("vpc", "VPC ID", ("VpcId",)),
        _region("region"),
        _scalar("desc", "description", ("Description",), ("description",)),
        Field("port", "port", "an inbound rule allows this port (port:22, port:8000-8080) "
              "from any peer; from the whole internet: open:22",
              _ingress_ports),
        Field("cidr", "list", "a rule's IPv4 or IPv6 range (in or out)", _group_cidrs),
        Field("open", "bool", "inbound rules let the whole internet in (0.0.0.0/0, ::/0, "
              "or CIDRs that add up to it); open:22, open:8000-8080: on that port",
              _is_open, ports=_open_ranges),
        *_used_fields("group"),
    ),
    anywhere=_leaves,
    tags=_aws_tags,
)


# --- key pairs --------------------------------------------------------------------------

KEY_PAIR_FIELDS = FieldTable(
    name="key pairs",
    fields=(
        _scalar("name", "key pair name", ("KeyName",)),
        _scalar("id", "key pair ID (key-...)", ("KeyPairId",)),
        _scalar("fingerprint", "key fingerprint", ("KeyFingerprint",), ("fp",)),
        _scalar("type", "key type: rsa or ed25519", ("KeyType",)),
        _region("region"),
        *_used_fields("key pair"),
        Field("created", "time", "create time", _time("CreateTime")),
    ),
    anywhere=_leaves,
    time="created",
    tags=_aws_tags,
)

ALL_TABLES = (EVENT_FIELDS, INSTANCE_FIELDS, SECURITY_GROUP_FIELDS, KEY_PAIR_FIELDS)
