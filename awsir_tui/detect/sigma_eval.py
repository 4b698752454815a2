"""Evaluating a pySigma rule against CloudTrail records (dicts), in Python.

pySigma parses the YAML, applies the modifiers and resolves the condition
(``1 of selection_*``, ``all of them``, ``not filter``) into a tree of AND/OR/NOT over
``field = typed value`` leaves. This module compiles that tree once into closures.

Why not a pySigma backend: pysigma-backend-duckdb 0.1.4 converts all 72 rules (SigmaHQ's
57 and ours), but into SQL over a flat table whose columns are the dotted paths
(``"requestParameters.ipPermissions.items.ipRanges.items.cidrIp"``), which no table has:
CloudTrail nests lists (``items``) that change shape by event, the event store keeps flat
Event columns plus the raw JSON, and its ``=`` is case-sensitive where Sigma is not. The
app also runs rules on LookupEvents results that never touch DuckDB. Compiled closures
over the parsed dict run all 72 rules on 100k events in about 4x the time of parsing
the JSON alone.

Semantics follow the Sigma specification: strings match case-insensitively and whole
(wildcards ``*``/``?`` come from the value or from contains/startswith/endswith), ``re``
searches, a path through a list matches when any element matches, ``null`` matches a
missing field, a field holding an object is matched as its JSON text.
"""

from __future__ import annotations

import importlib
import ipaddress
import json
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from sigma.conditions import (
    ConditionAND,
    ConditionFieldEqualsValueExpression,
    ConditionNOT,
    ConditionOR,
    ConditionValueExpression,
)
from sigma.rule import SigmaRule
from sigma.types import (
    CompareOperators,
    Placeholder,
    SigmaBool,
    SigmaCasedString,
    SigmaCIDRExpression,
    SigmaCompareExpression,
    SigmaExists,
    SigmaExpansion,
    SigmaFieldReference,
    SigmaNull,
    SigmaNumber,
    SigmaRegularExpression,
    SigmaRegularExpressionFlag,
    SigmaString,
    SigmaType,
    SpecialChars,
)

Record = Mapping[str, Any]
Predicate = Callable[[Record], bool]


class UnsupportedRule(Exception):
    """The rule uses something this evaluator cannot run; the message says what."""


@lru_cache(maxsize=1024)
def _split(path: str) -> tuple[str, ...]:
    return tuple(path.split("."))


def _collect(value: Any, parts: tuple[str, ...], out: list[Any]) -> None:
    # Hot path of every rule: plain dict/list checks first (records come from orjson).
    if type(value) is list:
        for item in value:
            _collect(item, parts, out)
        return
    if not parts:
        out.append(value)
        return
    if type(value) is not dict and not isinstance(value, Mapping):
        return
    head = parts[0]
    if head in value:
        _collect(value[head], parts[1:], out)
        return
    # A key may itself contain dots (some services log "a.b" keys).
    for cut in range(2, len(parts) + 1):
        key = ".".join(parts[:cut])
        if key in value:
            _collect(value[key], parts[cut:], out)
            return


def values_at(record: Record, path: str) -> list[Any]:
    """Every value at dotted ``path``; lists anywhere along the path fan out."""
    out: list[Any] = []
    _collect(record, _split(path), out)
    return out


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _string_test(value: SigmaString) -> Callable[[str], bool]:
    """A test on one text value for a Sigma string (plain equality when no wildcards)."""
    cased = isinstance(value, SigmaCasedString)
    if not value.contains_special():
        # The text itself: to_plain() escapes a literal (escaped) * or ? again.
        plain = "".join(part for part in value.s if isinstance(part, str))
        if cased:
            return lambda text: text == plain
        lowered = plain.lower()
        return lambda text: text.lower() == lowered
    glob = _glob_test(value.s, cased)
    if glob is not None:
        return glob
    pattern = str(value.to_regex().regexp)
    compiled = re.compile(pattern, re.DOTALL if cased else re.DOTALL | re.IGNORECASE)
    return lambda text: compiled.fullmatch(text) is not None


def _glob_test(
    parts: Sequence[str | SpecialChars | Placeholder], cased: bool
) -> Callable[[str], bool] | None:
    """A test for a value whose only wildcard is ``*`` that finds its pieces in order,
    each after the one before (leftmost is always right when ``*`` is the only
    wildcard); None for other values (a ``?``, a placeholder), which go by regex.

    The regex of ``*a*b*`` (``.*a.*b.*``, matched whole) tries each ``a`` of the value
    against the rest: a field an attacker fills with ``a`` and no ``b`` took time in
    the square of its length (160 kB: minutes per event and rule), where each piece
    here is one ``find``. Case-blind as plain values are, by ``lower()``."""
    pieces = [""]
    for part in parts:
        if isinstance(part, str):
            pieces[-1] += part
        elif part is SpecialChars.WILDCARD_MULTI:
            pieces.append("")
        else:
            return None
    fold: Callable[[str], str] = (lambda text: text) if cased else str.lower
    head, *middle, tail = [fold(piece) for piece in pieces]

    def test(value: str) -> bool:
        text = fold(value)
        end = len(text) - len(tail)
        if end < len(head) or not (text.startswith(head) and text.endswith(tail)):
            return False
        at = len(head)
        for piece in middle:
            found = text.find(piece, at, end)
            if found < 0:
                return False
            at = found + len(piece)
        return True

    return test


def _regex_test(value: SigmaRegularExpression) -> Callable[[str], bool]:
    flags = 0
    for flag in value.flags:
        if flag is SigmaRegularExpressionFlag.IGNORECASE:
            flags |= re.IGNORECASE
        elif flag is SigmaRegularExpressionFlag.MULTILINE:
            flags |= re.MULTILINE
        elif flag is SigmaRegularExpressionFlag.DOTALL:
            flags |= re.DOTALL
    compiled = re.compile(str(value.regexp), flags)
    return _from_line_starts(compiled) or (lambda text: compiled.search(text) is not None)


#: Python's own parser of regular expressions (no public API says what a pattern starts
#: with) and its names for the parts: see :func:`_from_line_starts`. Private: a Python
#: that moves or changes them leaves every pattern searched as written (slower on a
#: hostile value, never wrong), not the rules unloadable.
try:
    _SRE_PARSER: Any = importlib.import_module("re._parser")
    _SRE: Any = importlib.import_module("re._constants")
    _ANY_RUN = (_SRE.MAX_REPEAT, _SRE.MIN_REPEAT, _SRE.POSSESSIVE_REPEAT)
except (ImportError, AttributeError):  # pragma: no cover - a Python yet to come
    _SRE_PARSER = None


def _from_line_starts(compiled: re.Pattern[str]) -> Callable[[str], bool] | None:
    """A search for a pattern that starts with a run of any characters (``.*``, ``.+``,
    lazy or possessive) that tries it at each line's start only; None for other patterns.

    ``search`` tries a pattern at every position, and such a run goes from each to the
    line's end and back: SigmaHQ's ``.+:assumed-role/aws:.+`` took 13 s on a 40 kB
    ARN of colons and 3 minutes on 160 kB, per event read. A match from inside a line is
    one from its start too, the run taking the characters before it (it takes any number
    of them but a line feed, or any at all with DOTALL, whose one line starts the text),
    and ``match`` sees the text before where it starts, as ``search`` does."""
    if _SRE_PARSER is None or not _starts_with_any_run(compiled):
        return None
    if compiled.flags & re.DOTALL:
        return lambda text: compiled.match(text) is not None

    def search(text: str) -> bool:
        start = 0
        while compiled.match(text, start) is None:
            start = text.find("\n", start) + 1
            if not start:
                return False
        return True

    return search


def _starts_with_any_run(compiled: re.Pattern[str]) -> bool:
    """Whether ``compiled`` starts with an unbounded run of any one character, as
    Python's parser reads it; False where its parts are not as this Python's are."""
    try:
        parsed = _SRE_PARSER.parse(compiled.pattern, compiled.flags)
        if not parsed.data:
            return False
        op, argument = parsed.data[0]
        return bool(op in _ANY_RUN and argument[1] == _SRE.MAXREPEAT
                    and argument[2].data == [(_SRE.ANY, None)])  # of any one character
    except (AttributeError, IndexError, TypeError, ValueError):
        return False


def _cidr_test(value: SigmaCIDRExpression) -> Callable[[str], bool]:
    network = value.network

    def test(text: str) -> bool:
        try:
            return ipaddress.ip_address(text.strip()) in network
        except ValueError:
            return False

    return test


_COMPARE: dict[CompareOperators, Callable[[float, float], bool]] = {
    CompareOperators.LT: operator.lt,
    CompareOperators.LTE: operator.le,
    CompareOperators.GT: operator.gt,
    CompareOperators.GTE: operator.ge,
    CompareOperators.NEQ: operator.ne,
}


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _text_test(value: SigmaType) -> Callable[[str], bool] | None:
    """A test on the text form of a field value, for the types that have one."""
    if isinstance(value, SigmaString):
        if value.contains_placeholder():
            raise UnsupportedRule(
                f"placeholder in {value} needs a processing pipeline to fill it (|expand)"
            )
        return _string_test(value)
    if isinstance(value, SigmaExpansion):  # base64offset, windash: any of the variants
        variants = [_text_test(v) for v in value.values]
        if any(v is None for v in variants):
            return None
        tests = [v for v in variants if v is not None]
        return lambda text: any(test(text) for test in tests)
    if isinstance(value, SigmaRegularExpression):
        return _regex_test(value)
    if isinstance(value, SigmaCIDRExpression):
        return _cidr_test(value)
    if isinstance(value, SigmaBool):
        wanted = "true" if value.boolean else "false"
        return lambda text: text.lower() == wanted
    return None


def _field_predicate(field: str, value: SigmaType) -> Predicate:
    if isinstance(value, SigmaNull):
        return lambda record: all(v is None for v in values_at(record, field))
    if isinstance(value, SigmaExists):
        wanted = value.exists
        return lambda record: any(v is not None for v in values_at(record, field)) is wanted
    if isinstance(value, SigmaNumber):
        number = float(value.number)
        return lambda record: any(_number(v) == number for v in values_at(record, field))
    if isinstance(value, SigmaCompareExpression):
        compare = _COMPARE[value.op]
        limit = float(value.number.number)

        def compare_test(record: Record) -> bool:
            for v in values_at(record, field):
                n = _number(v)
                if n is not None and compare(n, limit):
                    return True
            return False

        return compare_test
    if isinstance(value, SigmaFieldReference):
        return _field_reference(field, value)
    test = _text_test(value)
    if test is None:
        raise UnsupportedRule(f"value type {type(value).__name__} on field {field!r}")

    def text_test(record: Record) -> bool:
        for v in values_at(record, field):
            text = _as_text(v)
            if text is not None and test(text):
                return True
        return False

    return text_test


def _field_reference(field: str, ref: SigmaFieldReference) -> Predicate:
    """``field|fieldref: other``: the two fields hold the same value (case-insensitive)."""

    def test(record: Record) -> bool:
        others = [t.lower() for t in map(_as_text, values_at(record, ref.field)) if t is not None]
        for v in values_at(record, field):
            text = _as_text(v)
            if text is None:
                continue
            text = text.lower()
            for other in others:
                if ref.starts_with and text.startswith(other):
                    return True
                if ref.ends_with and text.endswith(other):
                    return True
                if not (ref.starts_with or ref.ends_with) and text == other:
                    return True
        return False

    return test


def _leaves(value: Any, out: list[str]) -> None:
    if isinstance(value, Mapping):
        for item in value.values():
            _leaves(item, out)
    elif isinstance(value, list):
        for item in value:
            _leaves(item, out)
    else:
        text = _as_text(value)
        if text is not None:
            out.append(text)


def _keyword_predicate(value: SigmaType) -> Predicate:
    """A keyword (value without a field) matches any value anywhere in the record."""
    test = _text_test(value)
    if test is None:
        raise UnsupportedRule(f"keyword of type {type(value).__name__}")

    def keyword_test(record: Record) -> bool:
        found: list[str] = []
        _leaves(record, found)
        return any(test(text) for text in found)

    return keyword_test


def compile_condition(node: Any) -> Predicate:
    """Compile one node of pySigma's resolved condition tree into a predicate."""
    if isinstance(node, ConditionAND):
        parts = [compile_condition(arg) for arg in node.args]
        return lambda record: all(p(record) for p in parts)
    if isinstance(node, ConditionOR):
        parts = [compile_condition(arg) for arg in node.args]
        return lambda record: any(p(record) for p in parts)
    if isinstance(node, ConditionNOT):
        inner = compile_condition(node.args[0])
        return lambda record: not inner(record)
    if isinstance(node, ConditionFieldEqualsValueExpression):
        return _field_predicate(node.field, node.value)
    if isinstance(node, ConditionValueExpression):
        return _keyword_predicate(node.value)
    raise UnsupportedRule(f"condition element {type(node).__name__}")


def pinned_event_names(node: Any) -> frozenset[str] | None:
    """The lower-cased eventNames a condition can only match, or None when unbounded.

    Lets the detector run a rule only on events with one of those names.
    """
    if isinstance(node, ConditionFieldEqualsValueExpression):
        value = node.value
        if (
            node.field == "eventName"
            and isinstance(value, SigmaString)
            and not isinstance(value, SigmaCasedString)
            and not value.contains_special()
        ):
            return frozenset({value.to_plain().lower()})
        return None
    if isinstance(node, ConditionAND):
        pinned = [p for p in map(pinned_event_names, node.args) if p is not None]
        if not pinned:
            return None
        result = pinned[0]
        for other in pinned[1:]:
            result &= other
        return result
    if isinstance(node, ConditionOR):
        names: set[str] = set()
        for arg in node.args:
            sub = pinned_event_names(arg)
            if sub is None:
                return None
            names |= sub
        return frozenset(names)
    return None


def compile_rule(rule: SigmaRule) -> tuple[Predicate, frozenset[str] | None]:
    """The rule's predicate over a record and its pinned event names.

    Raises :class:`UnsupportedRule` (or a pySigma error) with the reason it cannot run.
    """
    trees = [condition.parsed for condition in rule.detection.parsed_condition]
    if not trees or any(tree is None for tree in trees):
        raise UnsupportedRule("the condition selects nothing")
    predicates = [compile_condition(tree) for tree in trees]
    pinned_sets = [pinned_event_names(tree) for tree in trees]
    pinned: frozenset[str] | None = None
    if all(p is not None for p in pinned_sets):
        pinned = frozenset().union(*(p for p in pinned_sets if p is not None))
    if len(predicates) == 1:
        return predicates[0], pinned
    return (lambda record: any(p(record) for p in predicates)), pinned
