"""Checking a parsed query against one view's fields, once, for every compiler.

The parser knows the syntax; only a view knows that ``sg:`` means something for
instances and nothing for events, or that ``readonly:`` takes true/false. Binding
resolves aliases, validates values by kind and lowercases needles, so that the
predicate, SQL and planner all see the same, already-checked terms.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from awsir_tui.query.errors import FilterError
from awsir_tui.query.fields import (
    ALL_TABLES,
    TAG_KEYWORD,
    TIME_KEYWORDS,
    Field,
    FieldTable,
)
from awsir_tui.query.syntax import Query, Term
from awsir_tui.query.times import as_utc, date_problem, parse_day, parse_duration
from awsir_tui.text import clean

_TRUE = frozenset({"true", "yes", "y", "1", "on"})
_FALSE = frozenset({"false", "no", "n", "0", "off"})
_PORTS = re.compile(r"^(\d{1,5})(?:-(\d{1,5}))?$")


@dataclass(frozen=True, slots=True)
class Bound:
    """A term resolved against a view: its field and its values, ready to compare."""

    term: Term
    #: None for bare words and tags.
    field: Field | None
    #: Lowercased values (text, ip and list fields, tag values, bare words).
    needles: tuple[str, ...] = ()
    #: Wanted values of a bool field.
    flags: tuple[bool, ...] = ()
    #: Wanted inclusive port ranges of a port field.
    ports: tuple[tuple[int, int], ...] = ()
    #: For an ``ip`` field: ``(mode, needle)`` with mode "exact" (a whole address),
    #: "prefix" (an IPv4 range as dotted prefixes) or "contains" (a fragment).
    ip_rules: tuple[tuple[str, str], ...] = ()
    #: For a time field given dates (``launched:2026-11-29``): each date's UTC day as
    #: ``[start, end)``, a span the time must fall in (any of them).
    days: tuple[tuple[datetime, datetime], ...] = ()


@dataclass(frozen=True, slots=True)
class BoundQuery:
    """A query bound to a view: clauses of bound terms ANDed, and its time range."""

    query: Query
    table: FieldTable
    clauses: tuple[tuple[Bound, ...], ...]
    time_field: Field | None
    after: datetime | None
    before: datetime | None


#: For text that merely contains a colon, such as an IAM action (iam:PassRole).
_QUOTE_HINT = " (to search for the text itself, put it in quotes)"


def _listed(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return " and ".join(filter(None, (", ".join(names[:-1]), names[-1])))


def unknown_field(name: str, table: FieldTable | None) -> str:
    """The message for a field name the view does not know, with the likeliest fix."""
    lowered = name.lower()[:64]
    shown = clean(name, max_len=40)
    if table is None:
        words = sorted({w for t in ALL_TABLES for w in t.words()})
        close = difflib.get_close_matches(lowered, words, n=1)
        return f"unknown field '{shown}'" + (f" (did you mean '{close[0]}'?)" if close
                                             else _QUOTE_HINT)
    if lowered in TIME_KEYWORDS:
        return f"{table.name} have no time to bound with {lowered}:"
    if lowered == TAG_KEYWORD:
        return f"{table.name} have no tags"
    others = [t.name for t in ALL_TABLES if t is not table and lowered in t.words()]
    if others:  # every list it filters: used: is a key pair's as much as a group's
        return f"'{shown}:' is a field for {_listed(others)}, not for {table.name}"
    close = difflib.get_close_matches(lowered, table.words(), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else _QUOTE_HINT
    names = [spec.name for spec in table]
    names += [*(TIME_KEYWORDS if table.time else ()), *((TAG_KEYWORD,) if table.tags else ())]
    return f"unknown field '{shown}'{hint}; {table.name} have: {', '.join(names)}"


def _name_span(term: Term) -> tuple[int, int]:
    """Position and length of the field name in a term: right before its first colon,
    whatever negates it (``-``, ``!``, ``NOT``), since a field name has no quotes."""
    length = len(term.field or "")
    return term.position + max(0, term.text.find(":") - length), length


def _flags(term: Term, spec: Field) -> tuple[bool, ...]:
    flags = []
    for value in term.values:
        lowered = value.lower()
        if lowered not in _TRUE and lowered not in _FALSE:
            raise FilterError(f"{spec.name}: takes true or false, not "
                              f"'{clean(value, max_len=40)}'", term.position, term.length)
        flags.append(lowered in _TRUE)
    return tuple(flags)


def _takes_ports(term: Term) -> bool:
    """Whether a true/false field that is about ports (``open:``) is given anything but
    true/false (open:22; 0 and 1 stay false and true): read as ports, or refused as such
    with a message that names both forms."""
    return any(value.strip().lower() not in _TRUE | _FALSE for value in term.values)


def _ports(term: Term, spec: Field) -> tuple[tuple[int, int], ...]:
    ranges = []
    either = "true, false, " if spec.kind == "bool" else ""
    for value in term.values:
        match = _PORTS.match(value.strip())
        low = int(match.group(1)) if match else -1
        high = int(match.group(2) or low) if match else -1
        if not match or not 0 <= low <= high <= 65535:
            raise FilterError(f"{spec.name}: takes {either}a port (22) or a range (8000-8080), "
                              f"not '{clean(value, max_len=40)}'", term.position, term.length)
        ranges.append((low, high))
    return tuple(ranges)


def _ip_rules(term: Term) -> tuple[tuple[str, str], ...]:
    """How each ``ip:`` value matches: a whole address exactly (1.2.3.4 must not find
    11.2.3.45), an IPv4 CIDR as the dotted prefixes it covers, anything else as a part."""
    rules: list[tuple[str, str]] = []
    for value in term.values:
        text = value.strip().lower()
        if "/" not in text:
            try:
                ipaddress.ip_address(text)
            except ValueError:
                rules.append(("contains", value.lower()))
            else:
                rules.append(("exact", text))
            continue
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise FilterError(f"bad IP range '{clean(value, max_len=60)}' (try 10.0.0.0/8)",
                              term.position, term.length) from None
        if network.version != 4:
            raise FilterError("IPv6 ranges are not supported: type the prefix instead "
                              "(ip:2a05:d018:)", term.position, term.length)
        octets = max(1, -(-network.prefixlen // 8))
        for subnet in network.subnets(new_prefix=octets * 8):
            parts = str(subnet.network_address).split(".")[:octets]
            rules.append(("exact", ".".join(parts)) if octets == 4
                         else ("prefix", ".".join(parts) + "."))
    return tuple(rules)


#: A value written in IPv4's digits and dots alone (``999.1.1.1``, ``10.0.``, ``.47``).
_DOTTED = re.compile(r"^[0-9.]*\.[0-9.]*$")
#: The most parts an IPv4 address has.
_IPV4_PARTS = 4


def _refuse_impossible_addresses(term: Term) -> None:
    """Refuse an ``ip:`` value in dotted digits that no address can hold, whole or in
    part: a part past 255 (``999.1.1.1``) or more than four parts. Searched for as a
    part, it matched nothing and the view said "no instance matches" in every region,
    as if the address had been looked for. Only those: a prefix (``10.0.``), a part
    (``.47``), a leading zero of anonymised data (``253.252.51.07``) and a word (a
    service's name, ``amazonaws``) are searched for as typed; a range is checked as one."""
    for value in term.values:
        text = value.strip()
        if "/" in text or not _DOTTED.match(text):
            continue
        parts = [part for part in text.split(".") if part]
        # By its length first: int() refuses more than 4,300 digits (a hostile value).
        past = next((part for part in parts if len(part) > 3 or int(part) > 255), None)
        if past is None and len(parts) <= _IPV4_PARTS:
            continue
        why = (f"{clean(past, max_len=12)} is past 255" if past is not None
               else f"an address has {_IPV4_PARTS} parts, not {len(parts)}")
        raise FilterError(f"bad IP address '{clean(text, max_len=60)}': {why} (try 10.0.1.15, "
                          "or a part of one: 10.0.)", *_value_span(term, text))


def _value_span(term: Term, value: str) -> tuple[int, int]:
    """Position and length of one of a term's values in the filter (after the field
    name, quoted or not); the whole term when it cannot be found as typed."""
    start = term.text.find(value, term.text.find(":") + 1)
    return (term.position + start, len(value)) if start >= 0 else (term.position, term.length)


def _days(term: Term, spec: Field, now: datetime) -> tuple[tuple[datetime, datetime], ...]:
    """The UTC days a time field's dates name (``launched:2026-11-29``: launched that
    day). A duration is refused: ``launched:2h`` could be "in the last 2h" or "2h ago",
    and since:2h already says the first; a time of day would leave the span unsaid. A
    date that does not exist (2026-13-45) is said to be one, the typo underlined. The
    way to name a day is shown with yesterday's real date (UTC, from ``now``): a fixed
    one, after ``launched:yesterday``, read as "yesterday is 2026-11-29"."""
    days = []
    for value in term.values:
        day = parse_day(value.strip())
        problem = date_problem(value.strip()) if day is None else None
        if problem is not None:
            raise FilterError(f"{spec.name}: {problem}; write a day as YYYY-MM-DD "
                              f"({spec.name}:2026-11-29)", *_value_span(term, value.strip()))
        if day is None:
            shown = clean(value, max_len=40)
            hint = (f"for the last {shown} use since:{shown}" if parse_duration(value.strip())
                    else f"use since:, after: or before: to bound the {spec.description}")
            yesterday = (as_utc(now) - timedelta(days=1)).date().isoformat()
            raise FilterError(f"{hint}, or name a UTC day: {spec.name}:{yesterday} "
                              "(yesterday)", term.position, term.length)
        days.append(day)
    return tuple(days)


def bind_term(term: Term, table: FieldTable, now: datetime) -> Bound:
    """Resolve one term against ``table``, or raise FilterError pointing at it (``now``:
    when the query was typed, for the dates its messages give as examples)."""
    needles = tuple(value.lower() for value in term.values)
    if term.field is None:
        return Bound(term, None, needles)
    if term.field == TAG_KEYWORD:
        if table.tags is None:
            raise FilterError(f"{table.name} have no tags", *_name_span(term))
        return Bound(term, None, needles)
    spec = table.field(term.field)
    if spec is None:
        raise FilterError(unknown_field(term.field, table), *_name_span(term))
    if spec.kind == "time" and not term.is_presence:
        return Bound(term, spec, days=_days(term, spec, now))
    if spec.kind == "bool":
        if spec.ports is not None and _takes_ports(term):
            return Bound(term, spec, ports=_ports(term, spec))
        # Every object has a true/false value, so "has a value" would match them all:
        # open:* asks "is it open", as a responder means it.
        return Bound(term, spec, flags=_flags(term, spec) or (True,))
    if spec.kind == "port":
        return Bound(term, spec, ports=_ports(term, spec))
    if spec.kind == "ip" and not term.is_presence and not term.exact:
        # Typed: a mistyped address is refused. Exact (``ip:=``) is what a pivot writes
        # from a record, whatever the record holds: its events must still be listed.
        _refuse_impossible_addresses(term)
        return Bound(term, spec, needles, ip_rules=_ip_rules(term))
    return Bound(term, spec, needles)


def bind(query: Query, table: FieldTable, now: datetime | None = None) -> BoundQuery:
    """Bind every term of ``query`` to ``table``; raise FilterError at the first bad one
    (``now``, the time it was typed at, default the current time, dates the examples
    its messages give)."""
    time_field = table.field(table.time) if table.time else None
    if query.times and time_field is None:
        first = query.times[0]
        raise FilterError(f"{table.name} have no time to bound with {first.keyword}:",
                          first.position, first.length)
    now = now or datetime.now(UTC)
    clauses = tuple(tuple(bind_term(term, table, now) for term in clause)
                    for clause in query.clauses)
    return BoundQuery(query, table, clauses, time_field, query.after, query.before)


def fields_used(query: Query, table: FieldTable) -> frozenset[str]:
    """The names of ``table``'s fields that ``query`` names (aliases resolved): a view
    that must fetch a field's values first (instances' roles) asks before filtering."""
    specs = (table.field(term.field) for term in query.terms if term.field)
    return frozenset(spec.name for spec in specs if spec is not None)
