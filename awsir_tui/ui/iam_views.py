"""An instance's role and its policies: the role's page, and a policy's document.

An instance role is how stolen instance credentials reach the account, and what they
could do is written in the role's policies, not in their names. The role's page shows
every field IAM has on the role (iam:GetRole, read when opened: its ID, path, maximum
session length, last use, tags), then its trust policy and its attached and inline
policies; Enter on any of them, here as on the instance's page, opens the document:
each statement said in a line, what it allows without limit in red. `E` on the role's
page opens its CloudTrail events: what its credentials did, and the calls naming it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Static

from awsir_tui.aws.context import AwsContext
from awsir_tui.aws.ec2 import AwsObject
from awsir_tui.aws.iam import (
    ROLE_NAMES,
    CallFailure,
    PolicyDocument,
    RoleInfo,
    Statement,
    get_role,
    inline_policy,
    managed_policy,
    profile_arn,
    profile_name,
    trust_of,
    trust_policy,
)
from awsir_tui.aws.inventory import Kind
from awsir_tui.query import quote
from awsir_tui.text import clean, count_of
from awsir_tui.ui.base import Mark, View, app_of
from awsir_tui.ui.ec2_table import OPEN, Sheet, SheetPage, flatten
from awsir_tui.ui.json_view import JsonNode, JsonTree
from awsir_tui.ui.yank import yank_tree_value

#: The targets of policy rows: what Enter opens as a policy document.
POLICY_TARGETS = frozenset({"trust", "attached", "inline"})
#: The indicator kind of a role field, for `m` (a role is known by its ARN: the events of
#: its sessions name it; its ID is no access key, as its AROA shape would be guessed);
#: the others are guessed.
_ROLE_KINDS = {"RoleName": "arn", "Arn": "arn", "RoleId": "other"}


def policy_lines(sheet: Sheet, role: RoleInfo, indent: str = "") -> None:
    """The role's policy rows, each leading to its document: who may assume the role,
    then its attached and inline policies (an attached one marks as its ARN)."""
    sheet.line(f"{indent}trust", "who may assume the role", target=("trust", role.name))
    for policy in role.attached_policies:
        sheet.line(f"{indent}attached", policy.name, target=("attached", policy.arn),
                   kind="arn", mark=policy.arn)
    for name in role.inline_policies:
        sheet.line(f"{indent}inline", name, target=("inline", name), style="yellow")


def session_arn_prefix(name: str, arn: str) -> str:
    """What every session of the role has its ARN start with:
    ``arn:aws:sts::ACCOUNT:assumed-role/NAME/`` (a session's ARN drops the role's path);
    ``assumed-role/NAME/`` when ``arn`` is not a role's ARN."""
    parts = arn.split(":", 5)
    if len(parts) == 6 and parts[0] == "arn" and parts[2] == "iam":
        return f"arn:{parts[1]}:sts::{parts[4]}:assumed-role/{name}/"
    return f"assumed-role/{name}/"


def role_events_filter(name: str, arn: str, profiles: Iterable[str],
                       sessions: Iterable[str] | None) -> str:
    """The events filter of a role: the calls naming it, and those made with its
    credentials, as one OR of terms.

    Naming it: ``resource:=`` its name (the roleName of AttachRolePolicy,
    UpdateAssumeRolePolicy, PutRolePolicy...), its ARN (AssumeRole's resources: every
    session's start, its session name and key with it) and the names of its instance
    profiles (RunInstances and AssociateIamInstanceProfile pass the role by them).

    Made with its credentials: ``sessions`` None (an archive, read here) is one term,
    ``user:`` the ARN every session of the role starts with (:func:`session_arn_prefix`).
    Event history cannot answer that term: LookupEvents takes one attribute a call,
    matched whole, and its Username of a session is the session's name, never the
    role's; a filter with a term it cannot send reads every event of 90 days, capped.
    So there ``sessions`` are names, each ``user:=NAME``: an instance role's session is
    named after the instance (a name matches the instance's sessions under a role it
    had before, too: its events say which role). Each term of this OR is then one
    LookupEvents attribute (ResourceName or Username), and the reader sends one series
    of calls per term, merged (:func:`awsir_tui.events.lookup_source.lookup_spec`): a
    few pages each.
    """
    terms = [f"resource:={quote(value)}" for value in (name, arn, *profiles) if value]
    if sessions is None:
        terms.insert(0, f"user:{quote(session_arn_prefix(name, arn))}")
    else:
        terms.extend(f"user:={quote(session)}" for session in sessions)
    return " OR ".join(dict.fromkeys(terms))


#: The most instances whose sessions a role's Event history filter names (the newest
#: launches): each is one more series of lookups in every region, at 2 calls a second,
#: and a fleet of hundreds on one role would read for an hour.
MOST_SESSIONS = 20


def session_names(carrying: Iterable[AwsObject]) -> tuple[list[str], int]:
    """The session names of the instances ``carrying`` a role (their IDs), the newest
    launches first, at most :data:`MOST_SESSIONS`; and how many were left out."""
    newest = sorted(carrying, key=lambda item: str(item.get("LaunchTime", "")), reverse=True)
    names = list(dict.fromkeys(str(i["InstanceId"]) for i in newest if i.get("InstanceId")))
    return names[:MOST_SESSIONS], max(0, len(names) - MOST_SESSIONS)


def _session_gaps(sessions: list[str] | None, unknown: int, failed: list[str],
                  left_out: int = 0) -> str:
    """What the filter may miss of the role's sessions in Event history (``sessions``
    named), said so that a filter that finds little is not read as a quiet role: no
    instance known to carry it, instances whose role IAM would not tell, regions whose
    instances could not be listed, instances past :data:`MOST_SESSIONS` (``left_out``).
    Over an archive (None) it misses none."""
    if sessions is None:
        return ""
    gaps = []
    if left_out:
        gaps.append(f"{count_of(left_out, 'older instance')} with the role left out "
                    f"(the {MOST_SESSIONS} newest are in; E on an instance for its own)")
    if unknown:
        gaps.append(f"the role of {count_of(unknown, 'instance')} is unknown (IAM)")
    if failed:
        gaps.append(f"instances unread in {clean(', '.join(failed), 80)}")
    if not sessions:
        gaps.append("no instance listed has this role")
    if not gaps:
        return ""
    return ("Sessions not named in the filter: " + "; ".join(gaps) + ". The role's "
            "AssumeRole events name its sessions: add user:=NAME for one.")


#: What iam:GetRole answered for a role (its trust policy decoded), or why it failed.
RoleAnswer = dict[str, Any] | CallFailure


def open_policy(view: View, roles: list[RoleInfo], kind: str, value: str,
                role_answer: RoleAnswer | None = None) -> None:
    """Push the document of a policy row's target (``kind`` in :data:`POLICY_TARGETS`)."""
    read = policy_reader(app_of(view).ctx, roles, kind, value, role_answer)
    view.app.push_screen(PolicyView(f"{kind} {value.rsplit('/', 1)[-1]}", read))


def policy_reader(ctx: AwsContext, roles: list[RoleInfo], kind: str, value: str,
                  role_answer: RoleAnswer | None = None) -> Callable[[], PolicyDocument]:
    """The read behind a policy row's target: ``("trust", role)``, ``("attached", ARN)``
    or ``("inline", policy name)`` (a profile has one role, so the name finds it). The
    trust policy comes from ``role_answer`` when the caller already holds iam:GetRole's
    answer for the role (the role's page does), else from a read of its own."""
    if kind == "trust":
        if role_answer is not None:
            answer = role_answer
            return lambda: trust_of(value, answer)
        return lambda: trust_policy(ctx, value)
    if kind == "attached":
        policy = next(p for role in roles for p in role.attached_policies if p.arn == value)
        return lambda: managed_policy(ctx, policy)
    role = next(role for role in roles if value in role.inline_policies)
    return lambda: inline_policy(ctx, role.name, value)


def statement_label(key: str, statement: Statement) -> Text:
    """A statement's tree label, ``[0] \u26a0 Allow ec2:* on *`` in red when it allows a
    wildcard: the sign comes first, as a long statement is cut at the screen's edge."""
    label = Text(f"{key} ", style="bold")
    if statement.wildcards:
        label.append("\u26a0 ", style=OPEN)
    label.append(clean(statement.text, 300), style=OPEN if statement.wildcards else "")
    return label


def wildcard_text(statements: list[Statement]) -> Text:
    """What the statements allow without limit, said as it is: ``\u26a0 allows all ec2
    actions on any resource: 1 of 2 statements (red)`` ("any action" only for ``*``);
    then, not red, the SSM agent's channels (:data:`~awsir_tui.aws.iam.AGENT_CHANNELS`)."""
    if not statements:  # not a policy document: no reassurance to give
        return Text("no statement could be read: see the document below", style="yellow")
    wild = [statement for statement in statements if statement.wildcards]
    channels = [s for s in statements if s.reach and not s.wildcards]
    if not wild and not channels:
        return Text(f"{count_of(len(statements), 'statement')}, none allows a wildcard")
    lines = []
    if wild:
        lines.append(Text(f"\u26a0 allows {_reaches(wild)}: {len(wild)} of "
                          f"{count_of(len(statements), 'statement')} (red)", style=OPEN))
    if channels:
        lines.append(Text(f"allows {_reaches(channels)}: the SSM agent's channels, as "
                          "AWS's AmazonSSMManagedInstanceCore grants every managed instance"))
    return Text("\n").join(lines)


def _reaches(statements: list[Statement]) -> str:
    """What the statements allow, each different reach said once."""
    return clean("; ".join(dict.fromkeys(statement.reach for statement in statements)), 300)


class PolicyView(View):
    """One policy document of a role, read when opened (see the module doc)."""

    AUTO_FOCUS = "JsonTree"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "yank", "Yank", id="policy.yank"),
    ]
    DEFAULT_CSS = """
    PolicyView #policy-about { height: auto; max-height: 40%; padding: 0 1; }
    PolicyView JsonTree { height: 1fr; }
    """
    help_text = """
A policy of the instance's role (or the role's trust policy: who may assume it), as
IAM has it now. Each statement is said in a line; one that allows every action of a
service or more (*, ec2:*, a NotAction) on any resource (*), or lets any principal in,
is red: that is what the role's credentials, stolen or not, can do. The line above says
what it allows ("all ec2 actions on any resource"). The SSM agent's channels
(ssmmessages:*, ec2messages:*), which AWS's own AmazonSSMManagedInstanceCore grants every
managed instance, are said but not red. Arrows or j/k move, space folds, y copies the
value under the cursor. If IAM denies a read, the call and the reason are shown with
what was read before it. Esc goes back.
"""

    def __init__(self, title: str, read: Callable[[], PolicyDocument]) -> None:
        super().__init__()
        self.crumb = clean(title, 60)
        self.read = read
        #: The policy as read; None while the read runs.
        self.policy: PolicyDocument | None = None

    def compose_body(self) -> Iterable[Widget]:
        yield Static(Text("reading\u2026", style="yellow"), id="policy-about")
        yield JsonTree(id="policy-tree")

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, group="iam-policy", exit_on_error=False)
    async def load(self) -> None:
        """IAM is read in a thread: a slow link must not freeze the keys."""
        self.policy = await asyncio.to_thread(self.read)
        self.render_policy(self.policy)

    def action_yank(self) -> None:
        """`y`: the value under the cursor (a statement, an action, the whole document)."""
        yank_tree_value(self, self.query_one(JsonTree), "policy")

    def render_policy(self, policy: PolicyDocument) -> None:
        about = Text()
        for label, value in policy.about:
            about.append(f"{label}: ", style="dim")
            about.append(clean(value, 300) + "\n")
        statements = policy.statements
        if policy.failure is not None:
            about.append(str(policy.failure), style=OPEN)
        else:
            about.append_text(wildcard_text(statements))
        self.query_one("#policy-about", Static).update(about)
        tree = self.query_one(JsonTree)
        tree.display = policy.failure is None
        if policy.failure is None:
            tree.load(policy.document)
            tree.root.set_label(Text(self.crumb, style="bold"))
            self._label_statements(tree, statements)

    @staticmethod
    def _label_statements(tree: JsonTree, statements: list[Statement]) -> None:
        """Open the statements and say each in a line. ``Statement`` may be one object
        rather than a list: then it is the statement."""
        for node in tree.walk():
            data: JsonNode | None = node.data
            if data is None or data.is_leaf or data.path[:1] != ("Statement",):
                continue
            node.expand()  # a policy is small (IAM caps it at 10 KB): all of it in view
            single = data.path == ("Statement",) and isinstance(data.value, dict)
            if single or (len(data.path) == 2 and isinstance(data.path[1], int)):
                node.set_label(statement_label(data.key, statements[0 if single else
                                                                    int(data.path[1])]))


class RoleView(SheetPage):
    """A role: every field IAM has on it, then its policies (see the module doc)."""

    help_text = """
The role, as iam:GetRole returns it now (read when opened): ID, path, creation, maximum
session length, last use, tags. Then its policies: Enter on trust (who may assume the
role), an attached or an inline policy opens its document, what it allows without limit
in red. E opens the role's CloudTrail events, with a filter to read and edit: the calls
made with its credentials and the calls naming it (its policies or trust changed, its
AssumeRole, instances given its profile). Event history finds a session by its name
only: the filter names the sessions of the instances listed with the role (an instance
role's session is named after the instance), and the role's AssumeRole events name
any other. Over an archive it finds every session of the role. y copies a value. If
IAM denies the read, the call and the reason are shown, and the role's name, ARN and
policies as the instance's page read them. I lists every instance whose profile
carries the role, in every selected region (the instances' role: filter). Esc goes back.
"""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("E", "role_events", "Events", id="role.events"),
        Binding("I", "role_instances", "Instances", id="role.instances"),
    ]

    def __init__(self, role: RoleInfo) -> None:
        super().__init__()
        self.role = role
        self.crumb = clean(f"role {role.name}", 40)
        #: The role as iam:GetRole answered (the trust row opens its trust policy), or
        #: why it did not; None while it is read.
        self.answer: RoleAnswer | None = None

    def compose_body(self) -> Iterable[Widget]:
        yield Sheet(id="role-sheet")

    def on_mount(self) -> None:
        self.render_role()
        self.load()

    @work(exclusive=True, group="iam-role", exit_on_error=False)
    async def load(self) -> None:
        """IAM is read in a thread: a slow link must not freeze the keys."""
        self.answer = await asyncio.to_thread(get_role, app_of(self).ctx, self.role.name)
        self.render_role()

    def render_role(self) -> None:
        sheet, role, answer = self.sheet, self.role, self.answer
        with sheet.rewrite():
            sheet.section("Role")
            if isinstance(answer, dict):
                fields = {key: value for key, value in answer.items()
                          if key != "AssumeRolePolicyDocument"}  # the trust row opens it
            else:  # what the instance's page read, while GetRole runs or if it failed
                fields = {"RoleName": role.name, "Arn": role.arn, "CreateDate": role.create_date}
            for path, value in flatten(fields):
                kind = _ROLE_KINDS.get(path)
                sheet.line(path, value, kind=kind,
                           mark=role.arn or role.name if path == "RoleName" else None)
            if answer is None:
                sheet.line("", "reading\u2026", style="yellow")
            elif isinstance(answer, CallFailure):
                sheet.line("unavailable", str(answer), style=OPEN)
            sheet.section("Policies")
            policy_lines(sheet, role)

    def open_target(self, kind: str, value: str) -> None:
        """A policy: its document (the trust policy is in the GetRole answer this page
        holds, once it has one)."""
        if kind in POLICY_TARGETS:
            open_policy(self, [self.role], kind, value, role_answer=self.answer)

    def mark_at_cursor(self) -> Mark | None:
        return self.sheet.mark(self.crumb)

    def action_role_instances(self) -> None:
        """`I`: back from the role to every instance given it, as `K`, `S` and `P` go
        from an instance to those sharing its key, group and profile: another instance
        with the role holds the same credentials' rights."""
        app_of(self).open_view("instances", filter_text=f"role:={quote(self.role.name)}")

    def action_role_events(self) -> None:
        """`E`: the role's CloudTrail events (:func:`role_events_filter`)."""
        self.open_events()

    @work(exclusive=True, group="iam-role-events", exit_on_error=False)
    async def open_events(self) -> None:
        """The events view on the role's filter. Which instances carry the role comes
        from the instances of every selected region (read once, shared with the lists)
        and their profiles' roles, which EC2 does not list: IAM is asked once a profile,
        in a thread, so that a slow link does not freeze the keys."""
        app = app_of(self)
        role = self.role
        arn = role.arn or (str(self.answer.get("Arn") or "")
                           if isinstance(self.answer, dict) else "")
        outcomes = await app.inventory.load(Kind.INSTANCES)
        instances = [item for outcome in outcomes for item in outcome.value or []]
        unread = app.profile_roles.unread(instances)
        if unread:
            self.notify(f"reading {count_of(len(unread), 'instance profile')} from IAM "
                        "to find the instances with this role\u2026")
            await asyncio.to_thread(app.profile_roles.read, unread)
        unknown = app.profile_roles.annotate(instances)
        carrying = [item for item in instances if role.name in (item.get(ROLE_NAMES) or ())]
        profiles = dict.fromkeys(profile_name(profile_arn(item)) for item in carrying)
        sessions, left_out = (None, 0) if app.session_archive() else session_names(carrying)
        gaps = _session_gaps(sessions, len(unknown),
                             [o.region for o in outcomes if o.failure is not None], left_out)
        if gaps:
            self.notify(gaps, severity="warning", timeout=10)
        app.open_view("events", filter_text=role_events_filter(role.name, arn, profiles,
                                                               sessions), pivot=True)

