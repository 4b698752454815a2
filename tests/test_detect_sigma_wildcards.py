"""A Sigma value with ``*`` wildcards between literal pieces (``*a*b*``, from a value
or from ``|contains``), on values an attacker writes.

Matched as a regular expression whole (``.*a.*b.*``), a field of ``a`` with no ``b``
took time in the square of its length, for each event and rule; the pieces are now
found in order, each once. The answers are those of the rule's own regular expression
(pySigma's ``to_regex``), checked on every short value over a small alphabet.
"""

from __future__ import annotations

import itertools
import re

from sigma.types import SigmaCasedString, SigmaString

from awsir_tui.detect.sigma_eval import _string_test
from tests.helpers_detect import one_selection_matches


def matches(agent: str) -> bool:
    return one_selection_matches("userAgent|contains: 'a*b'", {"userAgent": agent})


def test_a_long_value_of_the_first_piece_without_the_second_is_no_match() -> None:
    hostile = "a" * 200_000
    assert not matches(hostile)
    assert matches(hostile + "B")  # case-blind, as every Sigma string
    assert matches("xx A yy b")


def test_the_answers_are_the_rule_regex_s_on_every_short_value() -> None:
    patterns = ["*a*b*", "a*b", "a*", "*b", "ab*ab", "a**b", "*", "a*a*a", r"a\*b*",
                "*A*b"]
    values = ["".join(chars) for size in range(6)
              for chars in itertools.product("aAb*", repeat=size)]
    for pattern, kind in itertools.product(patterns, (SigmaString, SigmaCasedString)):
        value = kind(pattern)
        flags = re.DOTALL | (0 if kind is SigmaCasedString else re.IGNORECASE)
        expected = re.compile(str(value.to_regex().regexp), flags)
        test = _string_test(value)
        wrong = [text for text in values
                 if test(text) != (expected.fullmatch(text) is not None)]
        assert not wrong, (pattern, kind.__name__, wrong[:5])
