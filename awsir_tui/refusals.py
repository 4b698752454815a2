"""Which AWS error codes mean "refused": the one list for the log's calls and the app's.

A call refused for want of permission and a call whose credentials AWS would not accept
end the same way: nothing was done. The detections read them in CloudTrail records
(a finding whose every call was refused is a denied attempt; many refusals from one
principal are a burst of probing) and the data layer reads them in its own boto3 errors
(a region this principal may not look at, or the responder's own session expired).
Both import these sets from here, so that they never disagree. It is top-level and
pure (the standard library only) because the detections have no business importing
the data layer and its botocore.

Only the caller's refusals are here. A quota (``VcpuLimitExceeded``), a dry run
(``Client.DryRunOperation``) or a bad parameter failed after the checks passed. S3's
``AllAccessDisabled`` and ``AccountProblem``, and EC2's ``Blocked``, refuse everyone,
the owner too: a problem of the account or the bucket, nothing about who called.
``OptInRequired`` (a region or service not enabled) is likewise the account's, so only
the data layer counts it, for its own calls (:mod:`awsir_tui.aws.errors`).
"""

from __future__ import annotations

#: The caller is known but not allowed: IAM (or a policy on the resource) said no.
PERMISSION_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "Client.AccessDenied",
        "UnauthorizedOperation",
        "Client.UnauthorizedOperation",
        "UnauthorizedAccess",
        "NotAuthorized",
        "Forbidden",
        # EC2's AuthFailure answers a working key refused on what is not the caller's
        # (an AMI, an Elastic IP: "Not authorized for images") as much as a bad key:
        # saying "rejected credentials" of it would call a live key dead.
        "AuthFailure",
        "Client.AuthFailure",
    }
)

#: AWS would not accept the credentials themselves: a deleted or unknown key, a wrong
#: secret, an expired session. An attacker trying a key that was revoked or a session
#: that ran out gets these, as does a script left running with old credentials. EC2
#: records its client errors with a ``Client.`` prefix in CloudTrail, so both spellings.
CREDENTIAL_CODES = frozenset(
    {
        "InvalidClientTokenId",
        "Client.InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "ExpiredTokenException",
        "UnrecognizedClientException",
        "InvalidAccessKeyId",
    }
)

#: Every code that means the caller was refused, for want of permission or of
#: credentials AWS accepts.
REFUSED_CODES = PERMISSION_CODES | CREDENTIAL_CODES
#: EC2's AuthFailure for a deleted or unknown key says so in its message ("AWS was not
#: able to validate the provided access credentials"); for a working key refused on
#: what is not the caller's it does not.
_EC2_AUTH_FAILURE = frozenset({"AuthFailure", "Client.AuthFailure"})
_NOT_VALIDATED = "validate the provided access credentials"


def credentials_rejected(code: str, message: str = "") -> bool:
    """Whether a call failed with ``code`` (and ``message``) because AWS would not
    accept its credentials, in a log's record or in the app's own error alike."""
    return code in CREDENTIAL_CODES or (code in _EC2_AUTH_FAILURE and _NOT_VALIDATED in message)
