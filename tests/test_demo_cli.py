"""The real AWS CLI against the demo server: proof that the emulation speaks AWS's protocol."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from awsir_tui.demo.scenario import Facts
from awsir_tui.demo.server import DemoServer, environment

AWS = Path(sys.executable).with_name("aws")


def _aws(demo: DemoServer, region: str, *arguments: str) -> Any:
    env = {**os.environ, **environment(demo)}
    done = subprocess.run(
        [str(AWS), *arguments, "--endpoint-url", demo.endpoint_url, "--region", region,
         "--output", "json"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_aws_cli_lookup_events_finds_the_instance_role_session(
    demo: DemoServer, demo_facts: Facts
) -> None:
    answer = _aws(demo, demo_facts.proxy_region, "cloudtrail", "lookup-events",
                  "--lookup-attributes",
                  f"AttributeKey=Username,AttributeValue={demo_facts.proxy_instance_id}")
    events = answer["Events"]
    # The CLI follows NextToken itself: everything the proxy's session did comes back.
    assert len(events) > 50
    assert {e["Username"] for e in events} == {demo_facts.proxy_instance_id}
    ids = {json.loads(e["CloudTrailEvent"])["eventID"] for e in events}
    here = [r["eventID"] for r in demo.records
            if r["eventID"] in demo_facts.attack_event_ids
            and r["awsRegion"] == demo_facts.proxy_region]
    assert here and set(here) <= ids


def test_aws_cli_describe_instances_lists_the_fleet(demo: DemoServer, demo_facts: Facts) -> None:
    answer = _aws(demo, demo_facts.proxy_region, "ec2", "describe-instances")
    instances = {i["InstanceId"]: i for r in answer["Reservations"] for i in r["Instances"]}
    assert demo_facts.proxy_instance_id in instances
    assert instances[demo_facts.malicious_instance_id]["KeyName"] == demo_facts.attacker_key_name
