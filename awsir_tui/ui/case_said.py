"""What the app says of the open case: which one it is, and what it holds.

A session over archives can continue a case that is not named after what it reads: the
case of the archives read alone before, continued once they are kept in a ``--store``
file (:func:`~awsir_tui.case.session.case_name_for`). Nothing said so, and a responder
looking for the store's case file found an empty one, or thought their work lost.
"""

from __future__ import annotations

from awsir_tui.case.session import CaseSession
from awsir_tui.text import clean, count_of
from awsir_tui.ui.path_lines import said_path


def case_held(session: CaseSession) -> str:
    """``3 indicators, 1 note, 1 finding``: what the case holds (findings only if any)."""
    case = session.case
    held = [count_of(len(case.indicators), "indicator"), count_of(case.notes_count(), "note")]
    if case.findings:
        held.append(count_of(len(case.findings), "finding"))
    return ", ".join(held)


def continued_notice(session: CaseSession) -> str:
    """The notice at start when the case opened is not the one these sources name
    (the work on them was saved in another): which case, and how to open another."""
    return (f"{clean(session.case.name, 100)} holds the work saved earlier on these "
            f"archives ({case_held(session)}); --case NAME opens another")


def case_line(session: CaseSession) -> str:
    """What `?` says of the open case, whole: its name, whether it continues work saved
    earlier, what it holds and its file (the notice at start goes after seconds, and
    comes only when the case is not the one the sources name)."""
    state = ("continued from an earlier session" if session.continued
             else "opened new in this session")
    return (f"Case: {clean(session.case.name, 200)} ({state}; now {case_held(session)}), "
            f"saved in {said_path(session.path)}")
