"""A field another list has is refused with the name of every list it belongs to:
``used:`` typed in :instances is a field of security groups and of key pairs both, and
naming only the first sent a responder looking for key pairs to :sg."""

from __future__ import annotations

import pytest

from awsir_tui.query import (
    EVENT_FIELDS,
    INSTANCE_FIELDS,
    KEY_PAIR_FIELDS,
    FieldTable,
    FilterError,
    parse,
)


@pytest.mark.parametrize(
    ("text", "fields", "message", "span"),
    [
        ("-used:true", INSTANCE_FIELDS,
         "'used:' is a field for security groups and key pairs, not for instances", "used"),
        ("instance:i-1", INSTANCE_FIELDS,
         "'instance:' is a field for security groups and key pairs, not for instances",
         "instance"),
        ("used:false", EVENT_FIELDS,
         "'used:' is a field for security groups and key pairs, not for events", "used"),
        ("port:22", KEY_PAIR_FIELDS,
         "'port:' is a field for security groups, not for key pairs", "port"),
    ],
)
def test_a_field_of_other_lists_names_them_all(
    text: str, fields: FieldTable, message: str, span: str
) -> None:
    with pytest.raises(FilterError) as caught:
        parse(text, fields)
    error = caught.value
    assert error.message == message
    assert text[error.position:error.position + error.length] == span
