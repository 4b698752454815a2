"""The filter language shared by every view and headless command.

``parse`` turns text into a :class:`Query` (or raises :class:`FilterError` pointing at
the bad term); ``compile_predicate`` makes a Python predicate for objects in memory,
``compile_sql`` a WHERE clause for the event store, ``plan_lookup`` the one attribute
LookupEvents accepts. Field tables (``EVENT_FIELDS``, ``INSTANCE_FIELDS``,
``SECURITY_GROUP_FIELDS``, ``KEY_PAIR_FIELDS``) say what each field means per view.
Pure: no I/O, no AWS, no UI.
"""

from awsir_tui.query.bind import fields_used
from awsir_tui.query.errors import FilterError
from awsir_tui.query.fields import (
    EVENT_FIELDS,
    INSTANCE_FIELDS,
    KEY_PAIR_FIELDS,
    SECURITY_GROUP_FIELDS,
    Field,
    FieldTable,
    fields_help,
)
from awsir_tui.query.lookup import LookupPlan, plan_lookup
from awsir_tui.query.parser import parse, quote
from awsir_tui.query.predicate import compile_predicate
from awsir_tui.query.sql import DUCKDB_SETUP, compile_sql
from awsir_tui.query.syntax import Query, Term, TimeTerm

__all__ = [
    "DUCKDB_SETUP",
    "EVENT_FIELDS",
    "INSTANCE_FIELDS",
    "KEY_PAIR_FIELDS",
    "SECURITY_GROUP_FIELDS",
    "Field",
    "FieldTable",
    "FilterError",
    "LookupPlan",
    "Query",
    "Term",
    "TimeTerm",
    "compile_predicate",
    "compile_sql",
    "fields_help",
    "fields_used",
    "parse",
    "plan_lookup",
    "quote",
]
