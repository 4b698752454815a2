"""The fields events are counted by, for ``:stack`` and ``awsir-tui stack`` alike.

Each is an event-store column (:meth:`~awsir_tui.events.store.EventStore.stack` groups
by it) named as the filter language names it, so that a group's value becomes a filter
term, and a field typed on the command line reads as the same word in the view. Kept
out of the view, which imports textual, so that the headless command shares it.
"""

from __future__ import annotations

from awsir_tui.query.fields import EVENT_FIELDS

#: Store column -> the filter language's field for it (for Enter on a group).
STACK_FIELDS: dict[str, str] = {
    "event_name": "name",
    "user_name": "user",
    "access_key_id": "key",
    "source_ip": "ip",
    "aws_region": "region",
    "error_code": "error",
    "user_agent": "agent",
    "event_source": "source",
    "resources": "resource",
    "user_type": "type",
    # An organization trail's bucket holds every member account's logs: which
    # accounts the calls reached is often the first count a responder makes.
    "account_id": "account",
}
#: What a group with no value shows: a blank label read as a missing row. By resource,
#: the events that name none.
NO_VALUE = "(none)"
#: Said by a count by resource, whose groups add up to more than the events.
SEVERAL_RESOURCES = "an event with several resources counts in each"
#: The filter's field -> its store column.
_COLUMN_OF = {field: column for column, field in STACK_FIELDS.items()}


def stack_columns(text: str) -> tuple[str, ...]:
    """``user,ip`` as the store columns to count by (``user_name``, ``source_ip``): one
    field or two, each named as the filter names it (an alias too: ``event``,
    ``sourceip``). Raises ValueError saying what is wrong, and which fields count."""
    words = [word.strip() for word in text.split(",")]
    valid = ", ".join(STACK_FIELDS.values())
    if not 1 <= len(words) <= 2 or not all(words):
        raise ValueError(f"{text!r}: give one field or two, comma-separated ({valid})")
    columns = []
    for word in words:
        field = EVENT_FIELDS.field(word)
        column = _COLUMN_OF.get(field.name) if field else None
        if column is None:
            what = "not a field" if field is None else "not a field events are counted by"
            raise ValueError(f"{word!r}: {what}; count by one of: {valid}")
        columns.append(column)
    if len(set(columns)) < len(columns):
        raise ValueError(f"{text!r} names one field twice (count by two different ones)")
    return tuple(columns)
