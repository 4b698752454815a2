"""A rule's regular expression that starts with a run of any characters, on a long value.

``search`` tried such a pattern at every position of the value, the run going to the
line's end from each: SigmaHQ's ``.+:assumed-role/aws:.+`` took 13 s on an ARN of 40 kB
of colons and 3 minutes on 160 kB, for each event read. It is tried from each line's
start now, which finds the same matches.
"""

from __future__ import annotations

import pytest

from tests.helpers_detect import one_selection_matches

COLONS = ":" * 160_000


def matches(arn: str) -> bool:
    return one_selection_matches("userIdentity.arn|re: '.+:assumed-role/aws:.+'",
                                 {"userIdentity": {"arn": arn}})


def test_a_long_value_without_the_pattern_is_no_match() -> None:
    assert not matches(COLONS)
    assert not matches(f"{COLONS}assumed-role/aws:")  # nothing after the last colon


def test_the_pattern_after_a_long_run_or_on_a_later_line_matches() -> None:
    assert matches(f"{COLONS}assumed-role/aws:x")
    assert matches(f"arn:aws:sts::1:assumed-role/aws:{COLONS}")
    assert matches(f"{COLONS}\nx:assumed-role/aws:y")
    assert not matches(f"{COLONS}:assumed-role/aws:\ny")  # . is no line feed


def test_without_python_s_private_parser_the_rules_load_and_match_as_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The line-start search reads ``re._parser``, which a later Python may move: the
    rules still load and match then, searched as written."""
    from awsir_tui.detect import sigma_eval

    monkeypatch.setattr(sigma_eval, "_SRE_PARSER", None)
    assert matches("arn:aws:sts::1:assumed-role/aws:x")
    assert not matches("arn:aws:sts::1:assumed-role/aws:")
