"""Event filters over the real Stratus Red Team records: the predicate's answers, and the
event-store SQL giving the very same rows on a real DuckDB table."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awsir_tui.events.record import Event, from_lookup_event, from_record
from awsir_tui.query import (
    DUCKDB_SETUP,
    EVENT_FIELDS,
    INSTANCE_FIELDS,
    FilterError,
    compile_predicate,
    compile_sql,
    parse,
    plan_lookup,
    quote,
)
from awsir_tui.query.fields import raw_is_enough
from awsir_tui.query.sql import caseless_pattern

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cloudtrail"
STRATUS = DATA / "stratus-red-team"
STEAL = "aws.credential-access.ec2-steal-instance-credentials.json"
ROLE_INSTANCE = "i-786a3A8B5C0d92eF4"
NOW = datetime(2025, 1, 1, tzinfo=UTC)  # after every detonation in the data


def _load(name: str) -> list[Event]:
    return [from_record(record) for record in json.loads((STRATUS / name).read_text())]


@pytest.fixture(scope="module")
def events() -> list[Event]:
    found: list[Event] = []
    for path in sorted(STRATUS.glob("*.json")):
        found += _load(path.name)
    assert len(found) == 310
    return found


@pytest.fixture(scope="module")
def store(events: list[Event]) -> duckdb.DuckDBPyConnection:
    return make_store(events)


def make_store(events: list[Event]) -> duckdb.DuckDBPyConnection:
    """The event store's columns (named as the Event fields), plus a row number."""
    con = duckdb.connect()
    for statement in DUCKDB_SETUP:
        con.execute(statement)
    con.execute(
        "CREATE TABLE events (n INTEGER, event_id VARCHAR, event_time TIMESTAMPTZ, "
        "event_name VARCHAR, event_source VARCHAR, aws_region VARCHAR, source_ip VARCHAR, "
        "user_agent VARCHAR, error_code VARCHAR, error_message VARCHAR, read_only BOOLEAN, "
        "user_type VARCHAR, user_name VARCHAR, user_arn VARCHAR, principal_id VARCHAR, "
        "access_key_id VARCHAR, account_id VARCHAR, resources VARCHAR[], raw VARCHAR)"
    )
    con.executemany(
        "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (n, e.event_id, e.event_time, e.event_name, e.event_source, e.aws_region,
             e.source_ip, e.user_agent, e.error_code, e.error_message, e.read_only,
             e.user_type, e.user_name, e.user_arn, e.principal_id, e.access_key_id,
             e.account_id, list(e.resources), e.raw)
            for n, e in enumerate(events)
        ],
    )
    return con


def matching(events: list[Event], text: str) -> list[Event]:
    keep = compile_predicate(parse(text, EVENT_FIELDS, now=NOW), EVENT_FIELDS)
    return [e for e in events if keep(e)]


def test_an_instance_id_as_user_finds_its_role_sessions(events):
    found = matching(events, f"user:{ROLE_INSTANCE}")
    assert {e.event_name for e in found} == {"GetCallerIdentity", "DescribeInstances"}
    assert all(e.user_type == "AssumedRole" and e.user_name == ROLE_INSTANCE for e in found)
    # Any case, and by the role's ARN or the session's principal ID too.
    assert matching(events, f"user:{ROLE_INSTANCE.lower()}") == found
    assert matching(events, "user:ec2-steal-credentials-role") == found
    principal = found[0].principal_id
    assert principal.endswith(":" + ROLE_INSTANCE)
    assert matching(events, f"user:={principal}") == found


def test_the_instance_as_a_resource_is_not_the_instance_as_a_user(events):
    as_resource = matching(events, f"resource:={ROLE_INSTANCE}")
    # The SSM command sent to it, and the reads of its output (37739fb: SendCommand's
    # instanceIds name it).
    assert {e.event_name for e in as_resource} == {"SendCommand", "GetCommandInvocation"}
    assert not any(e.user_name == ROLE_INSTANCE for e in as_resource)


def test_error_star_is_every_failed_call(events):
    failed = matching(events, "error:*")
    assert failed and all(e.error_code for e in failed)
    assert len(failed) == sum(1 for e in events if e.error_code)
    assert len(matching(events, "-error:*")) == len(events) - len(failed)


def test_name_and_error_find_the_failed_attempts(events):
    found = matching(events, "name:RunInstances error:*")
    assert found and all(e.event_name == "RunInstances" and e.error_code for e in found)


def test_exact_is_whole_value_and_contains_is_substring(events):
    assert {e.event_name for e in matching(events, "name:=getcalleridentity")} == {
        "GetCallerIdentity"
    }
    assert {e.event_name for e in matching(events, "name:=GetCaller")} == set()
    described = {e.event_name for e in matching(events, "name:describeinstance")}
    assert {"DescribeInstances", "DescribeInstanceInformation"} <= described


def test_alternatives_or_and_negation(events):
    pair = matching(events, "name:=StopLogging,DeleteTrail")
    assert {e.event_name for e in pair} == {"StopLogging", "DeleteTrail"}
    assert matching(events, "name:=StopLogging OR name:=DeleteTrail") == pair
    assert matching(events, "name:=StopLogging,DeleteTrail -name:=DeleteTrail") == [
        e for e in pair if e.event_name == "StopLogging"
    ]


def test_ip_addresses_are_whole_values_ranges_or_fragments(events):
    attacker = matching(events, "ip:18.236.253.47")
    assert attacker and all(e.source_ip == "18.236.253.47" for e in attacker)
    assert matching(events, "ip:18.236.253.4") == []  # not a part of .47
    in_range = tuple(f"18.236.{octet}." for octet in (252, 253, 254, 255))
    assert matching(events, "ip:18.236.252.0/22") == [
        e for e in events if e.source_ip.startswith(in_range)
    ]
    # The anonymised data has leading zeros (not addresses to Python): a plain part then.
    assert matching(events, "ip:253.252.51.07")
    everyone = matching(events, "ip:0.0.0.0/0")
    assert everyone and all(e.source_ip[0].isdigit() and "." in e.source_ip for e in everyone)
    assert not any(e.source_ip.endswith("amazonaws.com") for e in everyone)


def test_bad_ip_ranges_are_refused():
    with pytest.raises(FilterError, match=r"bad IP range '10\.0\.0\.0/33'"):
        parse("ip:10.0.0.0/33", EVENT_FIELDS)
    with pytest.raises(FilterError, match="IPv6 ranges are not supported"):
        parse("ip:2a05::/16", EVENT_FIELDS)


def test_readonly_is_a_bool(events):
    writes = matching(events, "readonly:false")
    assert writes and all(e.read_only is False for e in writes)
    assert len(matching(events, "ro:true")) == sum(1 for e in events if e.read_only is True)


def test_bare_words_search_the_raw_record(events):
    # "HIDDEN_DUE_TO_SECURITY_REASONS" exists only inside requestParameters.
    hidden = matching(events, "hidden_due_to_security")
    assert hidden and all("HIDDEN_DUE_TO_SECURITY_REASONS" in e.raw for e in hidden)
    phrase = matching(events, '"is not authorized"')
    assert phrase and all("is not authorized" in e.raw for e in phrase)


def test_time_bounds_apply_to_event_time(events):
    day = matching(events, "after:2024-08-02 before:2024-08-03")
    assert day and all(
        datetime(2024, 8, 2, tzinfo=UTC) <= e.event_time < datetime(2024, 8, 3, tzinfo=UTC)
        for e in day
    )
    latest = max(e.event_time for e in events)
    assert matching(events, f"after:{latest.isoformat()}") == [
        e for e in events if e.event_time == latest
    ]
    assert matching(events, "since:1h") == []  # NOW is weeks after the detonations


def test_hostile_strings_in_events_are_just_text():
    record = {
        "eventID": "x", "eventTime": "2024-08-01T00:00:00Z", "eventName": "[bold]Run",
        "userAgent": "\x1b[31m[/]" + "A" * 100_000, "userIdentity": {"type": None},
        "requestParameters": {"instanceId": "[red]i-1"},
    }
    event = from_record(record)
    for text, expected in [("name:[bold]", True), ("agent:\x1b[31m", True),
                           ("resource:=[red]i-1", True), ("[/]", True), ("type:*", False)]:
        assert compile_predicate(parse(text, EVENT_FIELDS), EVENT_FIELDS)(event) is expected


def test_none_where_text_is_expected_reads_as_empty():
    """An Event rebuilt from store rows may carry None for a NULL column."""
    event = Event(event_id="n", event_time=NOW, event_name=None,  # type: ignore[arg-type]
                  resources=(None, "i-1"), raw=None)  # type: ignore[arg-type]
    for text, expected in [("name:x", False), ("-name:*", True), ("name:=x", False),
                           ("resource:i-1", True), ("resource:=i-1", True), ("word", False),
                           ("ip:10.0.0.0/8", False), ("name:a,b", False)]:
        assert compile_predicate(parse(text, EVENT_FIELDS), EVENT_FIELDS)(event) is expected


EQUIVALENT = [
    "", f"user:{ROLE_INSTANCE}", f"user:={ROLE_INSTANCE.upper()}", "error:*", "-error:*",
    "name:RunInstances error:*", "readonly:false", "-readonly:true", "readonly:*",
    "readonly:true,false", "name:=StopLogging,DeleteTrail",
    "name:describe -name:=describeinstances",
    f"resource:={ROLE_INSTANCE}", "resource:i-786a", "resource:*", "-resource:*",
    "resource:arn:aws:iam", "hidden_due_to_security", '"is not authorized"', "root",
    "denied OR name:StopLogging", "source:=ec2.amazonaws.com type:AssumedRole",
    "ip:18.236", "ip:18.236.253.47", "ip:18.236.253.4", "ip:18.236.0.0/16",
    "-ip:10.0.0.0/8", "ip:0.0.0.0/0", "ip:18.236.252.0/22,1.2.3.4", "key:ASIA",
    "id:2a5178c8", "message:*", "agent:stratus", "region:us-",
    "account:=017622104382", "after:2024-08-02 before:2024-08-03", "since:60d", "time:*",
    "time:2024-08-02", "-time:2024-08-02", "time:2024-08-02,2024-08-09 OR error:*",
    "name:%", "name:_", "'", "50%_off", '-"\\""', "christophe -key:AKIA",
    # No letters: compiled without lower(), the same rows all the same.
    "017622104382", "18.236.253", "2024-08-02", "-:443",
    "ip:18.236.0.0/16 17622", "id:=2a5178c8-0000",
    # Letters: a case-blind pattern over raw, whose other characters are taken as typed.
    "ec2.amazonaws", "EC2.AMAZONAWS.COM", "run.*instances", '"("', "[", "^", "$", "c++",
    "?", "{", "ec2|iam", "\\", "hidden_due_to_security|x",
]


@pytest.mark.parametrize("text", EQUIVALENT)
def test_sql_returns_the_same_rows_as_the_predicate(events, store, text):
    try:
        query = parse(text, EVENT_FIELDS, now=NOW)
    except FilterError:
        pytest.fail(f"{text!r} should parse")
    keep = compile_predicate(query, EVENT_FIELDS)
    expected = [n for n, e in enumerate(events) if keep(e)]
    where, params = compile_sql(query, EVENT_FIELDS)
    rows = store.execute(f"SELECT n FROM events WHERE {where} ORDER BY n", params).fetchall()
    assert [n for (n,) in rows] == expected


def test_every_flat_field_is_in_the_raw_record_so_a_word_may_search_raw_alone(events):
    """The premise of raw_is_enough(), checked on every real record."""
    checked = 0
    for event in events:
        raw = event.raw.lower()
        for value in (event.event_name, event.event_source, event.user_name, event.user_arn,
                      event.principal_id, event.access_key_id, event.source_ip,
                      event.event_id, event.error_code, event.error_message,
                      event.user_agent, event.aws_region, event.user_type, event.account_id,
                      *event.resources):
            if raw_is_enough(value):
                assert value.lower() in raw, (event.event_id, value)
                checked += 1
    assert checked > 3000


def test_words_json_escapes_or_raw_that_is_not_json_search_every_field():
    broken = from_lookup_event({"EventId": "b-1", "EventName": "RunInstances",
                                "EventTime": "2024-08-01T00:00:00Z", "Username": "mallory",
                                "CloudTrailEvent": "<html>throttled</html>"})
    escaped = from_record({
        "eventID": "e-1", "eventTime": "2024-08-01T00:00:00Z", "eventName": "PutObject",
        "userAgent": "café/1.0 \"quoted\"", "sourceIPAddress": "10.0.0.1",
        "userIdentity": {"type": "AssumedRole",
                         "arn": "arn:aws:sts::1:assumed-role/ops/i-0abc"},
    })
    slashed = replace(escaped, event_id="e-2",
                      raw=escaped.raw.replace("/", "\\/"))  # as some JSON writers do
    assert "assumed-role/ops" not in slashed.raw
    go = from_record({"eventID": "g-1", "eventTime": "2024-08-01T00:00:00Z",
                      "userAgent": "<script>&'x'"})
    go = replace(go, raw=go.raw.replace("<", "\\u003c").replace(">", "\\u003e")
                 .replace("&", "\\u0026").replace("'", "\\u0027"))  # as Go writes JSON
    assert "<" not in go.raw and "'" not in go.raw
    sample = [broken, escaped, slashed, go]
    con = make_store(sample)
    for word, expected in [("runinstances", [broken]), ("mallory", [broken]),
                           ("throttled", [broken]), ("café", [escaped, slashed]),
                           ('"quoted"', [escaped, slashed]), ("role/ops", [escaped, slashed]),
                           ("putobject", [escaped, slashed]), ("<script>", [go]),
                           ("&", [go]), ("'x'", [go])]:
        text = quote(word)
        assert matching(sample, text) == expected, word
        where, params = compile_sql(parse(text, EVENT_FIELDS), EVENT_FIELDS)
        rows = con.execute(f"SELECT n FROM events WHERE {where} ORDER BY n", params)
        assert [sample[n] for (n,) in rows.fetchall()] == expected, word


def test_empty_strings_in_a_list_are_no_value_in_sql_as_in_the_predicate():
    sample = [replace(from_record({"eventID": f"r-{n}", "eventTime": "2024-08-01T00:00:00Z"}),
                      resources=resources)
              for n, resources in enumerate([(), ("",), ("", ""), ("", "i-1"), ("i-1",)])]
    con = make_store(sample)
    for text in ("resource:*", "-resource:*", "resource:=i-1", "resource:i-"):
        query = parse(text, EVENT_FIELDS)
        keep = compile_predicate(query, EVENT_FIELDS)
        where, params = compile_sql(query, EVENT_FIELDS)
        rows = con.execute(f"SELECT n FROM events WHERE {where} ORDER BY n", params)
        assert [n for (n,) in rows.fetchall()] == [
            n for n, e in enumerate(sample) if keep(e)
        ], text
    assert [e.resources for e in sample if compile_predicate(
        parse("resource:*", EVENT_FIELDS), EVENT_FIELDS)(e)] == [("", "i-1"), ("i-1",)]


def test_sql_is_parameterised_and_never_contains_the_value(store):
    hostile = "x'); DROP TABLE events; --"
    where, params = compile_sql(parse(f'name:"{hostile}"', EVENT_FIELDS), EVENT_FIELDS)
    assert hostile not in where and hostile.lower() in params
    assert store.execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchone() == (0,)
    assert store.execute("SELECT count(*) FROM events").fetchone() == (310,)


def test_sql_keeps_to_functions_trino_also_has():
    query = parse("a -error:* name:x,y resource:=r -readonly:true since:2h user:=u OR key:k",
                  EVENT_FIELDS)
    where, _ = compile_sql(query, EVENT_FIELDS)
    assert "regexp_like(raw, ?)" in where  # Trino's; DUCKDB_SETUP defines it for DuckDB
    lowered = where.lower().replace("regexp_like(", "")
    for dialect_only in (" like ", "ilike", "->", "lambda", "list_", "array_to_string",
                         "array_join", "regexp", "::"):
        assert dialect_only not in lowered
    assert "strpos(lower(" in lowered and "concat_ws(chr(31), resources)" in lowered
    assert "cardinality" not in lowered


#: Each letter's look-alikes in case: its cases, and what lower() or Unicode case folding
#: takes for it (İ and ı, the Kelvin sign, the long s).
_CASES = {"i": "iI\u0130\u0131", "k": "kK\u212a", "s": "sS\u017f"}
_NEEDLE_CHARS = "abikszAIK.*+?()[]{}^$|\\-_ 0"


@st.composite
def _needle_and_records(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A needle, and texts holding it in mixed case or with a look-alike in its place."""
    needle = draw(st.text(alphabet=_NEEDLE_CHARS, min_size=1, max_size=4))
    noise = st.text(alphabet=_NEEDLE_CHARS + "\u00e9\u00df", max_size=3)
    records = []
    for _ in range(draw(st.integers(1, 6))):
        middle = "".join(
            draw(st.sampled_from(_CASES.get(c.lower(), c.lower() + c.upper()))) for c in needle
        )
        records.append(draw(noise) + middle + draw(noise))
    return needle, records


@settings(max_examples=200, deadline=None)
@given(_needle_and_records())
def test_a_caseless_pattern_finds_what_lower_and_strpos_find(case):
    """regexp_like(raw, caseless_pattern(n)) in place of strpos(lower(raw), n) > 0 must
    not change a full-text search's rows, whatever the record holds (regex characters
    are literal, no other letter folds to an ASCII one), but for the two characters
    lower() maps to ASCII letters, İ and the Kelvin sign, which the pattern leaves be."""
    needle, values = case
    con = duckdb.connect()
    for statement in DUCKDB_SETUP:
        con.execute(statement)
    folded = needle.lower()
    rows = con.execute(
        "SELECT list(strpos(lower(replace(replace(v, chr(304), '#'), chr(8490), '#')), ?) > 0"
        " ORDER BY n), list(regexp_like(v, ?) ORDER BY n) "
        "FROM (SELECT unnest(?) AS v, unnest(range(len(?))) AS n)",
        [folded, caseless_pattern(folded), values, values],
    ).fetchone()
    assert rows is not None and rows[0] == rows[1]


def test_needles_without_letters_are_not_lower_cased_in_sql():
    """Lower-casing a million raw records is half a full-text search; a needle that is
    ASCII without letters matches the same rows without it (EQUIVALENT proves it)."""
    plain, _ = compile_sql(parse("18.236.253 account:=017622104382"), EVENT_FIELDS)
    assert "lower(" not in plain
    for cased in ("hidden_due", "account:=0176x", "18.236 é"):
        where, _ = compile_sql(parse(cased), EVENT_FIELDS)
        assert "lower(" in where, cased
    # With letters, the raw record is matched by a case-blind pattern, not lower().
    word, _ = compile_sql(parse("hidden_due"), EVENT_FIELDS)
    assert "regexp_like(raw, ?)" in word and "lower(raw)" not in word.split(" ELSE ")[0]


def test_sql_refuses_what_the_store_cannot_answer():
    with pytest.raises(FilterError, match="instances have no time column"):
        compile_sql(parse("since:2h"), INSTANCE_FIELDS)
    with pytest.raises(FilterError, match="cannot be searched in the event store"):
        compile_sql(parse("key:x"), INSTANCE_FIELDS)


def test_sql_refuses_fields_the_store_does_not_have():
    with pytest.raises(FilterError, match="'sg:' is a field for instances"):
        compile_sql(parse("sg:x"), EVENT_FIELDS)


#: Filter fields and the Event attributes whose real values make matching filters.
_SOURCES = {
    "name": ("event_name",), "user": ("user_name", "user_arn"), "ip": ("source_ip",),
    "error": ("error_code",), "region": ("aws_region",), "type": ("user_type",),
    "key": ("access_key_id",), "resource": ("resources",), "agent": ("user_agent",),
    "source": ("event_source",), "message": ("error_message",), "id": ("event_id",),
    "account": ("account_id",),
}


def _fragments(events: list[Event]) -> dict[str, list[str]]:
    """For each field, values (whole, halves, tails, other case) found in the records."""
    found: dict[str, set[str]] = {field: set() for field in _SOURCES}
    for e in events[::5]:
        for field, attributes in _SOURCES.items():
            for attribute in attributes:
                value = getattr(e, attribute)
                for item in value[:2] if isinstance(value, tuple) else (value,):
                    if item:
                        found[field].update(
                            {item, item.upper(), item[: max(1, len(item) // 2)], item[-5:]}
                        )
    return {field: sorted(values) for field, values in found.items() if values}


@st.composite
def _filters(draw: st.DrawFn, fragments: dict[str, list[str]]) -> str:
    fields = sorted(fragments)
    terms = []
    for _ in range(draw(st.integers(1, 3))):
        field = draw(st.sampled_from(fields))
        values = draw(st.lists(st.sampled_from(fragments[field]), min_size=1, max_size=2))
        shape = draw(st.sampled_from(["field", "exact", "star", "word", "bool"]))
        text = {
            "field": f"{field}:{','.join(quote(v) for v in values)}",
            "exact": f"{field}:={','.join(quote(v) for v in values)}",
            "star": f"{field}:*",
            "word": quote(values[0]),
            "bool": f"readonly:{draw(st.sampled_from(['true', 'false', '*']))}",
        }[shape]
        negated = draw(st.integers(0, 3)) == 0  # a quarter, in each way the language has
        terms.append((draw(st.sampled_from(["-", "NOT ", "!"])) if negated else "") + text)
    return draw(st.sampled_from([" ", " OR ", " AND ", " || "])).join(terms)


def test_sql_equals_the_predicate_on_generated_filters(events, store):
    fragments = _fragments(events)
    matched: list[int] = []

    @settings(max_examples=200, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(_filters(fragments))
    def check(text: str) -> None:
        query = parse(text, EVENT_FIELDS, now=NOW)
        keep = compile_predicate(query, EVENT_FIELDS)
        expected = [n for n, e in enumerate(events) if keep(e)]
        where, params = compile_sql(query, EVENT_FIELDS)
        rows = store.execute(f"SELECT n FROM events WHERE {where} ORDER BY n",
                             params).fetchall()
        assert [n for (n,) in rows] == expected, text
        matched.append(len(expected))

    check()
    # The generated filters must select something and not everything, or prove nothing.
    assert sum(1 for m in matched if 0 < m < len(events)) > len(matched) // 4


_PIECES = st.sampled_from([
    "name:", "user:", "resource:", "ip:", "readonly:", "error:", "-", "=", "*", ",", '"',
    " ", " OR ", " AND ", " || ", "NOT ", "!", "a", "Run", "%", "_", "'", "\\", "10.0.0.0/8",
    "1.2.3.4", "true", "é",
    "since:2h", "after:2024-08-01", "\x1f", "[bold]", "\x1b[31m", "<", "/",
])


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_every_filter_that_parses_compiles_to_sql_duckdb_accepts(store, text):
    try:
        query = parse(text, EVENT_FIELDS, now=NOW)
    except FilterError:
        return
    where, params = compile_sql(query, EVENT_FIELDS)
    store.execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchone()
    plan_lookup(query).explain()
