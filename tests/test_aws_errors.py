"""The app's own boto3 errors: which are a refusal (denied), on the codes AWS sends."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from awsir_tui.aws.errors import FailureKind, classify
from awsir_tui.detect.outcome import all_denied
from awsir_tui.events.record import Event, from_record
from awsir_tui.refusals import REFUSED_CODES
from tests.helpers_detect import technique_records


def client_error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "refused"}}, "ListObjectsV2")


def leave_refused_with(code: str) -> Event:
    """Stratus's LeaveOrganization call, failed with ``code``."""
    [record] = [r for r in technique_records("defense-evasion.organizations-leave")
                if r["eventName"] == "LeaveOrganization"]
    return from_record(dict(record, errorCode=code))


@pytest.mark.parametrize("code", sorted(REFUSED_CODES))
def test_what_a_log_calls_refused_the_app_calls_denied(code: str) -> None:
    """One list for both: a code that makes a log's calls a denied attempt makes the
    app's own call denied, never a mere failure to retry."""
    assert all_denied([leave_refused_with(code)])
    assert classify(client_error(code)).kind is FailureKind.DENIED


def test_a_region_not_enabled_is_denied_for_the_app_only() -> None:
    """OptInRequired is the account's answer ("not here"), not the caller's refusal: the
    app does not ask again, but a log's call failed with it is no denied attempt."""
    assert classify(client_error("OptInRequired")).kind is FailureKind.DENIED
    assert not all_denied([leave_refused_with("OptInRequired")])
    assert classify(client_error("AllAccessDisabled")).kind is FailureKind.FAILED
