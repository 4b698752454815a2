"""The demo account's story, seeded into a running moto, and the facts tests assert on.

Bob's company runs a web shop in three regions. An internet-facing forward proxy in
eu-west-1 has an instance role with a careless ``ec2:*`` policy; an attacker stole its
instance credentials and, from their own address, tried to launch GPU instances in
three regions, then opened SSH to the world on a new group, imported a key and started
one instance. ``seed`` builds all of it deterministically (same IDs every run; times
relative to the moment of seeding) and returns :class:`Facts`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from moto.moto_api._internal import mock_random

from awsir_tui.demo import archive, moto_state
from awsir_tui.demo.attack import (
    ATTACK_LEAD_MINUTES,
    ATTACK_REGIONS,
    ATTACKER_GROUP_NAME,
    ATTACKER_IP,
    ATTACKER_KEY_NAME,
    HOSTILE_CONTROL_TAG,
    HOSTILE_GROUP_DESCRIPTION,
    HOSTILE_TAG_VALUE,
    HOSTILE_USER_AGENT,
    run_attack,
)
from awsir_tui.demo.background import World, background
from awsir_tui.demo.clients import demo_client
from awsir_tui.demo.company import (
    ACCESS_KEY_AGE_DAYS,
    FLEET,
    IAM_AGE_DAYS,
    PROXY_NAME,
    REGIONS,
    ROLES,
    UNUSED_GROUP_HOMES,
    UNUSED_KEYS,
)
from awsir_tui.demo.seed_ec2 import RegionEstate, seed_region
from awsir_tui.demo.seed_iam import seed_iam
from awsir_tui.demo.sessions import Session, current, schedule

SEED = 20190809  # the day of the blog post this tool grew from
HISTORY_DAYS = 8


@dataclass(frozen=True)
class Facts:
    """What a responder should find, by name, for tests and the README's walkthrough."""

    account_id: str
    regions: tuple[str, ...]
    seeded_at: datetime
    proxy_instance_id: str
    proxy_region: str
    proxy_public_ip: str
    role_name: str
    instance_profile_name: str
    attacker_ip: str
    attacker_access_key_id: str
    attacker_key_name: str
    attacker_key_pair_id: str
    attacker_group_id: str
    attacker_group_name: str
    malicious_instance_id: str
    malicious_launch_time: datetime
    attack_started: datetime
    #: Every region the stolen key was used in (the proxy's first).
    attack_regions: tuple[str, ...]
    attack_event_ids: tuple[str, ...]
    unused_group_names: tuple[str, ...]
    unused_key_names: tuple[str, ...]
    trail_name: str
    trail_bucket: str
    flow_log_region: str
    hostile_tag_value: str = HOSTILE_TAG_VALUE
    hostile_group_description: str = HOSTILE_GROUP_DESCRIPTION
    hostile_user_agent: str = HOSTILE_USER_AGENT
    #: In a failed RunInstances' tag (CloudTrail only): ANSI clear-screen, CR, backspace.
    hostile_control_tag: str = HOSTILE_CONTROL_TAG


@dataclass(frozen=True)
class Seeded:
    """The result of seeding: the facts, every CloudTrail record, and the archive's keys."""

    facts: Facts
    records: tuple[dict[str, Any], ...]
    archive_keys: tuple[str, ...]


def _nat_ips(rng: random.Random, estates: list[RegionEstate]) -> dict[str, str]:
    return {network: f"52.{rng.randint(16, 95)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            for estate in estates for network in estate.vpcs}


def _sessions(estates: list[RegionEstate], now: datetime, proxy_id: str,
              attack_start: datetime) -> dict[str, list[Session]]:
    """Credential schedules of every running instance with a role.

    The proxy's newest session is issued two hours before the attack, so the stolen key
    is the one it held then (and still holds); the others refresh at their own offset.
    """
    oldest = now - timedelta(days=HISTORY_DAYS)
    offsets = random.Random(f"{SEED}:offsets")
    out = {}
    for estate in estates:
        for launched in estate.instances:
            if not launched.server.role or launched.server.state != "running":
                continue
            latest = (attack_start - timedelta(hours=2) if launched.instance_id == proxy_id
                      else now - timedelta(minutes=offsets.randint(1, 359)))
            out[launched.instance_id] = schedule(f"{SEED}:{launched.instance_id}",
                                                 max(oldest, launched.launched), latest)
    return out


def seed(endpoint_url: str, account_id: str, now: datetime | None = None) -> Seeded:
    """Create the whole demo account through ``endpoint_url`` (a bare moto server).

    IDs are the same on every run: moto's generator is seeded and the calls come in a
    fixed order, and each part of the CloudTrail story draws from its own named
    generator, so that a part whose size depends on the clock (the background) cannot
    shift the IDs another part draws (the attack). Times are relative to ``now``.
    """
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    mock_random.seed(SEED)
    identities = seed_iam(demo_client(endpoint_url, "iam", "us-east-1"))
    moto_state.set_iam_created(account_id, now - timedelta(days=IAM_AGE_DAYS),
                               now - timedelta(days=ACCESS_KEY_AGE_DAYS))
    estates = [seed_region(demo_client(endpoint_url, "ec2", region), account_id, region,
                           FLEET, now) for region in REGIONS]
    proxy_estate = next(e for e in estates if any(i.server.name == PROXY_NAME
                                                  for i in e.instances))
    proxy = next(i for i in proxy_estate.instances if i.server.name == PROXY_NAME)
    role = next(r for r in ROLES if r.name == proxy.server.role)
    attack_start = now - timedelta(minutes=ATTACK_LEAD_MINUTES)
    sessions = _sessions(estates, now, proxy.instance_id, attack_start)
    stolen = current(sessions[proxy.instance_id], attack_start)
    attack = run_attack(
        random.Random(f"{SEED}:attack"), demo_client(endpoint_url, "ec2", proxy_estate.region),
        account=account_id, proxy=proxy, role_name=role.name,
        role_id=identities.role_ids[role.name],
        vpc_id=proxy_estate.vpcs[proxy.server.network],
        subnet_id=proxy_estate.subnets[(proxy.server.network, "public")],
        image_id=proxy_estate.image_id, access_key_id=stolen.key_id,
        session_issued=stolen.issued, now=now,
    )
    world = World(account=account_id, now=now, days=HISTORY_DAYS, identities=identities,
                  estates=tuple(estates), sessions=sessions,
                  nat_ips=_nat_ips(random.Random(f"{SEED}:nat"), estates),
                  data_bucket=archive.data_bucket_name(account_id))
    records = tuple(background(random.Random(f"{SEED}:background"), world)) + attack.records
    bucket = archive.create_trail(demo_client(endpoint_url, "s3", "us-east-1"),
                                  demo_client(endpoint_url, "cloudtrail", "us-east-1"),
                                  account_id, data_region="ap-southeast-2")
    flow_estate = next(e for e in estates if e.region == archive.FLOW_LOG_REGION)
    archive.create_flow_log(demo_client(endpoint_url, "ec2", flow_estate.region),
                            next(iter(flow_estate.vpcs.values())), bucket)
    keys = archive.write_archive(account_id, bucket, records, random.Random(f"{SEED}:archive"))
    facts = Facts(
        account_id=account_id, regions=REGIONS, seeded_at=now,
        proxy_instance_id=proxy.instance_id, proxy_region=proxy_estate.region,
        proxy_public_ip=proxy.public_ip, role_name=role.name,
        instance_profile_name=role.profile, attacker_ip=ATTACKER_IP,
        attacker_access_key_id=attack.access_key_id, attacker_key_name=ATTACKER_KEY_NAME,
        attacker_key_pair_id=attack.key_pair_id, attacker_group_id=attack.group_id,
        attacker_group_name=ATTACKER_GROUP_NAME,
        malicious_instance_id=attack.malicious_instance_id,
        malicious_launch_time=attack.launched, attack_started=attack.started,
        attack_regions=ATTACK_REGIONS,
        attack_event_ids=attack.event_ids, unused_group_names=tuple(
            f"{network}-{name}" for name, network in UNUSED_GROUP_HOMES.items()),
        unused_key_names=UNUSED_KEYS, trail_name=archive.TRAIL_NAME, trail_bucket=bucket,
        flow_log_region=archive.FLOW_LOG_REGION,
    )
    return Seeded(facts=facts, records=records, archive_keys=tuple(keys))
