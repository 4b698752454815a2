"""The last line of defence: no secret key, session token or password leaves the tool.

CloudTrail records can carry credentials (a GetSessionToken response, an attacker's
CreateAccessKey, a private key from CreateKeyPair, a password pasted into a note). Every
file the case package writes (case, journal, exports) goes through :func:`redact` for
structured data and :func:`redact_text` (or :func:`safe_text`, for a value shown or
written as text) for strings, so that one missed path in a caller cannot leak a secret
into evidence that gets mailed around.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from awsir_tui.text import INVISIBLE, clean

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
    "secretkey",
)
_SECRET_KEYS_EXACT = frozenset({"keymaterial", "secret", "credentials", "token", "accesstoken"})
#: A name that ends with one of these is a secret's (aws_secret, DB_PWD, API_TOKEN,
#: refreshToken): a name ending in "secret" says what it holds, where secretId or
#: secretName only name one.
_SECRET_ENDINGS = ("secret", "pwd", "token")
#: ...but for the tokens that page through a listing or make a call idempotent
#: (nextToken, nextForwardToken, clientRequestToken, uploadSequenceToken): no access in
#: them, and an analyst follows a request by them. (What comes before "token".)
_NOT_SECRET_TOKENS = frozenset({
    "client", "clientrequest", "idempotency", "pagination", "continuation", "starting",
    "page", "sequence", "uploadsequence",
})
#: An object called credentials (STS's AssumeRole, GetSessionToken, GetFederationToken;
#: Cognito's) holds, beside the secret key and the session token, the issued access key
#: ID (the ASIA key: the indicator the responder pivots on) and when it expires. Those
#: are kept; every other value in it is a secret, whatever its name (Cognito's SecretKey).
_CREDENTIALS = "credentials"
_CREDENTIALS_PUBLIC = frozenset({"accesskeyid", "expiration"})

_SEPARATORS = re.compile(r"[^a-z0-9]")

# A name followed by a value, in JSON, INI/env, header or Python repr form (single
# quotes: a dict's text), a JSON text inside a string (``\\"`` quotes) included; the
# name is a secret's when :func:`is_secret_key` says so. A name must hold one of the
# words every such name holds (a lookahead), early in a name of at most 128 characters:
# bounded, so that text an attacker wrote (``--secret--secret…`` with no separator)
# costs each of its characters a bounded look, not a look to the end. The value is
# whatever token follows: quoted or bare, up to a quote, whitespace, comma, brace or
# ``&`` (JSON's ``\\/`` is one of its characters).
_NAMED = re.compile(
    r"""(?ix)
    (?<![a-z0-9_.-])-{0,2}  # one start to a run of a name's characters (an option's too)
    (?P<name>(?=[a-z0-9_.-]{0,64}?(?:secret|token|passw|pwd|key|cred))[a-z][a-z0-9_.-]{0,127}+)
    (?P<sep>(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?|[ \t]+)
    """
)
_VALUE = re.compile(r"""(?:\\/|[^\s"',}&\\])+""")
#: Names whose value may follow a space alone (``aws configure set
#: aws_secret_access_key wJalr…``, ``--session-token FwoG…``): compound names no
#: sentence uses as a word, and only before a value shaped like a key or a token, so that
#: "the secret_access_key was rotated" keeps its words.
_NAMED_BY_SPACE = ("secretaccesskey", "secretkey", "sessiontoken", "securitytoken")
#: Secrets' names that are words of a sentence too ("Rejected credentials: ..."):
#: in a text, the value after them must be shaped like a key or a token.
_PROSE_NAMES = frozenset({"credentials", "token", "secret"})
# The password in a URL's user information (``https://user:password@host/``): the user
# stays (an indicator), the password goes. It starts with ``://`` itself, not a look
# behind: ``re`` then skips to each ``://`` as a substring search does.
_USERINFO = re.compile(r"://(?P<user>[^\s:/@\"'<>]*):(?P<value>[^\s/@\"'<>]+)@")
# MySQL's and MariaDB's clients take a password glued to ``-p`` (``mysql -uroot -pS3cret``):
# each ``-p`` after a space is found by its two characters, and is a password's when its
# command (the 200 characters before, back to a new line or a ``;``, ``|``, ``&``) is
# one of theirs. (A scan from each client's name to its ``-p`` costs a look per
# character for every name: text an attacker writes can hold many.)
_GLUED_OPTION = re.compile(r"-p(?P<value>[^\s\"';|&]+)")
#: A client's name anywhere, case-blind as :data:`_MYSQL_COMMAND` reads it: the
#: ``-p`` options of a text that names none are not looked at.
_MYSQL_CLIENT = re.compile(r"(?i)mysql|mariadb")
_MYSQL_COMMAND = re.compile(r"(?i)\b(?:mysql|mysqldump|mysqladmin|mariadb)\b[^\n;|&]*\Z")
# Session tokens have recognisable prefixes even without a key name beside them: the
# base64 of their first bytes, old (FQoGZXIvYXdz, FQoDYXdz: 2015-2019) and new.
_TOKEN = re.compile(
    r"(?:FwoGZXIvYXdzE|FQoGZXIvYXdzE|FQoDYXdz|IQoJb3JpZ2luX2Vj|AQoDYXdzE|AQoEXAMPLE)"
    r"[A-Za-z0-9/+=]{20,}"
)
# An access key ID: beside it, a bare secret key is recognisable without its name.
_KEY_ID = re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")
# A secret access key: 40 characters of base64, with lower- and upper-case letters (a
# SHA-1 in hex, 40 characters too, has one case only).
# In JSON text a slash may be written ``\/``: one character of the key all the same.
_BASE64_CHAR = r"(?:[A-Za-z0-9/+]|\\/)"
_BARE_SECRET_KEY = re.compile(
    rf"(?<![A-Za-z0-9/+\\])(?={_BASE64_CHAR}*[a-z])(?={_BASE64_CHAR}*[A-Z])"
    rf"{_BASE64_CHAR}{{40}}(?![A-Za-z0-9/+=]|\\/)"
)
#: Each byte of base64's alphabet as ``k``, every other byte as ``.``: a secret key can
#: only be where the text so mapped has 40 ``k`` in a row (:func:`might_hold_bare_key`).
#: The backslash too: JSON may write each ``/`` of the key as ``\/``.
_BASE64_AS_K = bytes(
    ord("k") if chr(b).isascii() and (chr(b).isalnum() or chr(b) in "/+\\") else ord(".")
    for b in range(256)
)
_FORTY_K = b"k" * 40
# PEM private keys (CreateKeyPair's keyMaterial), possibly with escaped newlines: from
# a BEGIN line to the END line after it (:func:`_without_pem_keys`).
_PEM_BEGIN = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")
_PEM_END = re.compile(r"-----END [A-Z ]*PRIVATE KEY-----")


#: What a first look searches for (ASCII, lower-cased, separators removed): the parts of
#: secret key names and the session token prefixes. Every name :func:`is_secret_key`
#: flags and everything :func:`redact_text` replaces contains one of them once its text
#: is flattened the same way (a PEM block's "PRIVATE KEY" becomes "privatekey").
_ALL_HINTS = {
    *_SECRET_KEY_PARTS,
    *_SECRET_KEYS_EXACT,
    *_SECRET_ENDINGS,
    "iqojb3jpz2lux2vj", "fwogzxivyxdze", "fqogzxivyxdze", "fqodyxdz", "aqodyxdze",
    "aqoexample", "mysql", "mariadb",
}
#: (Without those that contain another: "sessiontoken" is found by "token".) One
#: expression of plain bytes: 4-6 times faster here than a substring test per hint.
_HINTS = sorted(h for h in _ALL_HINTS if not any(o != h and o in h for o in _ALL_HINTS))
_HINT = re.compile("|".join(map(re.escape, _HINTS)).encode())
_SHORTEST_HINT = min(map(len, _HINTS))
#: Every byte but ASCII letters and digits: what :func:`is_secret_key` ignores in a name.
_NOT_ALPHANUMERIC = bytes(b for b in range(256) if not chr(b).isascii() or not chr(b).isalnum())

#: Words that make a secret-named number a measure of the secret, not the secret.
_MEASURE = re.compile(r"length|age|reuse|prevention|max|min|count|days|seconds|version")


def might_hold_secret(text: str) -> bool:
    """False when ``text`` certainly holds nothing :func:`redact_text` would replace nor
    a name :func:`is_secret_key` flags, whatever separators or case it is written in.

    The cheap first look that lets an export of a million records write most of them
    as they are, unparsed: a search for the hints in the text lower-cased with
    everything but letters and digits removed (a case-blind regular expression over
    the text as it is took 100 us a record), and for a password in a URL (no word names
    it: ``https://user:pw@host``), a search that skips from ``://`` to ``://``. Text that is
    not ASCII always gets the full look: lower-casing and separators are not that
    simple there (``İ``, a soft hyphen, ``ſ`` which ``re`` takes for ``s``)."""
    if len(text) < _SHORTEST_HINT:
        return False
    if not text.isascii():
        return True
    flat = text.encode("ascii").lower().translate(None, _NOT_ALPHANUMERIC)
    return _HINT.search(flat) is not None or ("://" in text and _USERINFO.search(text) is not None)


def _flat(name: str) -> str:
    """A key name case-folded, without separators: how names are compared here. Folded,
    not lower-cased: ``re`` reads ``ſ`` as ``s`` case-blind, so :data:`_NAMED` finds
    ``paſſword``, and it must be the same name here."""
    return _SEPARATORS.sub("", name.casefold())


@functools.lru_cache(maxsize=4096)
def is_secret_key(name: str) -> bool:
    """True when a field called ``name`` holds a secret (case and separators ignored).
    Cached: a record has dozens of keys, and an export of a million records repeats
    the same few hundred names."""
    flat = _flat(name)
    if flat.endswith("token") and (flat.startswith("next") or flat[:-5] in _NOT_SECRET_TOKENS):
        return False
    return (
        flat in _SECRET_KEYS_EXACT
        or any(part in flat for part in _SECRET_KEY_PARTS)
        or flat.endswith(_SECRET_ENDINGS)
    )


def redact_text(text: str) -> str:
    """``text`` with secret values after their key names, session tokens and PEM private
    keys replaced by ``**REDACTED**``.

    A character that shows as nothing inside a key name (a right-to-left override in
    ``password``, a zero-width space in ``session_token``) hides it from the patterns
    while a reader, and a tool that drops such characters, still sees the name: when
    the text without them (:data:`awsir_tui.text.INVISIBLE`) holds a secret, it is
    returned without them, redacted. (:func:`safe_text`'s cleaning shows them as
    escapes, which split the name all the same, and the JSON formats are not cleaned.)"""
    text = _without_bare_keys(text)
    if not might_hold_secret(text):
        return text
    redacted = _redact_plain(text)
    if text.isascii() or not INVISIBLE.search(redacted):
        return redacted
    visible = INVISIBLE.sub("", redacted)
    again = _redact_plain(visible)
    return again if again != visible else redacted



def might_hold_bare_key(text: str) -> bool:
    """False when ``text`` certainly holds no secret key pasted bare (see
    :func:`_without_bare_keys`): it has no run of 40 base64 characters.

    The first look of an export at each record, beside :func:`might_hold_secret`: the
    key ID is no hint (most records hold an ASIA key ID) and the pattern costs ~85 us a
    record, where mapping the text's bytes and one substring search cost ~1.3 us
    (bench/bench_bare_key.py). 71 of the 36k records of ../shared/data and the bench
    archive have such a run, and go on to the pattern."""
    return _FORTY_K in text.encode("utf-8", "replace").translate(_BASE64_AS_K)


def _holds_bare_key(text: str) -> bool:
    """Whether ``text`` holds a secret key pasted bare beside its access key ID (see
    :func:`_without_bare_keys`)."""
    return (
        might_hold_bare_key(text)
        and _KEY_ID.search(text) is not None
        and _BARE_SECRET_KEY.search(text) is not None
    )


def _without_bare_keys(text: str) -> str:
    """``text`` without a secret key pasted bare beside its access key ID (``AKIA…,
    wJalr…`` in a note): no name says it is one, and no hint of
    :func:`might_hold_secret` is in it."""
    return _BARE_SECRET_KEY.sub(REDACTED, text) if _holds_bare_key(text) else text


def _redact_plain(text: str) -> str:
    """:func:`redact_text`'s patterns applied to ``text`` as it is."""
    text = _without_pem_keys(text)
    text = _TOKEN.sub(REDACTED, text)
    text = _USERINFO.sub(lambda m: f"://{m.group('user')}:{REDACTED}@", text)
    if _MYSQL_CLIENT.search(text) is not None:
        text = _GLUED_OPTION.sub(lambda m: _glued_password(text, m), text)
    return _redact_named(text)


def _without_pem_keys(text: str) -> str:
    """``text`` with each private key, its BEGIN line to the END line after it,
    replaced. Two searches, not one pattern from BEGIN to END: that one looked from
    every BEGIN to the text's end for an END, and BEGIN lines an attacker repeats with
    no END (100 kB of them) took 10 s; once an END is missing after one BEGIN, it is
    missing after the rest."""
    parts: list[str] = []
    done = 0
    while (begin := _PEM_BEGIN.search(text, done)) is not None:
        end = _PEM_END.search(text, begin.end())
        if end is None:
            break
        parts += (text[done:begin.start()], REDACTED)
        done = end.end()
    return "".join([*parts, text[done:]]) if parts else text


def _glued_password(text: str, option: re.Match[str]) -> str:
    """``-pVALUE`` (:data:`_GLUED_OPTION`) in ``text``, its value replaced when it is a
    MySQL client's password."""
    start = option.start()
    command = text[max(0, start - 200):start]
    if command[-1:].isspace() and _MYSQL_COMMAND.search(command) is not None:
        return "-p" + REDACTED
    return option.group()


def _redact_named(text: str) -> str:
    """``text`` with the value after each secret's name (:data:`_NAMED`) replaced.

    A scan rather than one substitution: a name that is no secret's (``$env:`` before
    ``AWS_SECRET_ACCESS_KEY``, ``nextToken=`` before ``password=``) must not swallow
    what follows it as its value, so the search goes on right after its separator.
    Names an attacker packs into one value (``token=token=…``, ``password keyName:…``)
    each start a value running to the same end: :class:`_ValueRun` reads that run once,
    where reading it again for each name took minutes over a 300 kB field."""
    parts: list[str] = []
    done = position = 0
    run = _ValueRun(text)
    while (named := _NAMED.search(text, position)) is not None:
        position = named.end()
        name = named.group("name")
        if is_secret_key(name) and _is_named_secret(_flat(name), named.group("sep"),
                                                    run, position):
            parts += (text[done:position], REDACTED)
            done = position = run.end(position)
    return "".join([*parts, text[done:]]) if parts else text


_NOT_CREDENTIAL_CHAR = re.compile(r"[^A-Za-z0-9/+=]")
_DIGIT = re.compile(r"[0-9]")


class _ValueRun:
    """The value (:data:`_VALUE`) that starts at a position of a text, as
    :func:`_redact_named` asks of each name's, read once for the run of value
    characters it falls in: every later position inside that run ends where it does,
    and what is asked of its values (all digits? shaped like a key?) is answered by
    where the run's last non-digit, last digit and last other character are."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.start = self.stop = -1
        self.last_not_digit = self.last_digit = self.last_not_credential = -1

    def end(self, position: int) -> int:
        """Where the value starting at ``position`` ends (``position``: none there)."""
        if not self.start <= position <= self.stop:
            value = _VALUE.match(self.text, position)
            self.start, self.stop = position, value.end() if value else position
            backwards = self.text[self.start:self.stop][::-1]
            # A digit as str.isdigit() says (a measure written ² or ٣ is kept too).
            self.last_not_digit = next(
                (self.stop - 1 - n for n, char in enumerate(backwards) if not char.isdigit()),
                -1)
            self.last_digit = self._last(_DIGIT, backwards)
            self.last_not_credential = self._last(_NOT_CREDENTIAL_CHAR, backwards)
        return self.stop

    def _last(self, pattern: re.Pattern[str], backwards: str) -> int:
        """The position in the text of the run's last character ``pattern`` matches."""
        found = pattern.search(backwards)
        return self.stop - 1 - found.start() if found else -1

    def is_digits(self, position: int) -> bool:
        """Whether the value at ``position`` is a number (digits only)."""
        return self.end(position) > position > self.last_not_digit

    def is_credential_shaped(self, position: int) -> bool:
        """Whether the value at ``position`` is shaped like a key or a token: 16
        characters of base64 at least, a digit among them (an error code,
        InvalidClientTokenId, has none; a random key of 40 characters lacks one once in
        5,000)."""
        return (self.end(position) - position >= 16 and position > self.last_not_credential
                and self.last_digit >= position)

    def is_redacted(self, position: int) -> bool:
        """Whether the value at ``position`` is one already replaced."""
        return (self.end(position) - position == len(REDACTED)
                and self.text.startswith(REDACTED, position))


def _is_named_secret(flat: str, sep: str, run: _ValueRun, position: int) -> bool:
    """Whether the value at ``position`` (in ``run``), after a secret's name (``flat``:
    :func:`_flat`) and ``sep`` in a text, is a secret to replace: a value, not one
    already replaced, nor a number measuring a secret (``maxPasswordAge=90``); after a
    space alone, only a key or a token after a name no sentence uses
    (:data:`_NAMED_BY_SPACE`); after a word alone (:data:`_PROSE_NAMES`: "Rejected
    credentials: ExpiredToken" in a finding), only a value shaped like a key or a token."""
    if run.end(position) == position or run.is_redacted(position):
        return False
    if _MEASURE.search(flat) and run.is_digits(position):
        return False
    if sep.strip(" \t") and flat not in _PROSE_NAMES:
        return True
    return (
        (flat in _PROSE_NAMES or any(part in flat for part in _NAMED_BY_SPACE))
        and run.is_credential_shaped(position)
    )


def safe_text(value: object, max_len: int | None = None) -> str:
    """``value`` as one clean line (:func:`awsir_tui.text.clean`) holding no secret: what
    a text export or the screen shows of a value.

    Redaction comes before anything else changes the text: Markdown's ``\\_`` or a cut
    to ``max_len`` (done last here) hides a key name or a token's length from the
    patterns, and the secret goes out in clear. The text is redacted as written (a
    newline between a name and its value is still whitespace to the patterns) and again
    once cleaned (a control that ended a value as written, a newline inside a password,
    is part of the value once shown as a symbol, and goes with it)."""
    if value is None:
        return ""
    text = redact_text(value if isinstance(value, str) else str(value))
    return clean(redact_text(clean(text)), max_len)


def redact(value: Any) -> Any:
    """A copy of a JSON-like value with every secret-named field's value replaced (not
    a flag's or a number's, nor a credentials object's access key ID and expiration) and
    every string passed through :func:`redact_text`."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict | Mapping):  # dict first: the ABC check is slow
        return {str(key): _field(str(key), item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    return value


def _field(key: str, value: Any) -> Any:
    """The value of the field ``key``, redacted as its name says."""
    if not is_secret_key(key):
        return redact(value)
    if isinstance(value, dict | Mapping) and _flat(key) == _CREDENTIALS:
        return {
            str(name): (
                redact(item) if _flat(str(name)) in _CREDENTIALS_PUBLIC
                else _secret(str(name), item)
            )
            for name, item in value.items()
        }
    return _secret(key, value)


def _secret(key: str, value: Any) -> Any:
    """A secret-named field's value replaced, unless it cannot be a secret: nothing, a
    flag, or a number whose name says it measures a secret (minimumPasswordLength,
    maxPasswordAge in UpdateAccountPasswordPolicy: what an attacker weakened). Any other
    number is replaced (a PIN is a number). An object is replaced whole: its parts are
    the secret (AppSync's apiKey object holds the key as its id)."""
    if value is None or value == "" or isinstance(value, bool):
        return value
    if isinstance(value, int | float) and _MEASURE.search(_flat(key)):
        return value
    return REDACTED
