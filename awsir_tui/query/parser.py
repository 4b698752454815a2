"""Turning the text a responder types into a :class:`Query`, or a pointed FilterError.

Grammar (terms separated by spaces, ANDed; ``OR`` between two terms joins them)::

    query  := item (["AND"] item)*       side by side is AND; AND may be written
    item   := ["NOT"] term ("OR" ["NOT"] term)*
    term   := ["-" | "!"] ( word | field ":" ["="] values | field ":" "*" | time | tag )
    values := value ("," value)*          alternatives
    time   := ("since" | "after" | "before") ":" (duration | iso-date-time | date " " clock)
    tag    := "tag:" ["="] key ["=" values]

Double quotes group anything, spaces, commas and colons included, anywhere in a term
(``name:"a b"``, ``"arn:aws:..."``); ``\\"`` inside quotes is a quote, ``\\\\`` a
backslash, and a control or invisible character's escape as the screen shows it
(``\\x1b``, ``\\x09``, ``\\u200b``) that character: a pivot on a hostile name writes
its filter so, never a raw escape into the prompt, and the filter shown can be typed
back. A word whose part before ``:`` is not a name (``10:30``, an IPv6 address, an ARN)
is a bare word, except a time of day (``05:40``, ``05:40:10Z``) right after a time
keyword's date alone: ``after:2026-12-01 05:40`` is one time, as people write it and as
``after:"2026-12-01 05:40"`` is (quoted, ``"05:40"`` after it is the word).
Unquoted ``*`` at the ends of a contains-value is dropped (``Describe*`` = ``Describe``).
There is no grouping: an unquoted ``(`` opening or ``)`` closing a word or value is
refused rather than searched for, since ``(a OR b)`` taken as text finds nothing, silently.

The operators are those of Lucene's syntax, which responders bring from Kibana and
Splunk: ``AND``/``&&``, ``OR``/``||``, ``NOT``/``!``/``-``, upper case. Searched as text,
``NOT name:Get`` found the events holding "not" instead of leaving ``Get`` out, without a
word; so ``or``/``and``/``not`` in another case, ``name=x`` and ``name:!x`` are refused
with the fix (quoted, ``"or"`` is the word). Lower case is not taken as the operator:
a pasted message (``is not authorized``) would then silently mean its opposite.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from awsir_tui.query.bind import bind, unknown_field
from awsir_tui.query.errors import FilterError
from awsir_tui.query.fields import ALL_TABLES, TAG_KEYWORD, TIME_KEYWORDS, FieldTable
from awsir_tui.query.syntax import Clause, Query, Term, TimeTerm
from awsir_tui.query.times import completes_date, date_problem, duration_problem, resolve
from awsir_tui.text import clean, escaped, is_unsafe

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
#: Prefixes that look like a field but start a value people paste whole.
_NOT_FIELDS = frozenset({"arn", "http", "https", "s3"})
#: A control or invisible character's escape inside quotes: ``\\x1b``, ``\\u200b``,
#: ``\\U000e0041`` (:func:`_escaped_control`).
_ESCAPE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))")
_SPECIAL = frozenset(' \t\n\r\f\v",:=*\\()')
#: How a time keyword's value is written, said when it is missing or none: since:
#: counts back from now, after:/before: mark an instant, typed as a date or a time (a
#: duration back from now is taken there too, and rare: "use a duration" for a typo in
#: before:'s date-time sent the reader the wrong way).
_TIME_FORMS = {
    "since": "a duration (30m, 2h, 7d, 1w) or an ISO date/time (2019-08-09, "
             "2019-08-09T12:00Z)",
    "after": "an ISO date/time (2019-08-09, 2019-08-09T12:00Z)",
    "before": "an ISO date/time (2019-08-09, 2019-08-09T12:00Z)",
}
#: The operators, as typed (upper case or symbols), and what each one is.
_OPERATORS = {"OR": "OR", "||": "OR", "AND": "AND", "&&": "AND", "NOT": "NOT"}
#: The words that are operators in upper case: in any other case, refused unquoted.
_OPERATOR_WORDS = {"or": "OR", "and": "AND", "not": "NOT"}
#: Why a lower-case operator word is refused, and what to write instead.
_CASE_FIXES = {
    "OR": "write OR for either term (name:a OR name:b)",
    "AND": "terms side by side are ANDed already (write AND or nothing)",
    "NOT": "write NOT name:x or -name:x to leave out what name:x finds",
}


@dataclass(frozen=True, slots=True)
class _Char:
    char: str
    quoted: bool
    position: int

    def plain(self, char: str) -> bool:
        """True if this is ``char`` typed outside quotes (so it is syntax, not text)."""
        return not self.quoted and self.char == char


@dataclass(frozen=True, slots=True)
class _Token:
    chars: tuple[_Char, ...]
    start: int
    end: int
    #: A time keyword's date and the time of day typed after it, made one token
    #: (:func:`_tokens`): its value reads back as one, ``after:2026-12-01T05:40``.
    at_clock: bool = False

    def unquoted(self) -> str | None:
        """The token's text if no part of it was quoted (only then can it be syntax)."""
        if any(c.quoted for c in self.chars):
            return None
        return _joined(self.chars)


def _show(text: str, limit: int = 40) -> str:
    """A piece of the user's text, safe to put in a message shown on a terminal."""
    return clean(text, max_len=limit)


def _lex(text: str) -> Iterator[_Token]:
    """Split on unquoted whitespace, keeping for each character whether it was quoted."""
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        chars: list[_Char] = []
        while i < n and not text[i].isspace():
            if text[i] != '"':
                chars.append(_Char(text[i], False, i))
                i += 1
                continue
            opening, i = i, i + 1
            while i < n and text[i] != '"':
                if text[i] == "\\" and (control := _escaped_control(text, i)):
                    chars.append(_Char(control[0], True, i))
                    i = control[1]
                    continue
                if text[i] == "\\" and i + 1 < n and text[i + 1] in '"\\':
                    i += 1
                chars.append(_Char(text[i], True, i))
                i += 1
            if i >= n:
                raise FilterError(
                    "unterminated quote: add the closing \"", opening, n - opening
                )
            i += 1  # the closing quote
        yield _Token(tuple(chars), start, i)


def _tokens(text: str) -> Iterator[_Token]:
    """:func:`_lex`'s tokens, with each time keyword's date alone joined to the time of
    day typed after it (``after:2026-12-01 05:40``): split, ``05:40`` was searched for as
    a word and the bound was the day's midnight, silently. A quoted time, or a term
    (``after:2026-12-01 name:x``), is never joined, nor a date that has a time already."""
    dated: _Token | None = None  # a time keyword's date alone, waiting for what follows
    for token in _lex(text):
        if dated is not None:
            joined = _at_clock(dated, token)
            yield joined or dated
            dated = None
            if joined is not None:
                continue
        if _time_date(token) is not None:
            dated = token
        else:
            yield token
    if dated is not None:
        yield dated


def _time_date(token: _Token) -> str | None:
    """The value of ``token`` when it is a time keyword's term (``after:2026-12-01``),
    else None."""
    colon = next((i for i, c in enumerate(token.chars) if c.plain(":")), None)
    if colon is None or any(c.quoted for c in token.chars[:colon]):
        return None
    if _joined(token.chars[:colon]).lower() not in TIME_KEYWORDS:
        return None
    return _joined(token.chars[colon + 1 :])


def _at_clock(dated: _Token, token: _Token) -> _Token | None:
    """``dated`` (``after:2026-12-01``) and ``token`` as one token when ``token`` is a
    time of day typed unquoted after its date alone, a ``T`` where the space was
    (:func:`~awsir_tui.query.times.completes_date`)."""
    clock, date = token.unquoted(), _time_date(dated)
    if clock is None or date is None or not completes_date(date, clock):
        return None
    joint = _Char("T", False, dated.end)
    # An hour typed in one digit (7:00) takes the zero ISO's form needs (T07:00).
    padded = (_Char("0", False, dated.end),) if clock.index(":") == 1 else ()
    return _Token((*dated.chars, joint, *padded, *token.chars), dated.start, token.end,
                  at_clock=True)


def _escaped_control(text: str, at: int) -> tuple[str, int] | None:
    """The control or invisible character whose escape starts at ``at``
    (:func:`~awsir_tui.text.escaped`), and where the escape ends; None for any other
    text, so ``"\\x41"`` is still those four characters as before."""
    match = _ESCAPE.match(text, at)
    if match is None:
        return None
    code = int(match.group(match.lastindex or 0), 16)
    if code > sys.maxunicode or not is_unsafe(chr(code)):
        return None
    return chr(code), match.end()


def _split(chars: Sequence[_Char], separator: str) -> list[tuple[_Char, ...]]:
    parts: list[tuple[_Char, ...]] = []
    current: list[_Char] = []
    for char in chars:
        if char.plain(separator):
            parts.append(tuple(current))
            current = []
        else:
            current.append(char)
    parts.append(tuple(current))
    return parts


def _unstarred(chars: Sequence[_Char]) -> Sequence[_Char]:
    """Drop unquoted ``*`` at either end: ``Describe*`` means what ``Describe`` means
    already (a part of the value), and people type it from habit."""
    start, end = 0, len(chars)
    while start < end and chars[start].plain("*"):
        start += 1
    while end > start and chars[end - 1].plain("*"):
        end -= 1
    return chars[start:end]


def _stray_parenthesis(chars: Sequence[_Char]) -> _Char | None:
    """An unquoted ``(`` opening ``chars`` or ``)`` closing them: someone grouping terms.
    A ``)`` closing a ``(`` inside the same word (``f(x)``) is text, grouping nothing."""
    if chars and chars[0].plain("("):
        return chars[0]
    if chars and chars[-1].plain(")") and not any(c.plain("(") for c in chars[:-1]):
        return chars[-1]
    return None


def _joined(chars: Sequence[_Char]) -> str:
    return "".join(c.char for c in chars)


def _is_sign(char: _Char) -> bool:
    """An unquoted ``-`` or ``!``: a negation, at the start of a term."""
    return char.plain("-") or char.plain("!")


class _Parser:
    """One parse: the text, the words that may name fields, and the time "now"."""

    def __init__(self, text: str, table: FieldTable | None, now: datetime) -> None:
        self.text = text
        self.table = table
        tables = (table,) if table else ALL_TABLES
        self.words = frozenset(w for t in tables for w in t.words())
        self.now = now

    def error(self, message: str, start: int, end: int) -> FilterError:
        return FilterError(message, start, max(0, end - start))

    def span(self, token: _Token, chars: Sequence[_Char]) -> tuple[int, int]:
        """Where ``chars`` are in the text (the whole token when there are none)."""
        if not chars:
            return token.start, token.end
        return chars[0].position, chars[-1].position + 1

    def refuse_parentheses(self, chars: Sequence[_Char]) -> None:
        """Parentheses would otherwise be searched for as text: ``(name:a OR name:b)``
        would read every event and find none, with no word of why."""
        stray = _stray_parenthesis(chars)
        if stray is not None:
            raise self.error(
                "filters have no parentheses: OR binds first (name:a OR name:b user:x is"
                ' a or b, and x); quote "(x)" to search for one',
                stray.position, stray.position + 1,
            )

    def operator(self, token: _Token) -> str | None:
        """``"OR"``, ``"AND"`` or ``"NOT"`` if ``token`` is one. The operator words in
        another case are refused: as text they would be searched for, silently."""
        text = token.unquoted()
        if text is None:
            return None
        if text in _OPERATORS:
            return _OPERATORS[text]
        meant = _OPERATOR_WORDS.get(text.lower())
        if meant is not None:
            raise self.error(f"'{text}' is an operator only in upper case: "
                             f'{_CASE_FIXES[meant]}; quote "{text}" to search for the word',
                             token.start, token.end)
        return None

    def query(self) -> Query:
        clauses: list[Clause] = []
        times: list[TimeTerm] = []
        last: str | None = None  # "term", "time", "OR" or "AND": what was read last
        joint: _Token | None = None  # the last OR or AND, as typed
        negation: _Token | None = None  # a NOT waiting for its term
        for token in _tokens(self.text):
            operator = self.operator(token)
            if operator is not None and negation is not None:
                raise self.error("NOT needs a term right after it", negation.start, token.end)
            if operator == "NOT":
                negation = token
                continue
            if operator is not None:
                if operator == "OR" and last == "time":  # the bound is the fault, not a term
                    raise self.time_ored(times[-1].position, times[-1].length)
                if last not in (("term",) if operator == "OR" else ("term", "time")):
                    raise self.error(f"{self.text[token.start:token.end]} needs a term on "
                                     "each side", token.start, token.end)
                last, joint = operator, token
                continue
            item = self.term(token, negation)
            negation = None
            if isinstance(item, TimeTerm):
                if last == "OR":
                    raise self.time_ored(token.start, token.end - token.start)
                times.append(item)
                last = "time"
                continue
            if last == "OR":
                clauses[-1] = (*clauses[-1], item)
            else:
                clauses.append((item,))
            last = "term"
        if negation is not None:
            raise self.error("NOT needs a term after it", negation.start, negation.end)
        if last in ("OR", "AND") and joint is not None:
            raise self.error(f"{self.text[joint.start:joint.end]} needs a term after it",
                             joint.start, joint.end)
        query = Query(self.text, tuple(clauses), tuple(times))
        self.check_range(query)
        return query

    def time_ored(self, position: int, length: int) -> FilterError:
        """A time bound on either side of OR, pointed at: ``since:3d OR key:bob`` said
        "OR needs a term on each side" of a filter with a term on each side."""
        return self.error("a time bound cannot be ORed: since:/after:/before: always apply",
                          position, position + length)

    def check_range(self, query: Query) -> None:
        """An empty time range is a typo (swapped dates), never a useful filter; and
        LookupEvents refuses a StartTime after its EndTime."""
        after, before = query.after, query.before
        if after is None or before is None or after < before:
            return
        culprit = max(query.times, key=lambda t: t.position)
        raise self.error(
            f"empty time range: {after:%Y-%m-%d %H:%M:%S}Z is not before "
            f"{before:%Y-%m-%d %H:%M:%S}Z (swapped after:/before:?)",
            culprit.position, culprit.position + culprit.length,
        )

    def term(self, token: _Token, negation: _Token | None = None) -> Term | TimeTerm:
        """One term; ``negation`` is the ``NOT`` before it, which the term then spans."""
        chars = token.chars
        start = negation.start if negation is not None else token.start
        text = self.text[start : token.end]
        sign = chars[0] if chars and _is_sign(chars[0]) else None
        if sign is not None:
            if len(chars) == 1:
                raise self.error(f"'{sign.char}' needs a term right after it (no space)",
                                 token.start, token.end)
            chars = chars[1:]
        if sign is not None and (negation is not None or _is_sign(chars[0])):
            raise self.error("negated twice: negate once (-name:x or NOT name:x), or quote "
                             'the text to search for it ("--x")', start, token.end)
        negated = sign is not None or negation is not None
        colon = next((i for i, c in enumerate(chars) if c.plain(":")), None)
        prefix = chars[:colon] if colon is not None else ()
        name = _joined(prefix)
        if (
            colon is None
            or any(c.quoted for c in prefix)
            or not _NAME.fullmatch(name)
            or name.lower() in _NOT_FIELDS
        ):
            return self.word(token, chars, negated, start)
        assert colon is not None
        field = name.lower()
        rest: Sequence[_Char] = chars[colon + 1 :]
        if field not in self.words:
            start, end = self.span(token, prefix)
            raise self.error(unknown_field(name, self.table), start, end)
        if field in TIME_KEYWORDS:
            return self.time(token, field, rest, negated, start)
        exact = bool(rest) and rest[0].plain("=")
        if exact:
            rest = rest[1:]
        if not rest:
            raise self.error(f"'{field}:' needs a value (or * for any value)",
                             token.start, token.end)
        tag_key = None
        if field == TAG_KEYWORD:
            tag_key, rest = self.tag_key(token, rest)
        values = () if self.is_star(rest) else self.values(token, rest, field, exact)
        return Term(field, values, exact, negated, tag_key, start, token.end - start, text)

    @staticmethod
    def is_star(chars: Sequence[_Char]) -> bool:
        """``*`` alone (or nothing, after a tag key): any non-empty value."""
        return not chars or (len(chars) == 1 and chars[0].plain("*"))

    def word(self, token: _Token, chars: Sequence[_Char], negated: bool, start: int) -> Term:
        if not chars:
            raise self.error("empty quotes: put something between them",
                             token.start, token.end)
        self.refuse_equals(token, chars, negated, start)
        unstarred = _unstarred(chars)
        self.refuse_parentheses(unstarred)
        value = _joined(unstarred)
        if not value:
            raise self.error("'*' alone matches everything: leave it out (field:* means "
                             "'has a value')", token.start, token.end)
        return Term(None, (value,), negated=negated, position=start,
                    length=token.end - start, text=self.text[start : token.end])

    def refuse_equals(
        self, token: _Token, chars: Sequence[_Char], negated: bool, start: int
    ) -> None:
        """``name=x`` and ``name!=x``, a field as other languages give it: searched for
        as text they find nothing, silently. Said as this language writes them."""
        end = 0
        while end < len(chars) and not chars[end].quoted and (
            chars[end].char.isalnum() or chars[end].char == "_"
        ):
            end += 1
        name, rest = _joined(chars[:end]), chars[end:]
        if not _NAME.fullmatch(name) or name.lower() not in self.words:
            return
        bang = bool(rest) and rest[0].plain("!")
        equals = rest[1:] if bang else rest
        if not equals or not equals[0].plain("="):
            return
        while len(equals) > 1 and equals[1].plain("="):  # name==x
            equals = equals[1:]
        value = _show(self.text[equals[0].position + 1 : token.end]) or "x"
        field, minus = name.lower(), "-" if negated != bang else ""
        exact = "" if field in TIME_KEYWORDS else f" ({minus}{field}:={value}: the whole value)"
        raise self.error(f"'{_show(name)}{'!' if bang else ''}=' is not how a field is given:"
                         f" write {minus}{field}:{value}{exact}; to search for the text, "
                         "quote it", start, token.end)

    def values(
        self, token: _Token, chars: Sequence[_Char], field: str, exact: bool
    ) -> tuple[str, ...]:
        parts = [part if exact else _unstarred(part) for part in _split(chars, ",")]
        for part in parts:
            if not part:
                start, end = self.span(token, chars)
                raise self.error(f"empty value in '{field}:' (a stray comma?)", start, end)
            if part[0].plain("!"):
                raise self.error(f"'!' does not negate a value: put - before the term "
                                 f"(-{field}:...); to search for the '!', quote the value",
                                 part[0].position, part[0].position + 1)
            self.refuse_parentheses(part)
        return tuple(_joined(part) for part in parts)

    def tag_key(
        self, token: _Token, chars: Sequence[_Char]
    ) -> tuple[str | None, Sequence[_Char]]:
        """Split ``Owner=bob`` into the key and the value's characters (none: has tag)."""
        if self.is_star(chars):
            return None, ()
        equals = next((i for i, c in enumerate(chars) if c.plain("=")), None)
        key_chars = chars[:equals] if equals is not None else chars
        if not key_chars:
            start, end = self.span(token, chars)
            raise self.error("tag: needs a key, as in tag:Owner=bob", start, end)
        key = _joined(key_chars)
        if equals is None:
            return key, ()
        value_chars = chars[equals + 1 :]
        if not value_chars:
            start, end = self.span(token, chars)
            raise self.error(f"tag:{_show(key)}= needs a value (tag:{_show(key)} alone: "
                             "has the tag)", start, end)
        return key, value_chars

    def time(self, token: _Token, keyword: str, chars: Sequence[_Char], negated: bool,
             negation_start: int) -> TimeTerm:
        start, end = self.span(token, chars)
        if negated:
            other = "after" if keyword == "before" else "before"
            raise self.error(f"'{keyword}:' cannot be negated: use {other}: instead",
                             negation_start, token.end)
        value = _joined(chars)
        if not value:
            raise self.error(f"'{keyword}:' needs a time: {_TIME_FORMS[keyword]}",
                             token.start, token.end)
        at = resolve(value, self.now)
        # A typo in a date or a duration: say what is wrong with it, not every form.
        problem = date_problem(value) if at is None else None
        if problem is not None:
            raise self.error(f"{keyword}: {clean(problem, 120)}; write a date as 2019-08-09 or a "
                             "time as 2019-08-09T12:00Z", start, end)
        problem = duration_problem(value) if at is None else None
        if problem is not None:
            raise self.error(f"{keyword}: {clean(problem, 120)}; or give a date (2019-08-09)",
                             start, end)
        if at is None:
            raise self.error(f"bad time '{_show(value)}' for {keyword}: use "
                             f"{_TIME_FORMS[keyword]}", start, end)
        # Joined, it reads back as one value: with its space, the two words it was split
        # into before.
        text = f"{keyword}:{value}" if token.at_clock else self.text[token.start : token.end]
        return TimeTerm(keyword, at, token.start, token.end - token.start, text)


def parse(text: str, fields: FieldTable | None = None, *, now: datetime | None = None) -> Query:
    """Parse a filter; raise :class:`FilterError` pointing at the first bad term.

    With ``fields``, field names are checked against that view's table (and values
    against their kinds); without, against every view's (compiling later checks the
    rest). ``since:2h`` counts back from ``now`` (default: the current time), so parse
    again to move the window forward.
    """
    moment = now or datetime.now(UTC)
    query = _Parser(text, fields, moment).query()
    if fields is not None:
        bind(query, fields, moment)
    return query


def without_time_terms(query: Query) -> str:
    """The filter's text with its since:/after:/before: terms cut out, each with the
    ``AND`` (or ``&&``) that joined it: cut alone, ``since:2h AND name:x`` left
    ``AND name:x``, which does not parse, so a time preset (keys 1-4) failed instead
    of applying. No ``OR`` is ever cut: a time bound cannot be ORed (the parser refuses
    ``since:2h OR name:x``, since a bound always applies), so what is left means what
    the filter meant, less its time bounds. The other terms are kept as typed (quoted
    spaces included: ``name:"a  b"`` still searches for two spaces)."""
    times = {time.position for time in query.times}
    kept: list[_Token] = []
    for token in _tokens(query.text):
        if token.start in times:
            continue
        if _is_and(token) and (not kept or _is_and(kept[-1])):
            continue  # a joint with no term before it: its term was a time bound
        kept.append(token)
    if kept and _is_and(kept[-1]):
        kept.pop()  # the joint before a time bound that ended the filter
    return " ".join(query.text[token.start : token.end] for token in kept)


def _is_and(token: _Token) -> bool:
    return _OPERATORS.get(token.unquoted() or "") == "AND"


def with_preset(query: Query, preset: str) -> str:
    """The filter with its time bounds replaced by ``since:<preset>`` (a duration)."""
    return f"{without_time_terms(query)} since:{preset}".strip()


def quote(value: str) -> str:
    """``value`` as one filter value, quoted when needed (for pivots: ``f"user:{quote(v)}"``)."""
    operator = value in _OPERATORS or value.lower() in _OPERATOR_WORDS
    plain = value and not operator and value[0] not in "-!"
    if plain and not any(c in _SPECIAL or c.isspace() or is_unsafe(c) for c in value):
        return value
    return '"' + escaped(value.replace("\\", "\\\\").replace('"', '\\"')) + '"'
