"""The investigation that survives the session: indicators, notes, findings kept, the
call journal and exports. Pure: never imports textual or boto3."""

from awsir_tui.case.export import FORMATS, export_case, export_findings
from awsir_tui.case.indicator import KINDS, Indicator, Sighting, guess_kind
from awsir_tui.case.journal import CallRecord, Journal
from awsir_tui.case.model import Case, Note, TimelineEntry
from awsir_tui.case.pivot import Pivot, pivots
from awsir_tui.case.store import CaseFileError, CaseStore, safe_name

__all__ = [
    "FORMATS",
    "KINDS",
    "CallRecord",
    "Case",
    "CaseFileError",
    "CaseStore",
    "Indicator",
    "Journal",
    "Note",
    "Pivot",
    "Sighting",
    "TimelineEntry",
    "export_case",
    "export_findings",
    "guess_kind",
    "pivots",
    "safe_name",
]
