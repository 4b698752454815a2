"""IAM policy documents as AWS hands them over: the one decoder for all who read them.

IAM's API gives a document URL-encoded (botocore decodes the ones it can parse), and
CloudTrail records one in a request as JSON text, sometimes URL-encoded: the role view
shows them, the detections read who a trust policy lets in. Both are the attacker's to
write (a failed UpdateAssumeRolePolicy is logged with whatever it was sent), so a
document that is not JSON, or nests too deep for the parser, comes back as text.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote


def decode_document(value: Any) -> Any:
    """``value`` parsed as JSON (as given, else URL-decoded), else as URL-decoded text;
    what is not text (a document botocore parsed already) as it is."""
    if not isinstance(value, str):
        return value
    for candidate in (value, unquote(value)):
        try:
            return json.loads(candidate)
        except (ValueError, RecursionError):
            continue
    return unquote(value)
