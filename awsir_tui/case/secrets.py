"""The last line of defence: no secret key, session token or password leaves the tool.

CloudTrail records can carry credentials (a GetSessionToken response, an attacker's
CreateAccessKey, a private key from CreateKeyPair, a password pasted into a note). Every
file the case package writes (case, journal, exports) goes through :func:`redact` for
structured data and :func:`redact_text` for the final text, so that one missed path in
a caller cannot leak a secret into evidence that gets mailed around.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

REDACTED = "**REDACTED**"

# Key names (lower-cased, without separators) whose values are secrets. "secret" and
# "token" alone are not here: secretId and nextToken are harmless and useful.
_SECRET_KEY_PARTS = (
    "secretaccesskey",
    "sessiontoken",
    "securitytoken",
    "password",
    "passwd",
    "privatekey",
    "clientsecret",
    "secretstring",
    "secretbinary",
    "apikey",
)
_SECRET_KEYS_EXACT = frozenset({"keymaterial", "secret", "credentials", "token", "accesstoken"})

_SEPARATORS = re.compile(r"[^a-z0-9]")

# A key name followed by a value, in JSON, INI/env or header form. The value is whatever
# token follows: quoted or bare, up to a quote, whitespace, comma or brace.
_NAMED_VALUE = re.compile(
    r"""(?ix)
    (?P<name>
        secret_?access_?key | aws_secret_access_key | session_?token | security_?token
        | x-amz-security-token | password | passwd
    )
    (?P<sep>"?\s*[:=]\s*"?)
    (?P<value>[^\s"',}&]+)
    """
)
# Session tokens have recognisable prefixes even without a key name beside them.
_TOKEN = re.compile(r"(?:FwoGZXIvYXdzE|IQoJb3JpZ2luX2Vj|AQoDYXdzE|AQoEXAMPLE)[A-Za-z0-9/+=]{20,}")
# PEM private keys (CreateKeyPair's keyMaterial), possibly with escaped newlines.
_PEM = re.compile(
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.DOTALL
)


#: Cheap first look, a superset of what the redaction looks for (lower-cased): text
#: without any of these holds nothing to redact and is left as is, unparsed (exports of a
#: million events are mostly such text). Key names come with the separators people put
#: in them. Plain substring tests: a case-blind regular expression took 100 us a record.
_HINTS = (
    "secret", "token", "passw", "private", "credentials",
    *(f"api{sep}key" for sep in ("", "_", "-", ".", " ")),
    *(f"key{sep}material" for sep in ("", "_", "-", ".", " ")),
    "iqojb3jpz2lu", "fwogzxivyxdze", "aqodyxdze", "aqoexample",
)

_SHORTEST_HINT = min(map(len, _HINTS))


def might_hold_secret(text: str) -> bool:
    """False when ``text`` certainly holds nothing :func:`redact_text` or a secret-named
    field (:func:`is_secret_key`, with the usual separators) would remove."""
    if len(text) < _SHORTEST_HINT:
        return False
    lowered = text.lower()
    return any(hint in lowered for hint in _HINTS)


@functools.lru_cache(maxsize=4096)
def is_secret_key(name: str) -> bool:
    """True when a field called ``name`` holds a secret (case and separators ignored).
    Cached: a record has dozens of keys, and an export of a million records repeats
    the same few hundred names."""
    flat = _SEPARATORS.sub("", name.lower())
    return flat in _SECRET_KEYS_EXACT or any(part in flat for part in _SECRET_KEY_PARTS)


def redact_text(text: str) -> str:
    """``text`` with secret values after their key names, session tokens and PEM private
    keys replaced by ``**REDACTED**``."""
    if not might_hold_secret(text):
        return text
    text = _PEM.sub(REDACTED, text)
    text = _TOKEN.sub(REDACTED, text)
    return _NAMED_VALUE.sub(
        lambda m: (
            m.group("name") + m.group("sep") + REDACTED
            if m.group("value") != REDACTED
            else m.group(0)
        ),
        text,
    )


def redact(value: Any) -> Any:
    """A copy of a JSON-like value with every secret-named field's value replaced and
    every string passed through :func:`redact_text`."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict | Mapping):  # dict first: the ABC check is slow
        return {
            str(key): (
                REDACTED if is_secret_key(str(key)) and item not in (None, "") else redact(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    return value
