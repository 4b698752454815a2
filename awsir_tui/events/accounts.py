"""Whose events an archive holds, said when it is not only the session's account.

An organisation's trail bucket holds every member account's logs, and a folder handed
over may hold several trails: the header names the account the credentials are in,
the case is named after it, and nothing said that most of the events loaded were
other accounts' (a responder review: ``--demo`` with an archive of 20 other accounts,
seen only by stacking on the account). The load's end says it once, with where to
count them.
"""

from __future__ import annotations

from collections.abc import Sequence

from awsir_tui.text import clean, count_of

#: Where a responder counts them (the stack view groups by the account).
COUNT_THEM = ":stack, f account, counts them"


def accounts_note(counts: Sequence[tuple[object, int]], session: str = "") -> str:
    """A line for the end of a load whose store holds ``counts`` (``(account ID,
    events)``, as :meth:`EventStore.stack` gives them by ``account_id``), or '' when
    there is nothing to say: one account, the session's (or, with no session account
    known, one account). Events that name no account are not an account."""
    accounts = [(str(account), n) for account, n in counts if account]
    if not accounts:
        return ""
    others = [(account, n) for account, n in accounts if account != session]
    if session and not others:
        return ""
    if not session and len(accounts) == 1:
        return ""
    if session:
        theirs = sum(n for _, n in others)
        return (f"{count_of(theirs, 'event')} of {count_of(len(others), 'account')} "
                f"other than this session's {clean(session, 20)}: {COUNT_THEM}")
    return f"events of {count_of(len(accounts), 'account')}: {COUNT_THEM}"
