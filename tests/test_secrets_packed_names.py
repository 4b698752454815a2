"""A field an attacker packed with secrets' names (or a private key's first line) is
redacted right, and at once.

Each name (``token:token:…``) starts a value running to the same end, and the redaction
read that run again for each: a 40 kB tag took 6 s, a 300 kB one 10 minutes, with the
app frozen on one event page (bench/bench_redact_packed.py has the figures; no speed
is asserted here). These are the texts that froze it: what must come out of each."""

from __future__ import annotations

import pytest

from awsir_tui.case.secrets import REDACTED, redact_text, safe_text

KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
UNITS = 40_000


@pytest.mark.parametrize("packed", [
    "token:" * UNITS,  # prose names, no value shaped like a key: all words kept
    "password " + "keyName:" * UNITS,  # a value after a space alone, not key-shaped
    "maxPasswordAge=90&" * UNITS,  # numbers that measure a secret
    "secret_key secret_key " * UNITS,
    "-----BEGIN PRIVATE KEY-----" * UNITS,  # a key's first line, never its last
])
def test_packed_names_with_no_secret_come_out_as_they_went_in(packed: str) -> None:
    assert redact_text(packed) == packed


def test_packed_names_before_a_key_shaped_value_lose_it_whole() -> None:
    """``/token=`` repeated then a digit: one run of base64 shaped like a token after
    the first name, replaced from there."""
    assert redact_text("/token=" * UNITS + "/k3y") == "/token=" + REDACTED


def test_a_secret_inside_packed_names_goes_and_the_rest_stays() -> None:
    half = "token:" * (UNITS // 2)
    text = f"{half}aws_secret_access_key={KEY} {half}, password={KEY}"
    expected = f"{half}aws_secret_access_key={REDACTED} {half}, password={REDACTED}"
    assert redact_text(text) == expected
    assert KEY not in safe_text(text)


def test_a_private_key_after_packed_begin_lines_goes_from_the_first() -> None:
    begins = "-----BEGIN RSA PRIVATE KEY-----\n" * UNITS
    text = f"kept {begins}MIIEvQIBADANBgkqhkiG9w0B\n-----END RSA PRIVATE KEY----- kept"
    assert redact_text(text) == f"kept {REDACTED} kept"


@pytest.mark.parametrize("measure", ["maxPasswordAge=90", "maxPasswordAge=²",
                                     "maxPasswordAge=٣٣", "password_max=①"])
def test_a_measure_in_any_digits_is_kept(measure: str) -> None:
    """A number that measures a secret stays, in whatever digits str.isdigit() knows
    (the run read once answered for ASCII digits alone, and redacted ``²``)."""
    assert redact_text(measure) == measure
    assert redact_text(f"{measure}x") != f"{measure}x"  # no number: a secret
