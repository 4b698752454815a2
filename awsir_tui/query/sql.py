"""Compiling a query into a SQL WHERE clause over the CloudTrail event store.

The SQL keeps to functions that DuckDB (the embedded store) and Trino (Athena engine
v3, for archives larger than one machine) both accept with the same meaning:
``lower``, ``strpos``, ``coalesce``, ``concat_ws(sep, array)``, ``replace``,
``chr``, ``substr``, ``||``, ``IN``, ``CASE``, ``regexp_like`` and ``?`` parameters
(DuckDB has no ``regexp_like``: :data:`DUCKDB_SETUP` defines it on each connection).
``strpos(lower(col), ?) > 0`` is used instead of ``LIKE`` so that ``%`` and ``_`` in
a needle need no escaping; ``lower`` is left out when it cannot change the answer
(see :func:`_folded`). A bare word over the raw record, the full-text search, is a
case-blind regular expression instead (see :func:`caseless_pattern`).
DuckDB 2 refuses the ``x -> ...`` lambdas Trino needs for ``any_match``/``filter``,
so list columns (``resources``, VARCHAR[]) are searched as one string joined with
chr(31), the ASCII unit separator, which a typed value cannot contain unquoted; an
exact element match looks for ``chr(31) || value || chr(31)`` in
``chr(31) || joined || chr(31)``. A bare word reads only ``raw`` when that is enough
(``CASE WHEN substr(raw, 1, 1) = '{' ...``, see ``fields.raw_is_enough``): that halves
or better the cost of full-text search, the costliest query. Column names come from
the field tables, never from the user; every value is a parameter.
"""

from __future__ import annotations

from awsir_tui.query.bind import Bound, BoundQuery, bind
from awsir_tui.query.errors import FilterError
from awsir_tui.query.fields import FieldTable, raw_is_enough
from awsir_tui.query.syntax import Query

_SEP = "\x1f"
_SEP_SQL = "chr(31)"
#: Statements a DuckDB connection runs before it runs this SQL: Trino's ``regexp_like``
#: (a search, not a full match) is DuckDB's ``regexp_matches``.
DUCKDB_SETUP = ("CREATE OR REPLACE TEMP MACRO regexp_like(s, p) AS regexp_matches(s, p)",)
#: Characters with a meaning in RE2 (DuckDB) and Joni or java.util.regex (Trino) patterns.
_REGEX_SPECIAL = frozenset(".^$|?*+()[]{}\\")


def caseless_pattern(needle: str) -> str:
    """A regular expression for an ASCII ``needle`` in any ASCII letter case.

    ``regexp_like(raw, pattern)`` finds what ``strpos(lower(raw), needle) > 0`` finds
    without copying every record to lower-case it. At 1M events (bench_fulltext.py):
    within 2% for three words out of five, 30% less time for the other two; slower on a
    small uncompressed store (bench_ingest). Letters become ASCII classes
    (``[aA]``), on which RE2 (DuckDB) and Joni or java.util.regex (Trino) agree;
    ``(?i)`` took up to 5x longer for needles with an ``s`` or a ``k``, whose Unicode
    case folding adds ``ſ`` and the Kelvin sign. The one difference from ``lower``: the
    two characters it maps to an ASCII letter, ``İ`` (to ``i``) and the Kelvin sign (to
    ``k``), are not taken for that letter.
    """
    parts = []
    for char in needle.lower():
        if "a" <= char <= "z":
            parts.append(f"[{char}{char.upper()}]")
        elif char in _REGEX_SPECIAL:
            parts.append("\\" + char)
        else:
            parts.append(char)
    return "".join(parts)


def _folded(column: str, *needles: str) -> str:
    """``lower(column)``, or ``column`` itself when every needle is ASCII without a letter.

    Such a needle (an IP address, an account ID, a date) can only match characters that
    lower-casing leaves alone, so both forms give the same rows; but ``lower`` copies
    every value it reads, which is half the time of a full-text search over a million
    raw records (~1.3 GB of JSON).
    """
    if all(n.isascii() and not any(c.isalpha() for c in n) for n in needles):
        return column
    return f"lower({column})"


class _Sql:
    """Collects the clause text and its parameters in order."""

    def __init__(self) -> None:
        self.params: list[object] = []

    def param(self, value: object) -> str:
        self.params.append(value)
        return "?"

    def text(self, column: str, bound: Bound) -> list[str]:
        if bound.term.is_presence:
            return [f"{column} <> ''"]
        if bound.term.exact:
            marks = ", ".join(self.param(n) for n in bound.needles)
            return [f"{_folded(column, *bound.needles)} IN ({marks})"]
        return [f"strpos({_folded(column, n)}, {self.param(n)}) > 0" for n in bound.needles]

    def addresses(self, column: str, bound: Bound) -> list[str]:
        """``ip:`` rules: exact ``=``, prefix ``strpos(...) = 1``, fragment ``> 0``."""
        parts = []
        for mode, needle in bound.ip_rules:
            if mode == "exact":
                parts.append(f"{_folded(column, needle)} = {self.param(needle)}")
            else:
                test = "= 1" if mode == "prefix" else "> 0"
                parts.append(f"strpos({_folded(column, needle)}, {self.param(needle)}) {test}")
        return parts

    def listed(self, column: str, bound: Bound) -> list[str]:
        joined = f"concat_ws({_SEP_SQL}, {column})"
        if bound.term.is_presence:  # some element is not empty, as in the predicate
            return [f"replace({joined}, {_SEP_SQL}, '') <> ''"]
        if bound.term.exact:
            return [
                f"strpos({_SEP_SQL} || {_folded(joined, n)} || {_SEP_SQL}, "
                f"{self.param(_SEP + n + _SEP)}) > 0"
                for n in bound.needles
            ]
        return [f"strpos({_folded(joined, n)}, {self.param(n)}) > 0" for n in bound.needles]

    def raw_text(self, raw: str, bound: Bound) -> str:
        """A word in the raw record, which :func:`raw_is_enough` keeps to ASCII."""
        (needle,) = bound.needles
        if bound.term.exact or bound.term.is_presence or not any(c.isalpha() for c in needle):
            return self.text(raw, bound)[0]
        return f"regexp_like({raw}, {self.param(caseless_pattern(needle))})"

    def word(self, bound: Bound, table: FieldTable) -> str:
        """A bare word, as the predicate does it: the raw JSON alone when enough."""
        raw = table.raw_sql
        (needle,) = bound.needles
        raw_alone = raw is not None and raw_is_enough(needle)
        # Parameters are collected in the order the text reads: THEN before ELSE.
        then = self.raw_text(raw, bound) if raw is not None and raw_alone else ""
        parts: list[str] = []
        for field in table:
            for column in field.sql:
                if field.kind in ("text", "ip"):
                    parts += self.text(column, bound)
                elif field.kind == "list":
                    parts += self.listed(column, bound)
        if raw is not None:
            parts += self.text(raw, bound)
        everywhere = " OR ".join(parts) if parts else "FALSE"
        if not raw_alone:
            return everywhere
        return (f"CASE WHEN coalesce(substr({raw}, 1, 1), '') = '{{' THEN {then} "
                f"ELSE ({everywhere}) END")

    def term(self, bound: Bound, table: FieldTable) -> str:
        spec = bound.field
        term = bound.term
        parts: list[str] = []
        if term.field is None:
            parts.append(self.word(bound, table))
        elif spec is None or not spec.sql or spec.kind == "port":
            raise FilterError(f"'{term.field}:' cannot be searched in the event store",
                              term.position, term.length)
        elif spec.kind == "time" and bound.days:
            (column,) = spec.sql
            parts += [f"({column} >= {self.param(start)} AND {column} < {self.param(end)})"
                      for start, end in bound.days]
        elif spec.kind == "bool" or spec.kind == "time":
            (column,) = spec.sql
            if not bound.flags or len(set(bound.flags)) > 1:  # time:*, or true,false
                parts.append(f"{column} IS NOT NULL")
            else:
                parts.append(f"{column} = {self.param(bound.flags[0])}")
        else:
            for column in spec.sql:
                if bound.ip_rules:
                    parts += self.addresses(column, bound)
                elif spec.kind == "list":
                    parts += self.listed(column, bound)
                else:
                    parts += self.text(column, bound)
        expression = " OR ".join(parts) if parts else "FALSE"
        if term.negated:
            # NULL columns make a comparison NULL, and NOT NULL would drop the row.
            return f"NOT coalesce(({expression}), FALSE)"
        return f"({expression})"


def compile_bound_sql(bound: BoundQuery) -> tuple[str, list[object]]:
    """The WHERE clause of an already bound query (see :func:`compile_sql`)."""
    sql = _Sql()
    clauses: list[str] = []
    if bound.query.times:
        if bound.time_field is None or not bound.time_field.sql:
            first = bound.query.times[0]
            raise FilterError(f"{bound.table.name} have no time column in the event store",
                              first.position, first.length)
        column = bound.time_field.sql[0]
        if bound.after is not None:
            clauses.append(f"{column} >= {sql.param(bound.after)}")
        if bound.before is not None:
            clauses.append(f"{column} < {sql.param(bound.before)}")
    for clause in bound.clauses:
        terms = [sql.term(b, bound.table) for b in clause]
        clauses.append(terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")")
    return (" AND ".join(clauses) if clauses else "TRUE"), sql.params


def compile_sql(query: Query, fields: FieldTable) -> tuple[str, list[object]]:
    """A WHERE clause (without ``WHERE``) with ``?`` parameters, and the parameters.

    Columns are the ``Event`` field names of the event store (``event_time``
    TIMESTAMPTZ, ``read_only`` BOOLEAN, ``resources`` VARCHAR[], ``raw`` VARCHAR).
    Time parameters are aware UTC datetimes. An empty query gives ``TRUE``.
    """
    return compile_bound_sql(bind(query, fields))
