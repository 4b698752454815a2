"""The filter parser: every piece of syntax, every error pointing at its term, any input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awsir_tui.events.record import Event
from awsir_tui.query import (
    EVENT_FIELDS,
    INSTANCE_FIELDS,
    KEY_PAIR_FIELDS,
    SECURITY_GROUP_FIELDS,
    FilterError,
    Query,
    compile_predicate,
    fields_help,
    parse,
    quote,
)
from awsir_tui.text import is_unsafe

NOW = datetime(2019, 8, 10, 12, 0, tzinfo=UTC)


def only_term(text: str):
    query = parse(text, now=NOW)
    assert len(query.clauses) == 1 and len(query.clauses[0]) == 1
    return query.clauses[0][0]


def test_terms_are_anded_in_order_with_positions():
    query = parse("name:RunInstances  error:* word", now=NOW)
    terms = query.terms
    assert [(t.field, t.values) for t in terms] == [
        ("name", ("RunInstances",)), ("error", ()), (None, ("word",))
    ]
    assert [(t.position, t.length) for t in terms] == [(0, 17), (19, 7), (27, 4)]
    assert terms[1].is_presence


def test_field_value_is_substring_and_equals_is_exact():
    assert not only_term("name:Run").exact
    term = only_term("name:=RunInstances")
    assert term.exact and term.values == ("RunInstances",)


def test_field_names_are_case_insensitive_and_values_keep_their_case():
    term = only_term("NAME:RunInstances")
    assert term.field == "name" and term.values == ("RunInstances",)


def test_negation():
    term = only_term("-error:*")
    assert term.negated and term.field == "error" and term.is_presence
    word = only_term("-Describe")
    assert word.negated and word.field is None and word.values == ("Describe",)


def test_quotes_group_words_anywhere_in_a_term():
    assert only_term('"Access Denied"').values == ("Access Denied",)
    assert only_term('name:"a b"').values == ("a b",)
    assert only_term('agent:"aws-cli/2 Python"').values == ("aws-cli/2 Python",)
    assert only_term(r'"say \"hi\""').values == ('say "hi"',)
    quoted_comma = only_term('name:"a,b"')
    assert quoted_comma.values == ("a,b",)
    # A quoted dash is text, not negation; a quoted colon is text, not a field.
    assert not only_term('"-x"').negated
    assert only_term('"name:x"').field is None


def test_stars_at_the_ends_of_a_value_are_habit_and_dropped():
    assert only_term("name:Describe*").values == ("Describe",)
    assert only_term("name:*Instances*,Run*").values == ("Instances", "Run")
    assert only_term("Describe*").values == ("Describe",)
    assert only_term("tag:Owner=bo*").values == ("bo",)
    # Inside a value, quoted, or with an exact match, a star is a star.
    assert only_term("name:a*b").values == ("a*b",)
    assert only_term('name:"x*"').values == ("x*",)
    assert only_term("name:=x*").values == ("x*",)


def test_comma_alternatives():
    assert only_term("name:RunInstances,CreateKeyPair").values == (
        "RunInstances", "CreateKeyPair"
    )
    assert only_term("name:=a,b").exact


def test_or_joins_neighbouring_terms_into_one_clause():
    query = parse("name:RunInstances OR name:CreateKeyPair error:*", now=NOW)
    assert [len(c) for c in query.clauses] == [2, 1]
    assert [t.values for t in query.clauses[0]] == [("RunInstances",), ("CreateKeyPair",)]
    # Quoted, "or" is the word.
    assert [len(c) for c in parse('a "or" b', now=NOW).clauses] == [1, 1, 1]


def test_tags():
    owner = only_term("tag:Owner=bob")
    assert (owner.field, owner.tag_key, owner.values) == ("tag", "Owner", ("bob",))
    has = only_term("tag:Owner")
    assert has.tag_key == "Owner" and has.is_presence
    spaced = only_term('tag:"Cost Center"=ops,dev')
    assert spaced.tag_key == "Cost Center" and spaced.values == ("ops", "dev")
    assert only_term("tag:=Owner=bob").exact
    assert only_term("tag:*").tag_key is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("since:2h", NOW - timedelta(hours=2)),
        ("since:30m", NOW - timedelta(minutes=30)),
        ("since:45s", NOW - timedelta(seconds=45)),
        ("since:7d", NOW - timedelta(days=7)),
        ("since:1w", NOW - timedelta(weeks=1)),
        ("after:2019-08-09", datetime(2019, 8, 9, tzinfo=UTC)),
        ("after:2019-08-09T12:00Z", datetime(2019, 8, 9, 12, tzinfo=UTC)),
        ("after:2019-08-09T14:00:00+02:00", datetime(2019, 8, 9, 12, tzinfo=UTC)),
        ("after:2019-08-09T12:00", datetime(2019, 8, 9, 12, tzinfo=UTC)),
    ],
)
def test_lower_time_bounds(text, expected):
    query = parse(text, now=NOW)
    assert query.after == expected and query.before is None and not query.clauses


def test_upper_bound_and_the_tightest_bounds_win():
    query = parse("after:2019-08-01 since:2d before:2019-08-10T12:00Z before:2019-08-11",
                  now=NOW)
    assert query.after == NOW - timedelta(days=2)
    assert query.before == datetime(2019, 8, 10, 12, tzinfo=UTC)


def test_bare_words_that_only_look_like_fields():
    for text in ("arn:aws:iam::123456789012:user/bob", "10:30", "2001:db8::1",
                 "https://example.invalid/x", ":x"):
        term = only_term(text)
        assert term.field is None and term.values == (text,)
    # A field's value may contain colons (an ARN after user:).
    assert only_term("user:arn:aws:sts::1:assumed-role/r/i-1").values == (
        "arn:aws:sts::1:assumed-role/r/i-1",
    )


def test_empty_filter_matches_everything():
    assert parse("   ", now=NOW).is_empty()
    assert compile_predicate(parse(""), INSTANCE_FIELDS)({})


def error_of(text: str, fields=None) -> FilterError:
    with pytest.raises(FilterError) as caught:
        parse(text, fields, now=NOW)
    return caught.value


@pytest.mark.parametrize(
    ("text", "fields", "message", "span"),
    [
        ("name:x nmae:y", None, "unknown field 'nmae' (did you mean 'name'?)", "nmae"),
        ("-nmae:y", EVENT_FIELDS, "unknown field 'nmae' (did you mean 'name'?)", "nmae"),
        ("sg:sg-1", EVENT_FIELDS, "'sg:' is a field for instances, not for events", "sg"),
        ("a name:", None, "'name:' needs a value", "name:"),
        ("a name:=", None, "'name:' needs a value", "name:="),
        ("name:a,,b", None, "empty value in 'name:'", "a,,b"),
        ("name:a,", None, "empty value in 'name:'", "a,"),
        ('x "Access Denied', None, "unterminated quote", '"Access Denied'),
        ('name:"a', None, "unterminated quote", '"a'),
        ("since:2x", None, "bad time '2x' for since:", "2x"),
        ("before:2019-13-40", None,
         "before: '2019-13-40' is not a valid date (there is no month 13)", "2019-13-40"),
        ("after:2026-02-30T10:00Z", None, "after: '2026-02-30' is not a valid date "
         "(2026-02 has 28 days); write a date as 2019-08-09", "2026-02-30T10:00Z"),
        ("since:0000-01-01", None, "there is no year 0", "0000-01-01"),
        ("since:99999999999d", None,
         "since: '99999999999d' reaches back more than 100 years", "99999999999d"),
        ("after:", None, "'after:' needs a time", "after:"),
        ("-since:2h", None, "cannot be negated: use before:", "-since:2h"),
        ("OR a", None, "OR needs a term on each side", "OR"),
        ("a OR", None, "OR needs a term after it", "OR"),
        ("a OR OR b", None, "OR needs a term on each side", "OR"),
        ("a OR since:2h", None, "a time bound cannot be ORed", "since:2h"),
        ("since:2h OR a", None, "a time bound cannot be ORed", "since:2h"),
        ("a since:2h OR b", None, "a time bound cannot be ORed", "since:2h"),
        ("since:3d OR key:bob", INSTANCE_FIELDS, "a time bound cannot be ORed", "since:3d"),
        ("x - y", None, "'-' needs a term", "-"),
        ('x ""', None, "empty quotes", '""'),
        ("tag:=", None, "'tag:' needs a value", "tag:="),
        ("tag:Owner=", None, "tag:Owner= needs a value", "Owner="),
        ("tag:==bob", None, "tag: needs a key", "=bob"),
        ("a *", None, "'*' alone matches everything", "*"),
        ("name:a,**", None, "empty value in 'name:'", "a,**"),
        ("readonly:maybe", EVENT_FIELDS, "readonly: takes true or false", "readonly:maybe"),
        ("port:99999", SECURITY_GROUP_FIELDS, "port: takes a port", "port:99999"),
        ("port:ssh", SECURITY_GROUP_FIELDS, "port: takes a port", "port:ssh"),
        ("tag:Owner=bob", EVENT_FIELDS, "events have no tags", "tag"),
        ("since:2h", SECURITY_GROUP_FIELDS, "security groups have no time", "since"),
        ("time:2019", EVENT_FIELDS, "use since:, after: or before:", "time:2019"),
        ("after:2019-08-10 before:2019-08-09", None, "empty time range: 2019-08-10 00:00:00Z"
         " is not before 2019-08-09 00:00:00Z", "before:2019-08-09"),
        ("before:2019-08-10T09:00Z since:2h", None, "empty time range", "since:2h"),
        ("after:2019-08-09 before:2019-08-09", None, "empty time range", "before:2019-08-09"),
    ],
)
def test_errors_say_what_is_wrong_and_point_at_it(text, fields, message, span):
    error = error_of(text, fields)
    assert message in error.message
    assert text[error.position : error.position + error.length] == span


def test_text_with_a_colon_is_an_unknown_field_with_a_hint_to_quote_it():
    error = error_of("ec2:RunInstances", EVENT_FIELDS)
    assert "unknown field 'ec2' (to search for the text itself, put it in quotes)" in (
        error.message
    )
    assert only_term('"ec2:RunInstances"').values == ("ec2:RunInstances",)


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("(name:RunInstances)", 0),
        ("(name:a OR name:b) user:x", 0),
        ("name:a OR name:b)", 16),
        ("-(name:a", 1),
        ("( name:a )", 0),
        ("x )", 2),
        ("name:(a", 5),
        ("name:=(a", 6),
        ("name:a,b)", 8),
        ("tag:Owner=(bob)", 10),
        ("*(x)*", 1),
    ],
)
def test_parentheses_are_refused_not_searched_for_as_text(text, at):
    """Taken as text, ``(name:RunInstances)`` read all of Event history and found nothing,
    without a word: the language has no grouping, so the filter is refused, and says
    how to write it instead."""
    for fields in (None, INSTANCE_FIELDS):  # instances have every field used here
        error = error_of(text, fields)
        assert "filters have no parentheses" in error.message
        assert "name:a OR name:b user:x" in error.message and '"(x)"' in error.message
        assert (error.position, error.length) == (at, 1)
    assert "no parentheses" in error_of("(name:RunInstances)", EVENT_FIELDS).message


def test_quoted_parentheses_and_a_word_holding_its_own_are_text():
    assert only_term('"(name:RunInstances)"').values == ("(name:RunInstances)",)
    assert only_term('name:"(x"').values == ("(x",)
    assert only_term('-")"').values == (")",)
    assert only_term("f(x)").values == ("f(x)",)
    assert only_term("agent:Linux(5.10)").values == ("Linux(5.10)",)
    assert quote("(x)") == '"(x)"' and quote("x)") == '"x)"'


def test_a_query_built_in_code_still_shows_as_filter_text():
    typed = parse("a name:x OR -error:* since:2h", now=NOW)
    rebuilt = Query(clauses=typed.clauses, times=typed.times)
    assert rebuilt.source() == "a name:x OR -error:* since:2h"
    again = parse(rebuilt.source(), now=NOW)
    assert (again.clauses, again.times) == (typed.clauses, typed.times)


def test_unknown_field_for_a_view_lists_that_views_fields():
    message = error_of("nmae:x", KEY_PAIR_FIELDS).message
    assert "key pairs have: name, id, fingerprint" in message
    assert "created, since" in message  # created:2019-08-09 takes a day


def test_caret_underlines_the_bad_term():
    error = error_of("name:x nmae:y")
    assert error.caret("name:x nmae:y").splitlines()[1] == "       ^^^^"


@pytest.mark.parametrize(
    "text",
    [
        "[bold]x[/bold]", "[/", "name:[red]", "\x1b[31mred\x1b[0m", "\x1b]0;title\x07",
        "név:x", "名前:x", "user:ユーザー", "\u202eevil", "\x00", "a\x00b:c",
        "x" * 100_000, "name:" + "a," * 5000 + "b", '"' * 1001, "-" * 50, ":" * 30,
        "tag:" + "=" * 20, "since:99999999w", "after:0001-01-01T00:00+01:00",
        "after:9999-12-31T23:59-01:00", "before:2019-08-09T25:00", "OR",
        "\t\n\r\x0b\x0c", "\\", '"\\', 'name:"\\"',
    ],
)
def test_hostile_text_parses_or_raises_a_clean_filter_error(text):
    for fields in (None, EVENT_FIELDS, INSTANCE_FIELDS, SECURITY_GROUP_FIELDS,
                   KEY_PAIR_FIELDS):
        try:
            parse(text, fields, now=NOW)
        except FilterError as error:
            assert 0 <= error.position <= len(text)
            assert error.position + error.length <= len(text)
            # The message never carries the raw escape, so it cannot repaint a terminal.
            assert "\x1b" not in error.message and "\x00" not in error.message


def test_a_very_long_unknown_field_gives_a_short_message():
    error = error_of("a" * 50_000 + ":x", EVENT_FIELDS)
    assert len(error.message) < 400 and error.length == 50_000


_ALPHABET = st.sampled_from(
    [*'abnmeitgrso:=-,*" \\\x1b[]/()!', "name", "tag", "OR", "since:", "2h", "é", "\x00",
     "NOT", "AND", "&&", "||", "or"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_any_text_parses_or_raises_filter_error(text):
    samples = {EVENT_FIELDS: Event(event_id="e", event_time=NOW, raw="{}"),
               SECURITY_GROUP_FIELDS: {"GroupId": "sg-1", "IpPermissions": [{}]}}
    for fields in (None, *samples):
        try:
            query = parse(text, fields, now=NOW)
        except FilterError as error:
            assert error.position >= 0 and error.position + error.length <= len(text)
            continue
        if fields is not None:
            compile_predicate(query, fields)(samples[fields])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_arbitrary_unicode_parses_or_raises_filter_error(text):
    try:
        parse(text, now=NOW)
    except FilterError as error:
        assert error.position + error.length <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_quote_round_trips_any_value(value):
    term = only_term("name:" + quote(value))
    assert term.values == (value,) and not term.exact and not term.is_presence
    word = only_term(quote(value))
    assert word.field is None and word.values == (value,) and not word.negated
    # Typed into a prompt, a control would act on the terminal: each is written escaped.
    assert not any(is_unsafe(char) for char in quote(value))


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("\x1b[31mRED\x07", '"\\x1b[31mRED\\x07"'),
        ("line1\nline2\rCR\tTAB", '"line1\\x0aline2\\x0dCR\\x09TAB"'),
        ("ad\u200bmin", '"ad\\u200bmin"'),
        ("tag\U000e0041", '"tag\\U000e0041"'),
        # A backslash of the value stays one: not read back as an escape.
        ("C:\\x1b", '"C:\\\\x1b"'),
    ],
)
def test_controls_are_quoted_as_the_screen_shows_them_and_read_back(value, quoted):
    """A pivot on a hostile value: the filter shown (``\\x1b``) is what was typed."""
    assert quote(value) == quoted
    assert only_term(f"user:={quoted}").values == (value,)


def test_an_escape_of_a_printable_character_stays_text():
    """Only controls and invisible characters are read from escapes: ``"\\x41"`` is
    those four characters, as before, not ``A``."""
    assert only_term('"\\x41"').values == ("\\x41",)
    assert only_term('"\\x1"').values == ("\\x1",)


def test_help_lists_each_views_fields_and_the_syntax():
    events = dict(fields_help(EVENT_FIELDS))
    assert "user:, username:" in events and "instance ID" in events["user:, username:"]
    assert "since:2h" in events and "tag:K=V" not in events
    instances = dict(fields_help(INSTANCE_FIELDS))
    assert "sg:, group:" in instances and "tag:K=V" in instances
    assert "since:2h" not in dict(fields_help(SECURITY_GROUP_FIELDS))
