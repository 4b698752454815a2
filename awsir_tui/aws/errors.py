"""Turning boto3's many exceptions into what a responder needs to know.

A region that is denied must look different from one that is throttled or unreachable:
the first is an answer (this principal may not look there), the others are reasons to
try again. Every failure becomes a :class:`Failure` with a kind and one clear line.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ProfileNotFound,
    ReadTimeoutError,
)
from botocore.parsers import ResponseParserError

from awsir_tui.aws.guard import ActionRefused
from awsir_tui.refusals import PERMISSION_CODES, credentials_rejected
from awsir_tui.text import clean


class FailureKind(Enum):
    """Why a call (or a whole region) produced nothing."""

    DENIED = "denied"
    THROTTLED = "throttled"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    CREDENTIALS = "no credentials"
    #: AWS would not accept the credentials (an expired session, a deleted key): the
    #: responder renews them; "denied" would send them looking at their IAM policy.
    REJECTED = "credentials rejected"
    REFUSED = "refused"
    FAILED = "failed"


#: Refused for want of permission (as the detections read one in a log), or a region or
#: service this account has not enabled (``OptInRequired``): either way the answer is
#: "not here", not a reason to try again. In a log, the second is the account's and
#: says nothing of the caller, so it is here only. (Rejected credentials are told
#: first: :func:`~awsir_tui.refusals.credentials_rejected`.)
DENIED_CODES = PERMISSION_CODES | {"OptInRequired"}
#: The app's own calls whose credentials are past their time (an expired session in
#: EC2's words, or this machine's clock far off): renew them, or set the clock, not IAM.
_OWN_REJECTED = frozenset({"RequestExpired", "Client.RequestExpired"})
THROTTLED_CODES = frozenset(
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded",
        "TooManyRequestsException", "RequestThrottled", "SlowDown",
    }
)

#: A response botocore cannot parse, said in words: its own text quotes the page that
#: came back, which reads like the tool is broken.
NOT_AWS_ANSWER = "the endpoint's answer was not AWS's: is the region right?"


@dataclass(frozen=True, slots=True)
class Failure:
    """A classified error: its kind, the AWS error code if any, and one clean line."""

    kind: FailureKind
    message: str
    code: str = ""

    def __str__(self) -> str:
        return f"{self.kind.value}: {self.message}"


def classify(exc: BaseException) -> Failure:
    """Classify any exception raised by a boto3 call into a :class:`Failure`."""
    if isinstance(exc, ActionRefused):
        return Failure(FailureKind.REFUSED, clean(str(exc)), "ActionRefused")
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        message = clean(error.get("Message") or str(exc), 300)
        if credentials_rejected(code, message) or code in _OWN_REJECTED:
            return Failure(FailureKind.REJECTED, message, code)
        if code in DENIED_CODES:
            return Failure(FailureKind.DENIED, message, code)
        if code in THROTTLED_CODES:
            return Failure(FailureKind.THROTTLED, message, code)
        return Failure(FailureKind.FAILED, f"{code}: {message}" if code else message, code)
    if isinstance(exc, ResponseParserError):
        # What answered is no AWS endpoint: most often a region that does not exist,
        # whose name a proxy or a local endpoint answers with a page of its own.
        return Failure(FailureKind.FAILED, NOT_AWS_ANSWER)
    if isinstance(exc, ReadTimeoutError | ConnectTimeoutError):
        return Failure(FailureKind.TIMEOUT, clean(str(exc), 300))
    if isinstance(exc, EndpointConnectionError | ConnectionClosedError):
        return Failure(FailureKind.UNREACHABLE, clean(str(exc), 300))
    if isinstance(exc, NoCredentialsError | ProfileNotFound | NoRegionError):
        return Failure(FailureKind.CREDENTIALS, clean(str(exc), 300))
    if isinstance(exc, BotoCoreError | OSError):
        return Failure(FailureKind.UNREACHABLE, clean(str(exc), 300))
    return Failure(FailureKind.FAILED, clean(f"{type(exc).__name__}: {exc}", 300))
