"""The LookupEvents planner given the known event names (botocore's operations, read
by the data layer): a start of one name typed as on an archive (``name:runinst``) is
sent as the name whole, where AWS, matching names whole, found nothing for it."""

from __future__ import annotations

import pytest

from awsir_tui.aws.event_names import event_names
from awsir_tui.events.lookup_source import lookup_spec
from awsir_tui.query import EVENT_FIELDS, parse, plan_lookup


def plan(text: str, names: bool = True):
    return plan_lookup(parse(text, EVENT_FIELDS), names=event_names if names else None)


@pytest.mark.parametrize("typed", ["name:RunInst", "name:runinst", "name:RUNInst"])
def test_the_start_of_one_known_name_is_sent_as_that_name(typed: str) -> None:
    chosen = plan(typed)
    assert chosen.attribute == ("EventName", "RunInstances")
    assert chosen.lookup_kwargs()["LookupAttributes"] == [
        {"AttributeKey": "EventName", "AttributeValue": "RunInstances"}]
    assert chosen.local.text == typed  # still re-checked here as typed
    assert chosen.sent_as() == f"{typed} sent as EventName=RunInstances"
    assert f"EventName = RunInstances (from {typed}, the one known name holding it)" in (
        chosen.explain())
    # Names holding it elsewhere than at the start are not asked for: said, and the
    # filter to type reads every event, in upper case, which is never completed.
    assert chosen.approximate and chosen.hint() == "sent as RunInstances: try name:RUNINST"
    assert plan("name:RUNINST").attribute is None
    assert plan("name:StopLog").hint() == "sent as StopLogging: try name:STOPLOG"


def test_a_whole_name_typed_in_another_case_is_sent_as_aws_writes_it() -> None:
    """name:runinstances read every event of the 90 days (at 2 calls/s: hours on a busy
    account): lower case was the form never sent. Upper case is that form now."""
    chosen = plan("name:runinstances")
    assert chosen.attribute == ("EventName", "RunInstances")
    assert chosen.sent_as() == "name:runinstances sent as EventName=RunInstances"
    assert chosen.hint() == "sent as RunInstances: try name:RUNINSTANCES"
    assert plan("name:RUNINSTANCES").attribute is None
    # Held by several names (AssumeRoleWithSAML...): every event is read, as ever.
    assert plan("name:assumerole").attribute is None


def test_a_source_term_picks_the_name_among_its_service_s() -> None:
    """CreateUs starts CreateUsagePlan, CreateUseCase...; of IAM's names, CreateUser only."""
    assert plan("name:CreateUs").attribute == ("EventName", "CreateUs")
    chosen = plan("source:iam name:CreateUs")
    assert chosen.attribute == ("EventName", "CreateUser")
    assert chosen.sent_as() == "name:CreateUs sent as EventName=CreateUser"
    # A source naming no service with such a name leaves every service's names.
    assert plan("source:nosuchservice name:RunInst").attribute == ("EventName", "RunInstances")


def test_the_start_of_several_names_is_planned_as_before_and_its_hint_names_them() -> None:
    with_names, without = plan("name:DescribeInst"), plan("name:DescribeInst", names=False)
    assert with_names.attribute == without.attribute == ("EventName", "DescribeInst")
    assert "DescribeInstances" in with_names.holding
    assert "known names holding it: DescribeInstance, DescribeInstances" in (
        with_names.explain())
    hint = with_names.hint()
    assert hint.startswith("DescribeInstance") and hint.endswith("? try name:DESCRIBEINST")
    assert len(hint + "  0 events · 3/3 regions · 3 pages") <= 80
    assert plan("name:DESCRIBEINST").attribute is None  # the filter that reads them all
    # Of a source's names, fewer; the plan line names them (the hint, as fit 80 columns).
    chosen = plan("source:iam name:CreateAcc")
    assert chosen.holding == ("CreateAccessKey", "CreateAccountAlias")
    assert "holding it: CreateAccessKey, CreateAccountAlias]" in chosen.explain()


def test_a_part_of_one_name_and_inside_others_is_not_completed() -> None:
    """``name:Group`` starts GroupResources alone; CreateSecurityGroup holds it, and
    here ``name:`` means "contains": sending GroupResources would leave those out."""
    for typed in ("name:Group", "name:ingress", "name:SecurityGroupIng",
                  "name:InstanceInformation"):
        chosen = plan(typed)
        assert not chosen.completed and chosen.sent_as() == "", typed
        assert chosen.attribute == plan(typed, names=False).attribute
    assert "AuthorizeSecurityGroupIngress" in plan("name:SecurityGroupIng").holding
    # In one known name, not at its start: names no model holds may hold it too (SSM's
    # UpdateInstanceInformation), so it is not sent as DescribeInstanceInformation.
    assert plan("name:InstanceInformation").holding == ("DescribeInstanceInformation",)


@pytest.mark.parametrize(
    "text",
    [
        # Names no API model holds (console sign-in, MFA, role switching) as ever:
        "name:ConsoleLogin", "name:consolelogin", "name:CheckMfa", "name:SwitchRole",
        "name:UpdateInstanceInformation", "name:=ConsoleLogin",
        # Whole names, in their case or not; exact terms; several starts; the retries.
        "name:RunInstances", "name:AssumeRole", "name:assumerole",
        "name:ImportKey", "name:importkey", "name:=runinst", "name:=RunInst", "-name:RunInst",
        "name:Run", "name:describe", "name:RunInst,CreateKeyP", "name:RunInst OR user:bob",
        "name:RunInstances user:i-b2547952", "user:i-b2547952 resource:=x name:AbCd",
        "", "source:ec2", "readonly:false",
    ],
)
def test_what_the_catalogue_does_not_complete_is_planned_as_without_it(text: str) -> None:
    assert plan(text) == plan(text, names=False)
    assert plan(text).sent_as() == ""


def test_each_term_of_an_or_sent_as_another_name_is_said() -> None:
    """An OR of names is read as one lookup per term: each term completed was sent as
    another name than typed, and the status line said none of them."""
    event_names()
    spec = lookup_spec(parse("name:runinst OR name:stoplog", EVENT_FIELDS))
    assert spec.attributes == (("EventName", "RunInstances"), ("EventName", "StopLogging"))
    assert spec.sent_as == ("name:runinst sent as EventName=RunInstances, "
                            "name:stoplog sent as EventName=StopLogging")
    assert lookup_spec(parse("name:runinst", EVENT_FIELDS)).sent_as == (
        "name:runinst sent as EventName=RunInstances")


@pytest.mark.parametrize("typed", ["key:=AKIAIOSFODNN7EXAMPLE name:describe",
                                   "name:runinst user:i-b2547952",
                                   "resource:=i-0123456789abcdef0 name:StopLog"])
def test_names_are_not_read_when_a_term_before_them_is_sent(typed: str) -> None:
    """An access key, a user or a resource is sent before any name: the planner read
    the catalogue all the same (some 4 s from botocore's models on a first run)."""
    asked = []

    def names():  # the catalogue, and that it was asked for
        asked.append(True)
        return event_names()

    chosen = plan_lookup(parse(typed, EVENT_FIELDS), names=names)
    assert chosen.attribute == plan(typed, names=False).attribute
    assert chosen.attribute is not None and chosen.attribute[0] != "EventName"
    assert not asked
    assert plan_lookup(parse("name:runinst", EVENT_FIELDS), names=names).completed
    assert asked
