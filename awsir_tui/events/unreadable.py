"""Sources that were not there, or could not be read at all: said as what they are.

``awsir-tui --source /tmp/nosuchdir`` (a path mistyped) showed ``0 events  1 file not
read whole (:load)``, and ``:load`` said "1 file not read whole: the events are
partial": read as a damaged file among logs, not as a wrong path; only a notice that
faded said "no such file or folder". The loader lists such a source among the files
it skipped (the headless commands print its reason and exit 1 on it); this module
tells those sources apart, for the app's status line, ``:load`` and an export's
coverage, which say ``NO SUCH PATH /tmp/nosuchdir`` (or ``CANNOT READ``) and count
them among no file not read whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from awsir_tui.events.loader import FileProblem, LoadReport, source_names
from awsir_tui.events.s3archive import MISSING, UNREADABLE

#: What is said of a source that is not there (a path mistyped, or handed over wrong).
NO_SUCH_PATH = "NO SUCH PATH"
#: What is said of a source there but not readable at all (a folder it may not list).
CANNOT_READ = "CANNOT READ"
#: The word for each kind of problem the loader tags a source with where it finds it
#: (:attr:`FileProblem.kind`): told apart by the kind, never by the reason's words,
#: which a rewording of the loader or the OS's language would change.
_WORDS = {MISSING: NO_SUCH_PATH, UNREADABLE: CANNOT_READ}


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A source nothing was read from because it is not there, or not readable at all."""

    problem: FileProblem
    #: :data:`NO_SUCH_PATH` or :data:`CANNOT_READ`.
    word: str

    def said(self, absolute: bool = False) -> str:
        """``NO SUCH PATH /tmp/nosuchdir``: the word first, as NO LOG is said, then the
        source as it was named, or (``absolute``: an export's coverage, read elsewhere)
        made absolute as :func:`source_names` names it."""
        source = self.problem.source
        return f"{self.word} {source_names([source])[0] if absolute else source}"

    def why(self) -> str:
        """Its reason in full, for :load and an export's coverage."""
        hint = " (a mistyped path?)" if self.word == NO_SUCH_PATH else ""
        return f"{self.problem.reason}: nothing read from it{hint}"


def unreadable_sources(report: LoadReport, sources: Sequence[str]) -> list[Unreadable]:
    """The sources of the load of ``sources`` that ``report`` lists among its skipped
    files because they were not there, or could not be read at all: not a file damaged
    among logs, whose events are partial, but a path that gave nothing. Only the
    sources named: a file or folder below one that cannot be read is a part missing."""
    given = set(source_names(sources))
    return [Unreadable(problem, _WORDS[problem.kind]) for problem in report.skipped
            if problem.kind in _WORDS and set(source_names([problem.source])) <= given]


def files_not_read_whole(report: LoadReport, sources: Sequence[str]) -> int:
    """:attr:`LoadReport.not_read_whole` less the sources that gave nothing
    (:func:`unreadable_sources`): the files whose events are missing in part."""
    return report.not_read_whole - len(unreadable_sources(report, sources))


def skipped_files(report: LoadReport, sources: Sequence[str]) -> list[FileProblem]:
    """The files ``report`` skipped, less the sources that gave nothing: those are said
    apart (:func:`unreadable_sources`)."""
    gone = {unreadable.problem for unreadable in unreadable_sources(report, sources)}
    return [problem for problem in report.skipped if problem not in gone]
