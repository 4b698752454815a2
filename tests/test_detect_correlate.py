"""Correlation detections (code beside the Sigma rules) on the real Stratus records."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from awsir_tui.detect import Detector
from awsir_tui.detect.addresses import OwnAddresses
from awsir_tui.detect.correlate import DeniedBurst, FirstSeenCallerIdentity, InstanceCredentialTheft
from awsir_tui.events.record import from_record
from tests.helpers_detect import technique_events, technique_records

STEAL = "credential-access.ec2-steal-instance-credentials"
INSTANCE = "i-786a3A8B5C0d92eF4"
ATTACKER_IP = "18.236.253.47"


def run(correlation, events):
    return Detector([], correlations=[correlation]).run(events)


def instance_session_events():
    return [e for e in technique_events(STEAL) if e.user_type == "AssumedRole"]


def test_stolen_instance_key_flagged_from_address_shared_with_a_human():
    [finding] = run(InstanceCredentialTheft(), technique_events(STEAL))
    assert finding.severity == "high"
    assert finding.technique == "T1552.005"
    assert INSTANCE in finding.summary and "ASIAP5CT9NN8EYVU1FXV" in finding.summary
    assert ATTACKER_IP in finding.summary and "christophe" in finding.summary
    assert set(finding.event_ids) == {e.event_id for e in instance_session_events()}


def test_instance_key_alone_from_one_address_is_not_flagged():
    """Without other identities from that address and without known IPs: no evidence."""
    assert run(InstanceCredentialTheft(), instance_session_events()) == []


def own(*addresses: str, since: datetime | None = None,
        lasting: frozenset[str] = frozenset()) -> dict[str, OwnAddresses]:
    """The Stratus instance's own addresses as EC2 would give them (since its last start)."""
    return {INSTANCE: OwnAddresses(frozenset(addresses) | lasting, since, lasting)}


def test_known_instance_addresses_make_a_foreign_address_critical():
    events = instance_session_events()
    [finding] = run(InstanceCredentialTheft(own("54.1.2.3", "10.0.0.5")), events)
    assert finding.severity == "critical"
    assert "not one of the instance's addresses" in finding.summary
    assert run(InstanceCredentialTheft(own(ATTACKER_IP)), technique_events(STEAL)) == []


def test_calls_before_the_instance_last_started_are_not_judged_by_its_address_now():
    """A public address changes at each start: an archive's calls from before the last
    one may come from the address it had then. They are judged by what the events show
    (here, the address a human also calls from), not as certain theft."""
    events = technique_events(STEAL)
    latest = max(e.event_time for e in instance_session_events())
    [finding] = run(InstanceCredentialTheft(
        own("54.1.2.3", since=latest + timedelta(days=1))), events)
    assert finding.severity == "high"
    assert f"{ATTACKER_IP} is also the source of calls by " in finding.summary
    assert " is not known: those calls are judged by what the events show." in finding.detail
    # Started before the calls: the address EC2 gives now was its own then.
    first = min(e.event_time for e in instance_session_events())
    [finding] = run(InstanceCredentialTheft(
        own("54.1.2.3", since=first - timedelta(days=1))), events)
    assert finding.severity == "critical"


def calls_before_and_after(start: datetime, before_ip: str, after_ip: str):
    """The instance session's calls: the first ones from ``before_ip``, a minute
    before ``start``, the rest from ``after_ip`` after it."""
    calls = instance_session_events()
    half = len(calls) // 2
    return [replace(e, source_ip=before_ip if n < half else after_ip,
                    event_time=start + timedelta(minutes=-1 if n < half else n))
            for n, e in enumerate(calls)]


def test_knowing_the_addresses_never_hides_what_the_events_show():
    """Calls from elsewhere before the last start, then the instance's own after: the
    events alone say "2 addresses"; knowing the addresses since the start must not
    leave nothing."""
    start = datetime(2026, 11, 20, 10, tzinfo=UTC)
    events = calls_before_and_after(start, ATTACKER_IP, "54.1.2.3")
    alone = run(InstanceCredentialTheft(), events)
    [known] = run(InstanceCredentialTheft(own("54.1.2.3", since=start)), events)
    assert [f.summary for f in alone] == [known.summary]
    assert "used from 2 addresses" in known.summary and known.severity == "high"


def test_private_addresses_are_the_instances_own_before_its_last_start_too():
    """A VPC endpoint call (its private address) and one from its former public
    address: not two addresses of a stolen key."""
    start = datetime(2026, 11, 20, 10, tzinfo=UTC)
    events = calls_before_and_after(start, "10.0.0.5", "3.3.3.3")  # all before the start
    later = start + timedelta(days=1)
    assert run(InstanceCredentialTheft(own("54.1.2.3", since=later)), events) != []
    assert run(InstanceCredentialTheft(
        own("54.1.2.3", since=later, lasting=frozenset(["10.0.0.5"]))), events) == []


def test_an_elastic_ip_associated_after_the_start_dates_its_address():
    """The instance's calls between its start and the Elastic IP's association came
    from the address it was given at start: not theft, though not the address now."""
    start = datetime(2026, 11, 20, 10, tzinfo=UTC)
    events = calls_before_and_after(start + timedelta(minutes=30), "3.3.3.3", "52.0.0.9")
    association = replace(from_record(technique_records(STEAL)[0]), event_id="associate",
                          event_name="AssociateAddress", error_code="", user_type="IAMUser",
                          principal_id="AIDAEXAMPLE", user_arn="arn:aws:iam::1:user/ops",
                          resources=(INSTANCE, "eipalloc-0abc"),
                          event_time=start + timedelta(minutes=30))
    known = own("52.0.0.9", since=start)
    findings = run(InstanceCredentialTheft(known), [*events, association])
    assert all(f.severity != "critical" for f in findings), findings
    # Without the association among the events, the start is all there is to go by.
    [finding] = run(InstanceCredentialTheft(known), events)
    assert finding.severity == "critical"


def test_instance_key_from_two_addresses_is_flagged():
    records = [r for r in technique_records(STEAL) if r["userIdentity"]["type"] == "AssumedRole"]
    moved = json.loads(json.dumps(records[1]))
    moved.update(sourceIPAddress="54.1.2.3", eventID="derived-second-ip")
    [finding] = run(InstanceCredentialTheft(), [from_record(records[0]), from_record(moved)])
    assert "used from 2 addresses" in finding.summary


def test_service_names_as_source_are_not_addresses():
    records = [r for r in technique_records(STEAL) if r["userIdentity"]["type"] == "AssumedRole"]
    internal = dict(records[1], sourceIPAddress="ec2.amazonaws.com", eventID="derived-internal")
    assert run(InstanceCredentialTheft(), [from_record(records[0]), from_record(internal)]) == []


def test_denied_burst_threshold_and_window():
    events = technique_events("credential-access.ec2-get-password-data")
    [finding] = run(DeniedBurst(), events)
    assert len(finding.event_ids) == 30
    assert finding.summary.startswith("30 denied calls")
    assert "GetPasswordData x30" in finding.detail
    # The two denied AssumeRole calls of the IAM user are below any burst threshold.
    assert run(DeniedBurst(threshold=31), events) == []
    assert run(DeniedBurst(threshold=30, window=timedelta(seconds=1)), events) == []


def password_reads_refused_with(*codes: str):
    """The 30 GetPasswordData calls of Stratus's detonation, each refused with the next
    of ``codes`` (in turn) instead of Client.UnauthorizedOperation."""
    records = [r for r in technique_records("credential-access.ec2-get-password-data")
               if r["eventName"] == "GetPasswordData"]
    return [from_record(dict(r, errorCode=codes[n % len(codes)])) for n, r in enumerate(records)]


def test_a_burst_of_calls_with_an_expired_session_is_a_denied_burst():
    """Someone trying a session that ran out: refused for its credentials, nothing done,
    as much probing as calls refused for want of permission."""
    [finding] = run(DeniedBurst(), password_reads_refused_with("ExpiredToken"))
    assert len(finding.event_ids) == 30
    assert finding.summary.startswith("30 denied calls (all with rejected credentials) in ~")
    assert "GetPasswordData x30. Rejected credentials: ExpiredToken x30. " in finding.detail


def test_a_burst_says_how_many_were_rejected_for_their_credentials():
    events = password_reads_refused_with(
        "Client.UnauthorizedOperation", "InvalidClientTokenId", "Client.UnauthorizedOperation")
    [finding] = run(DeniedBurst(), events)
    assert finding.summary.startswith("30 denied calls (10 with rejected credentials) in ~")
    assert "Rejected credentials: InvalidClientTokenId x10. Threshold " in finding.detail


def test_ec2_auth_failure_is_a_burst_but_no_dead_key():
    """EC2 answers Client.AuthFailure to a working key refused on an AMI or an Elastic
    IP not the caller's ("Not authorized for images"): a burst of refusals still, but
    nothing says the key is dead, and a live key read as dead is not disabled."""
    [finding] = run(DeniedBurst(), password_reads_refused_with("Client.AuthFailure"))
    assert finding.summary.startswith("30 denied calls in ~")
    assert "rejected credentials" not in finding.summary + finding.detail


def test_ec2_saying_it_could_not_validate_the_key_is_rejected_credentials_in_a_log_too():
    """The app's own calls and a log's read EC2's words alike: AuthFailure for a key it
    could not validate is a rejected credential in both."""
    events = [replace(e, error_message="AWS was not able to validate the provided access "
                      "credentials") for e in password_reads_refused_with("Client.AuthFailure")]
    [finding] = run(DeniedBurst(), events)
    assert finding.summary.startswith("30 denied calls (all with rejected credentials) in ~")


def test_a_burst_by_a_key_that_names_no_one_says_the_key():
    """A call refused for an unknown key carries the key and nothing else of who: the
    finding names the key (the responder's next search), not an "unknown principal"."""
    events = [replace(e, user_name="", principal_id="", user_arn="",
                      access_key_id="AKIAEXAMPLEREVOKED01")
              for e in password_reads_refused_with("InvalidClientTokenId")]
    [finding] = run(DeniedBurst(), events)
    assert " by access key AKIAEXAMPLEREVOKED01 from " in finding.summary


def test_calls_failed_for_the_account_or_a_quota_are_no_denied_burst():
    """Not the caller's refusals: S3 access all disabled, a region not enabled, a quota."""
    events = password_reads_refused_with("AllAccessDisabled", "OptInRequired", "VcpuLimitExceeded")
    assert run(DeniedBurst(), events) == []


def test_first_seen_get_caller_identity():
    [finding] = run(FirstSeenCallerIdentity(), technique_events(STEAL))
    assert "new principal" in finding.summary and "address" not in finding.summary.split(":")[-1]
    [finding] = run(
        FirstSeenCallerIdentity(), technique_events("persistence.iam-create-user-login-profile")
    )
    assert finding.summary.endswith("new principal and address")
    # The same principal already active earlier from the same address: nothing new.
    events = technique_events("persistence.iam-create-user-login-profile")
    whoami = next(e for e in events if e.event_name == "GetCallerIdentity")
    earlier = [
        from_record(dict(json.loads(e.raw), eventTime="2000-01-01T00:00:00Z"))
        for e in events
        if e is not whoami
    ]
    assert run(FirstSeenCallerIdentity(), [*earlier, whoami]) == []


def test_correlations_get_every_event_without_its_raw_record():
    """A run keeps every event for the correlations, which read the flat fields only:
    without the raw text, a million events hold 1 GB less (4.3 GB peak before)."""
    events = technique_events("credential-access.ec2-steal-instance-credentials")
    seen: list = []

    def looks(kept):
        seen.extend(kept)
        return []

    Detector(correlations=[looks]).run(events)
    assert [e.event_id for e in seen] == [e.event_id for e in events]
    assert all(e.raw == "" for e in seen) and all(e.raw for e in events)
    # Every other field as it was (the slim copy is built field by field).
    assert seen == [replace(e, raw="") for e in events]
    # The strings events repeat are shared, not copied per event.
    agents = {id(e.user_agent) for e in seen}
    assert len(agents) == len({e.user_agent for e in seen})


def test_a_secret_in_what_a_summary_quotes_is_redacted():
    """A finding's summary quotes the event (here the caller's name); the attacker
    chooses it, and the screen, the case and exports show the summary."""
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    record = json.loads(technique_events(STEAL)[0].raw)
    record["eventName"] = "GetCallerIdentity"
    record["userIdentity"] = {"type": "IAMUser", "userName": f"aws_secret_access_key={secret}"}
    [finding] = run(FirstSeenCallerIdentity(), [from_record(record)])
    assert "aws_secret_access_key" in finding.summary
    assert secret not in finding.summary and secret not in finding.detail


def test_a_scoped_ipv6_source_is_no_address_and_no_text_in_a_finding():
    """`fe80::1%<anything>` parses as an address with a scope, and the scope is text an
    attacker chose: it is no address of a call, and never reaches a summary raw."""
    from awsir_tui.detect.addresses import is_ip

    assert not is_ip("fe80::1%\x1b[31mevil")
    assert is_ip("2600:1f18::5") and is_ip("18.236.253.47")
    events = [replace(e, source_ip="fe80::1%\x1b[31mevil") for e in instance_session_events()]
    [finding] = run(InstanceCredentialTheft(own("54.1.2.3")), [*instance_session_events(),
                                                                 *events])
    assert "\x1b" not in finding.summary + finding.detail
