"""``run_forever`` (behind ``awsir-tui demo-server``) in its own process, used from outside."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.parsers import ResponseParserError

from awsir_tui.demo.clients import demo_client
from awsir_tui.demo.scenario import Facts

# Seeded as if started 7 h 13 min earlier: IDs must not depend on the time of day.
SCRIPT = """
import sys
from datetime import UTC, datetime, timedelta
from awsir_tui.demo.server import run_forever
run_forever(None, sys.stdout, seed_time=datetime.now(UTC) - timedelta(hours=7, minutes=13))
"""


def test_demo_server_process_serves_the_same_account_and_keeps_stderr_clean(
    demo_facts: Facts,
) -> None:
    process = subprocess.Popen([sys.executable, "-u", "-c", SCRIPT], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Press Ctrl+C"):
                break
        banner = "".join(lines)
        endpoint = re.search(r"at (http://127\.0\.0\.1:\d+)", banner)
        assert endpoint, banner
        assert "export AWS_ENDPOINT_URL=" + endpoint.group(1) in banner
        # Seeding is deterministic: the other process's account has this process's IDs.
        for fact in (demo_facts.proxy_instance_id, demo_facts.attacker_access_key_id,
                     demo_facts.malicious_instance_id):
            assert fact in banner
        ec2 = demo_client(endpoint.group(1), "ec2", demo_facts.proxy_region,
                          Config(retries={"mode": "standard", "max_attempts": 1}))
        found = ec2.describe_instances(InstanceIds=[demo_facts.malicious_instance_id])
        instance = found["Reservations"][0]["Instances"][0]
        assert instance["SecurityGroups"][0]["GroupId"] == demo_facts.attacker_group_id
        assert instance["LaunchTime"] < demo_facts.malicious_launch_time - timedelta(hours=7)
        cloudtrail = demo_client(endpoint.group(1), "cloudtrail", demo_facts.proxy_region,
                                 Config(retries={"mode": "standard", "max_attempts": 10}))
        # (Event IDs are bound to the events' times, which follow each start: the
        # stolen key, drawn the same, names the attack's calls in both.)
        used = cloudtrail.lookup_events(LookupAttributes=[
            {"AttributeKey": "AccessKeyId", "AttributeValue": demo_facts.attacker_access_key_id}])
        from_attacker = [e["EventName"] for e in used["Events"]
                         if demo_facts.attacker_ip in e["CloudTrailEvent"]]
        assert from_attacker[-1] == "GetCallerIdentity"  # the oldest: the attack's first
        # An operation moto lacks fails for the client, but must not spill a traceback
        # onto the terminal that the TUI owns.
        with pytest.raises((ClientError, ResponseParserError)):
            ec2.describe_capacity_block_offerings(CapacityDurationHours=24)
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0
    assert stderr == ""
