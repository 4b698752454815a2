"""The operators responders bring from Lucene's syntax (Kibana, Splunk): ``NOT``, ``!``,
``AND``, ``&&``, ``||`` mean what ``-``, a space and ``OR`` mean; ``or``/``and``/``not``
in lower case, ``name=x`` and ``name:!x`` are refused with the fix. Searched for as text,
each one gave wrong rows with exit 0 and no hint (``NOT name:Get`` found the events
holding "not" and "Get")."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from awsir_tui.demo.server import DemoServer
from awsir_tui.query import EVENT_FIELDS, FilterError, Query, parse, plan_lookup, quote
from tests.helpers_headless import run_cli

NOW = datetime(2019, 8, 10, 12, 0, tzinfo=UTC)
CLOUDTRAIL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cloudtrail"
STRATUS = CLOUDTRAIL / "stratus-red-team"


def meaning(text: str) -> list[list[tuple[object, ...]]]:
    """What a filter asks, without where each term was typed."""
    query = parse(text, now=NOW)
    clauses = [[(t.field, t.values, t.exact, t.negated, t.tag_key) for t in clause]
               for clause in query.clauses]
    return [*clauses, [(time.keyword, time.at) for time in query.times]]


def error_of(text: str, fields=None) -> FilterError:
    with pytest.raises(FilterError) as caught:
        parse(text, fields, now=NOW)
    return caught.value


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("NOT name:Get", "-name:Get"),
        ("!name:Get", "-name:Get"),
        ("NOT name:Get user:x", "-name:Get user:x"),
        ("name:Get AND user:x", "name:Get user:x"),
        ("name:Get && user:x", "name:Get user:x"),
        ("name:a || name:b", "name:a OR name:b"),
        ("name:a OR NOT name:b AND error:*", "name:a OR -name:b error:*"),
        ("NOT name:a OR name:b", "-name:a OR name:b"),
        ("NOT error:* AND since:2h", "-error:* since:2h"),
        ("since:2h AND user:x", "since:2h user:x"),
        ("!Describe", "-Describe"),
        ('NOT "Access Denied"', '-"Access Denied"'),
        ("NOT tag:Owner=bob", "-tag:Owner=bob"),
        ("NOT name:=x,y", "-name:=x,y"),
    ],
)
def test_lucene_operators_mean_what_the_language_already_says(typed, meant):
    assert meaning(typed) == meaning(meant)


def test_not_spans_its_term_and_a_query_built_in_code_keeps_it():
    query = parse("x NOT  name:Get", now=NOW)
    negated = query.clauses[1][0]
    assert (negated.position, negated.length, negated.text) == (2, 13, "NOT  name:Get")
    rebuilt = Query(clauses=query.clauses, times=query.times).source()
    assert meaning(rebuilt) == meaning("x -name:Get")
    # A field refused under NOT or ! is underlined where its name is.
    for text in ("NOT nmae:y", "!nmae:y", "a OR NOT  nmae:y"):
        error = error_of(text, EVENT_FIELDS)
        assert "unknown field 'nmae'" in error.message
        assert text[error.position : error.position + error.length] == "nmae"


@pytest.mark.parametrize(
    ("text", "message", "span"),
    [
        ("name:a or name:b", "'or' is an operator only in upper case: write OR for either "
         'term (name:a OR name:b); quote "or" to search for the word', "or"),
        ("name:a and user:b", "'and' is an operator only in upper case: terms side by side "
         "are ANDed already", "and"),
        ("not name:Get", "write NOT name:x or -name:x", "not"),
        ("a Or b", "'Or' is an operator only in upper case", "Or"),
        ("or", 'quote "or" to search for the word', "or"),
        ("NOT", "NOT needs a term after it", "NOT"),
        ("a NOT", "NOT needs a term after it", "NOT"),
        ("NOT OR a", "NOT needs a term right after it", "NOT OR"),
        ("NOT NOT a", "NOT needs a term right after it", "NOT NOT"),
        ("NOT -a", "negated twice", "NOT -a"),
        ("!!a", "negated twice", "!!a"),
        ("-!a", "negated twice", "-!a"),
        ("--region", 'quote the text to search for it ("--x")', "--region"),
        ("a !", "'!' needs a term right after it", "!"),
        ("AND a", "AND needs a term on each side", "AND"),
        ("a AND", "AND needs a term after it", "AND"),
        ("a && OR b", "OR needs a term on each side", "OR"),
        ("a OR AND b", "AND needs a term on each side", "AND"),
        ("|| a", "|| needs a term on each side", "||"),
        ("a &&", "&& needs a term after it", "&&"),
        ("NOT since:2h", "'since:' cannot be negated: use before:", "NOT since:2h"),
        ("!after:2019-08-09", "'after:' cannot be negated: use before:", "!after:2019-08-09"),
        ("a OR NOT since:2h", "cannot be negated", "NOT since:2h"),
        ("name=StopLogging", "'name=' is not how a field is given: write name:StopLogging "
         "(name:=StopLogging: the whole value); to search for the text, quote it",
         "name=StopLogging"),
        ("name!=Get", "write -name:Get (-name:=Get: the whole value)", "name!=Get"),
        ("-name!=Get", "write name:Get", "-name!=Get"),
        ("NOT name=Get", "write -name:Get", "NOT name=Get"),
        ("NAME==x", "'NAME=' is not how a field is given: write name:x", "NAME==x"),
        ('user="a b"', 'write user:"a b"', 'user="a b"'),
        ("since=2h", "write since:2h; to search", "since=2h"),
        ("user=arn:aws:iam::1:user/x", "write user:arn:aws:iam::1:user/x", None),
        ("name:!Get", "'!' does not negate a value: put - before the term (-name:...)", "!"),
        ("name:=!Get", "'!' does not negate a value", "!"),
        ("name:a,!b", "'!' does not negate a value", "!"),
        ("tag:Owner=!bob", "(-tag:...)", "!"),
    ],
)
def test_forms_of_other_languages_are_refused_with_the_fix(text, message, span):
    error = error_of(text)
    assert message in error.message
    assert text[error.position : error.position + error.length] == (span or text)


def test_only_the_operators_themselves_are_syntax():
    """A word holding an operator, an operator in a value or quoted, is text."""
    assert parse("x NOT y", now=NOW).terms[1].negated
    for text in ('"or"', '"NOT"', "ORANGE", "NOTE", "android", "x!", "a!b", "foo=bar",
                 "name:or", "name:NOT", "a-b", "&", "|", '"!x"', '"&&"'):
        (clause,) = parse(text, now=NOW).clauses
        assert not clause[0].negated, text
    assert parse("name:or", now=NOW).terms[0].values == ("or",)
    assert parse('"!x"', now=NOW).terms[0].values == ("!x",)


@pytest.mark.parametrize("value", ["or", "and", "AND", "Not", "NOT", "&&", "||",
                                   "!x", "!", "name=x"])
def test_quote_keeps_operators_and_signs_as_text(value):
    """Pivots quote what they put in a filter: a user named "or" or "!x" is searched for,
    where typed bare it is syntax (or refused)."""
    try:
        bare = parse(value, now=NOW)
    except FilterError:
        pass
    else:
        assert [(t.field, t.values, t.negated) for t in bare.terms] != [(None, (value,), False)]
    (word,) = parse(quote(value), now=NOW).terms
    assert (word.field, word.values, word.negated) == (None, (value,), False)
    assert parse("name:" + quote(value), now=NOW).terms[0].values == (value,)


def test_lookup_events_is_sent_the_positive_term_and_never_the_negated_one():
    for text in ("NOT name:=RunInstances AND user:=alice", "!name:=RunInstances && user:=alice"):
        plan = plan_lookup(parse(text, EVENT_FIELDS, now=NOW))
        assert plan.attribute == ("Username", "alice"), text
        assert plan.local.text == text
    # A term sent approximately is rewritten in place; NOT and AND around it stay.
    plan = plan_lookup(parse("NOT user:bob AND name:AssumeRole", EVENT_FIELDS, now=NOW))
    assert plan.approximate and plan.retry.startswith("NOT user:bob AND name:")
    retried = parse(plan.retry, EVENT_FIELDS, now=NOW)
    assert retried.clauses[0][0].negated and not retried.clauses[1][0].negated


# --- the real path: the command line over the Stratus Red Team CloudTrail files ----------


def events_csv(text: str) -> list[dict[str, str]]:
    code, out, err = run_cli("--source", str(CLOUDTRAIL), "events", "--filter", text,
                             "--format", "csv")
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


def records() -> list[dict[str, object]]:
    return [r for p in sorted(STRATUS.glob("*.json")) for r in json.loads(p.read_text())]


def test_not_and_bang_leave_out_what_minus_leaves_out():
    minus = events_csv("-name:Get")
    expected = {r["eventID"] for r in records() if "get" not in str(r["eventName"]).lower()}
    assert {row["event_id"] for row in minus} == expected
    assert 0 < len(expected) < len(records())
    assert events_csv("NOT name:Get") == minus
    assert events_csv("!name:Get") == minus


def test_and_and_the_symbols_find_what_the_language_already_finds():
    either = events_csv("name:StopLogging OR name:DeleteTrail")
    assert {row["event"] for row in either} == {"StopLogging", "DeleteTrail"}
    assert events_csv("name:StopLogging || name:DeleteTrail") == either
    both = events_csv("name:Get user:christophe")
    assert both and all(row["user"] == "christophe" for row in both)
    assert events_csv("name:Get AND user:christophe") == both
    assert events_csv("name:Get && user:christophe") == both


@pytest.mark.parametrize(
    ("text", "fix", "caret"),
    [
        ("name:StopLogging or name:DeleteTrail", "write OR for either term",
         "                 ^^"),
        ("not name:Get", "write NOT name:x or -name:x", "^^^"),
        ("name=StopLogging", "write name:StopLogging (name:=StopLogging", "^" * 16),
        ("name:!Get", "put - before the term (-name:...)", "     ^"),
    ],
)
def test_a_form_of_another_language_fails_with_its_fix_instead_of_rows(text, fix, caret):
    code, out, err = run_cli("--source", str(CLOUDTRAIL), "events", "--filter", text,
                             "--format", "csv")
    assert (code, out) == (2, "")
    assert "bad filter" in err and fix in err
    assert f"  {text}\n  {caret}\n" in err


def test_findings_not_user_leaves_out_the_user():
    def findings(text: str) -> list[dict[str, object]]:
        code, out, err = run_cli("--source", str(CLOUDTRAIL), "findings", "--filter", text,
                                 "--format", "json")
        assert code == 0, err
        return json.loads(out)

    minus = findings("-user:christophe")
    assert minus and not any("christophe" in str(f["summary"]) for f in minus)
    assert len(minus) < len(findings("user:christophe"))
    assert findings("NOT user:christophe") == minus


def test_event_history_over_http_answers_not_as_it_answers_minus(demo: DemoServer):
    """LookupEvents is sent the positive term; the negated one is checked locally."""
    def history(text: str) -> tuple[set[str], str]:
        code, out, err = run_cli("events", "--endpoint-url", demo.endpoint_url, "--regions",
                                 ",".join(demo.regions), "--filter", text, "--format", "jsonl")
        assert code == 0, err
        return {json.loads(line)["eventID"] for line in out.splitlines()}, err

    key = demo.facts.attacker_access_key_id
    everything, _ = history(f"key:{key}")
    minus, said = history(f"key:{key} -name:Describe")
    assert minus and minus < everything
    assert f"key:{key}" in said
    assert history(f"key:{key} AND NOT name:Describe")[0] == minus
    assert history(f"!name:Describe && key:{key}")[0] == minus
