"""The app's own boto3 errors: which are a refusal (denied, or credentials rejected),
on the codes AWS sends."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from awsir_tui.aws.errors import FailureKind, classify
from awsir_tui.detect.outcome import all_denied
from awsir_tui.events.record import Event, from_record
from awsir_tui.refusals import CREDENTIAL_CODES, REFUSED_CODES
from tests.helpers_detect import technique_records


def client_error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "refused"}}, "ListObjectsV2")


def leave_refused_with(code: str) -> Event:
    """Stratus's LeaveOrganization call, failed with ``code``."""
    [record] = [r for r in technique_records("defense-evasion.organizations-leave")
                if r["eventName"] == "LeaveOrganization"]
    return from_record(dict(record, errorCode=code))


@pytest.mark.parametrize("code", sorted(REFUSED_CODES))
def test_what_a_log_calls_refused_the_app_does_not_retry(code: str) -> None:
    """One list for both: a code that makes a log's calls a denied attempt makes the
    app's own call denied (want of permission) or its credentials rejected, never a
    mere failure to retry."""
    assert all_denied([leave_refused_with(code)])
    expected = FailureKind.REJECTED if code in CREDENTIAL_CODES else FailureKind.DENIED
    assert classify(client_error(code)).kind is expected


@pytest.mark.parametrize("code", ["ExpiredToken", "InvalidClientTokenId",
                                  "UnrecognizedClientException"])
def test_the_responders_own_expired_session_is_not_called_denied(code: str) -> None:
    """Every region said DENIED when the responder's session ran out: that sends them
    to their IAM policy, when what they need is fresh credentials."""
    failure = classify(client_error(code))
    assert failure.kind is FailureKind.REJECTED
    assert str(failure) == "credentials rejected: refused"



def test_ec2_saying_it_could_not_validate_the_key_is_rejected_credentials() -> None:
    """EC2 answers a deleted key, and a session past its time, in its own words: the
    app's own calls say CREDENTIALS REJECTED then, and DENIED for a refusal on what is
    not the caller's (the same AuthFailure code)."""
    dead = ClientError({"Error": {"Code": "AuthFailure", "Message": "AWS was not able to "
                        "validate the provided access credentials"}}, "DescribeInstances")
    assert classify(dead).kind is FailureKind.REJECTED
    assert classify(client_error("AuthFailure")).kind is FailureKind.DENIED
    assert classify(client_error("RequestExpired")).kind is FailureKind.REJECTED
