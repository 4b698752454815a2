"""Bob's company: the static facts of the demo account (people, regions, networks, fleet).

Kept as plain data so that the story can be read in one place and the seeding modules
stay mechanical. Names and tags are what a small real company would have: a web shop
in us-east-1, its EU copy (and the forward proxy) in eu-west-1, analytics in
ap-southeast-2.
"""

from __future__ import annotations

from dataclasses import dataclass

ACCOUNT_ALIAS = "bobs-widgets"
REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")
#: The office's egress addresses (documentation ranges; never routable).
OFFICE_IPS = ("198.51.100.23", "198.51.100.24", "198.51.100.57")
OFFICE_CIDR = "198.51.100.0/24"
#: Where CI runs (a hosted runner's address).
CI_IP = "192.0.2.145"


@dataclass(frozen=True)
class Person:
    """An IAM user: console users log in with MFA, API users call with an AKIA key."""

    name: str
    console: bool
    api: bool
    agent: str


PEOPLE = (
    Person("bob", console=True, api=True, agent="aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 "
           "os/macos#23.5.0 md/arch#arm64 lang/python#3.11.9 md/pyimpl#CPython "
           "cfg/retry-mode#standard"),
    Person("alice", console=True, api=True, agent="Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 "
           "os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.4 md/pyimpl#CPython "
           "cfg/retry-mode#legacy"),
    Person("carol", console=True, api=True, agent="aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 "
           "md/GOOS#linux md/GOARCH#amd64 api/ec2#1.171.0"),
    Person("dave", console=True, api=False, agent=""),
    Person("erin", console=True, api=True, agent="aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 "
           "os/linux#6.8.0 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython"),
    Person("ci-deploy", console=False, api=True, agent="APN/1.0 HashiCorp/1.0 Terraform/1.9.2 "
           "(+https://www.terraform.io) terraform-provider-aws/5.60.0 aws-sdk-go-v2/1.30.3"),
)
CONSOLE_AGENT = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Safari/605.1.15"
)


@dataclass(frozen=True)
class Network:
    """A VPC with a public and a private subnet in each of two zones."""

    region: str
    name: str
    cidr: str
    env: str


NETWORKS = (
    Network("us-east-1", "shop-prod", "10.10.0.0/16", "prod"),
    Network("us-east-1", "shop-staging", "10.11.0.0/16", "staging"),
    Network("eu-west-1", "shop-eu-prod", "10.20.0.0/16", "prod"),
    Network("eu-west-1", "edge", "10.21.0.0/16", "prod"),
    Network("ap-southeast-2", "analytics", "10.30.0.0/16", "prod"),
)


@dataclass(frozen=True)
class Group:
    """A security group; ``ingress`` is (protocol, from, to, CIDR or another group's name)."""

    name: str
    description: str
    ingress: tuple[tuple[str, int, int, str], ...]


#: Groups created in a VPC when a server there uses them; the last three are attached to
#: nothing (findings) and live in the VPC ``UNUSED_GROUP_HOMES`` names.
GROUPS = (
    Group("web", "Public HTTPS", (("tcp", 443, 443, "0.0.0.0/0"), ("tcp", 80, 80, "0.0.0.0/0"))),
    Group("app", "App tier from web", (("tcp", 8080, 8080, "web"),)),
    Group("db", "Postgres from app", (("tcp", 5432, 5432, "app"),)),
    Group("bastion", "SSH from the office", (("tcp", 22, 22, OFFICE_CIDR),)),
    Group("proxy", "Forward proxy for partner integrations",
          (("tcp", 3128, 3128, "0.0.0.0/0"), ("tcp", 22, 22, OFFICE_CIDR))),
    Group("legacy-ftp", "old vendor drop, do not use", (("tcp", 21, 21, OFFICE_CIDR),)),
    Group("temp-debug", "temporary debugging (alice)", (("tcp", 9000, 9100, OFFICE_CIDR),)),
    Group("old-elk", "ELK stack decommissioned 2024", (("tcp", 9200, 9200, "10.0.0.0/8"),)),
)
UNUSED_GROUP_HOMES = {"legacy-ftp": "shop-prod", "temp-debug": "shop-staging",
                      "old-elk": "analytics"}

#: Key pairs per region and how many days ago they were made; the last two are used by
#: no instance.
KEY_PAIRS = {"bob-admin": 700, "deploy-2025": 300, "alice-laptop": 150, "old-jenkins": 900,
             "test-key-do-not-use": 420}
UNUSED_KEYS = ("old-jenkins", "test-key-do-not-use")
#: How many days ago the account's IAM users, roles and profiles were made (before its
#: oldest instance), and its users' access keys (a yearly rotation's age).
IAM_AGE_DAYS = 1000.0
ACCESS_KEY_AGE_DAYS = 180.0


@dataclass(frozen=True)
class Role:
    """An instance role: profile name, managed policies it gets, and one inline policy."""

    name: str
    profile: str
    managed: tuple[str, ...]
    inline_actions: tuple[str, ...]


ROLES = (
    Role("web-server-role", "web-server-profile", ("bobs-ssm-core", "bobs-logs-write"),
         ("s3:GetObject",)),
    Role("app-server-role", "app-server-profile", ("bobs-ssm-core", "bobs-logs-write"),
         ("sqs:SendMessage", "sqs:ReceiveMessage", "secretsmanager:GetSecretValue")),
    Role("data-pipeline-role", "data-pipeline-profile", ("bobs-logs-write",),
         ("s3:GetObject", "s3:PutObject", "athena:StartQueryExecution")),
    # The weakness the attacker uses: a copy-pasted "autoscaling" statement with ec2:*.
    Role("edge-proxy-role", "edge-proxy-profile", ("bobs-ssm-core",),
         ("ec2:*",)),
)
MANAGED_POLICIES = {
    "bobs-ssm-core": ("ssm:UpdateInstanceInformation", "ssmmessages:*", "ec2messages:*"),
    "bobs-logs-write": ("logs:CreateLogStream", "logs:PutLogEvents"),
}


@dataclass(frozen=True)
class Server:
    """One instance of the fleet (before the attacker adds theirs)."""

    region: str
    name: str
    network: str
    tier: str  # security group name, and public/private placement
    owner: str
    instance_type: str
    key: str
    role: str | None = None
    state: str = "running"  # running | stopped | terminated
    age_days: float = 120.0
    user_data: str | None = None


#: The proxy's boot script: squid open to all (how its role's credentials were reached),
#: its settings in a heredoc indented with tabs (``<<-`` strips them), as scripts are.
PROXY_BOOT = ("#!/bin/bash\nyum -y install squid\ncat > /etc/squid/squid.conf <<-EOF\n"
              "\thttp_port 3128\n\thttp_access allow all\nEOF\n"
              "systemctl enable --now squid\n")


def _fleet() -> tuple[Server, ...]:
    """The 42 servers of the fleet, by region and role (before the attacker adds one)."""
    boot = "#!/bin/bash\nyum -y update\nsystemctl enable --now amazon-ssm-agent\n"
    rows: list[Server] = []
    for region, network, prefix, count in (
        ("us-east-1", "shop-prod", "shop", 6), ("eu-west-1", "shop-eu-prod", "shop-eu", 4),
    ):
        for i in range(1, count + 1):
            rows.append(Server(region, f"{prefix}-web-{i:02d}", network, "web", "dave",
                               "t3.medium", "deploy-2025", "web-server-role",
                               age_days=30.0 + 11 * i, user_data=boot))
            rows.append(Server(region, f"{prefix}-api-{i:02d}", network, "app", "alice",
                               "m5.large", "deploy-2025", "app-server-role",
                               age_days=60.0 + 7 * i))
    for region, network, prefix in (("us-east-1", "shop-prod", "shop"),
                                    ("eu-west-1", "shop-eu-prod", "shop-eu")):
        rows.append(Server(region, f"{prefix}-db-01", network, "db", "carol", "r5.xlarge",
                           "bob-admin", age_days=400.0))
        rows.append(Server(region, f"{prefix}-db-02", network, "db", "carol", "r5.xlarge",
                           "bob-admin", age_days=395.0))
        rows.append(Server(region, f"{prefix}-bastion", network, "bastion", "bob", "t3.micro",
                           "bob-admin", age_days=500.0))
    rows += [
        Server("us-east-1", "staging-web-01", "shop-staging", "web", "dave", "t3.small",
               "alice-laptop", "web-server-role", age_days=3.2, user_data=boot),
        Server("us-east-1", "staging-api-01", "shop-staging", "app", "alice", "t3.small",
               "alice-laptop", "app-server-role", age_days=3.1),
        Server("us-east-1", "staging-api-02", "shop-staging", "app", "alice", "t3.small",
               "alice-laptop", "app-server-role", state="stopped", age_days=5.5),
        Server("us-east-1", "staging-db-01", "shop-staging", "db", "carol", "t3.large",
               "bob-admin", state="stopped", age_days=90.0),
        Server("us-east-1", "jenkins-old", "shop-staging", "bastion", "bob", "m4.large",
               "bob-admin", state="terminated", age_days=700.0),
        Server("us-east-1", "build-runner-01", "shop-prod", "app", "ci-deploy", "c5.2xlarge",
               "deploy-2025", "app-server-role", age_days=1.5, user_data=boot),
        Server("eu-west-1", "edge-proxy-01", "edge", "proxy", "bob", "t3.small", "bob-admin",
               "edge-proxy-role", age_days=210.0,
               user_data=PROXY_BOOT),
        Server("eu-west-1", "edge-proxy-02", "edge", "proxy", "bob", "t3.small", "bob-admin",
               "edge-proxy-role", state="stopped", age_days=205.0),
    ]
    for i in range(1, 5):
        rows.append(Server("ap-southeast-2", f"etl-worker-{i:02d}", "analytics", "app", "carol",
                           "c5.xlarge", "deploy-2025", "data-pipeline-role",
                           state="running" if i < 4 else "stopped", age_days=20.0 + i))
    rows += [
        Server("ap-southeast-2", "warehouse-01", "analytics", "db", "carol", "r5.2xlarge",
               "bob-admin", age_days=300.0),
        Server("ap-southeast-2", "jupyter-carol", "analytics", "app", "carol", "g4dn.xlarge",
               "deploy-2025", "data-pipeline-role", state="stopped", age_days=6.0),
        Server("ap-southeast-2", "analytics-bastion", "analytics", "bastion", "bob",
               "t3.micro", "bob-admin", age_days=300.0),
        Server("ap-southeast-2", "metabase-01", "analytics", "web", "carol", "t3.medium",
               "deploy-2025", "web-server-role", age_days=44.0, user_data=boot),
    ]
    return tuple(rows)


FLEET = _fleet()
PROXY_NAME = "edge-proxy-01"
