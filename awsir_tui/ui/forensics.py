"""Forensic actions from the UI: ask for each call, then make it, then say what it made.

Views call :func:`snapshot_instance`, :func:`snapshot_volume` or :func:`image_instance`
(the instance's page, the volume's, on their snapshot key). In a read-only session
they only say how to allow actions: no dialog, no request. Otherwise they plan the
calls (reads only), show a :class:`~awsir_tui.ui.dialogs.Confirm` for EACH call naming
its operation, region and resource, and send only the ones the user said yes to, through
:func:`awsir_tui.aws.actions.execute` (the guard journals each one as mutating, with
what it acted on and what it created). A call declined, or refused by a read-only
session, is journaled too; the case notes each from its journal as an action
(:class:`awsir_tui.case.action.Action`), made, failed, declined or refused alike, for
:timeline and every export. A failure's notice stays as long as a success's: a volume
gone mid-incident is evidence too. One action runs at a time: a second key press
while one waits for its answers would ask two series of questions at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text
from textual.app import App
from textual.geometry import Size
from textual.worker import Worker

from awsir_tui.aws.actions import (
    ActionResult,
    PlannedCall,
    PlanRefused,
    execute,
    plan_image,
    plan_snapshots,
    plan_volume_snapshot,
)
from awsir_tui.aws.context import AwsContext, Identity
from awsir_tui.aws.errors import classify
from awsir_tui.text import clean, count_of
from awsir_tui.ui.dialogs import Confirm

if TYPE_CHECKING:
    from awsir_tui.cli import Options

#: The title of the note that says what a confirmed call created: a note replaces the
#: one of its title on screen, and a refusal that came next took the new AMI's ID away.
EVIDENCE_MADE = "evidence made"
#: How long the notice of a call made, or failed, stays (Textual's default is 5 s).
RESULT_TIMEOUT = 30
#: What a read-only session says when an action key is pressed (then what a restart
#: keeps: :func:`read_only_message`).
READ_ONLY_MESSAGE = "actions are not allowed: restart with --allow-actions"


def read_only_message(options: Options | None) -> str:
    """:data:`READ_ONLY_MESSAGE`, and what the restart it asks for keeps: a responder
    deep in an archive hesitated to quit, not knowing whether the marks and the load
    would survive it. The case always does; archives loaded into memory are read again,
    a ``--store`` file's events are kept (only the files it does not hold are read);
    Event history is read again, whatever the options (its reads are kept nowhere)."""
    said = READ_ONLY_MESSAGE + " (the case, its indicators and notes are kept"
    if options is not None and options.sources:
        if options.store:
            said += "; the store keeps the events loaded"
        else:
            said += ("; the archives are read again: add --store FILE to keep them from "
                     "now on")
    else:
        said += "; Event history is read again"
    return said + ")"


Planner = Callable[[AwsContext, str, str, str], list[PlannedCall]]


def case_name(app: App[object]) -> str:
    """The case the created resources are tagged with: the open case, else --case."""
    session = getattr(app, "case", None)  # the app's CaseSession, once the account is known
    options = getattr(app, "options", None)
    name = session.case.name if session is not None else getattr(options, "case", "")
    return str(name or "unnamed case")


def question(call: PlannedCall, number: int = 1, total: int = 1,
             room: Size | None = None, identity: Identity | None = None) -> Text:
    """The Confirm text for one call (``number`` of ``total``): exactly what will be
    sent, where, and as whom (``identity``): a responder with several profiles open
    must see which account the change goes to. Nothing markup. Given the ``room``
    (columns, rows) the Confirm has for it, the copies made before are cut to what
    fits, the newest kept, the rest counted ("+N more"): the oldest were below the
    box's edge, a small scrollbar the only sign of them."""

    def text(most: int | None) -> Text:
        said = Text()
        said.append("This changes the AWS account.", style="bold red")
        if total > 1:
            said.append(f"  Call {number} of {total}.", style="bold")
        # No blank line below: at 80x24 the line it took was the newest copy's.
        said.append("\n" + where(identity), style="bold")
        said.append("\n" + call.describe(most))
        return said

    if room is None:
        return text(None)
    console = Console(width=room.width)
    for most in range(len(call.earlier), 0, -1):
        said = text(most)
        if len(said.wrap(console, room.width)) <= room.height:
            return said
    return text(1 if call.earlier else None)


def where(identity: Identity | None) -> str:
    """The account and caller a change goes to (``in account 1234 as arn:...``), or that
    they are not known (the identity call failed): then the header says why."""
    if identity is None:
        return "in an account not known: the caller identity was not read"
    return f"in account {clean(identity.account, 20)} as {clean(identity.arn, 300)}"


def snapshot_instance(
    app: App[object], region: str, instance_id: str
) -> Worker[list[ActionResult]] | None:
    """Snapshot every EBS volume of ``instance_id``, one confirmation per volume; the
    worker that runs it, or None (as :func:`snapshot_volume`)."""
    return _run(app, region, instance_id, "snapshot", "CreateSnapshot", plan_snapshots)


def snapshot_volume(
    app: App[object], region: str, volume_id: str
) -> Worker[list[ActionResult]] | None:
    """Snapshot ``volume_id``: attached, the one call of its instance's plan that copies
    it (tagged with its instance and device); attached to none, a call naming the
    volume alone. Asked and journaled as F on an instance asks and journals it. The
    worker that runs it, to wait for, or None when nothing runs (read-only, another
    action waiting)."""
    return _run(app, region, volume_id, "snapshot", "CreateSnapshot", plan_volume_snapshot)


def image_instance(
    app: App[object], region: str, instance_id: str
) -> Worker[list[ActionResult]] | None:
    """Make a forensic AMI of ``instance_id`` with NoReboot=True, after confirmation;
    the worker that runs it, or None (as :func:`snapshot_volume`)."""
    return _run(
        app,
        region,
        instance_id,
        "image",
        "CreateImage",
        lambda ctx, reg, iid, case: [plan_image(ctx, reg, iid, case)],
    )


def _run(
    app: App[object],
    region: str,
    subject: str,
    what: str,
    operation: str,
    planner: Planner,
) -> Worker[list[ActionResult]] | None:
    """Ask for and make the calls ``planner`` plans for ``subject`` (an instance or a
    volume ID), which a refusal is journaled as acting on. ``what`` (``snapshot``,
    ``image``) names the notifications' title: F on an instance and on a volume make one
    kind of evidence, and their notifications replace each other (titled "forensic
    snapshots" and "forensic snapshot", the instance's skips stayed on screen beside the
    volume's). Every call attempted goes to the case as an action (see the module doc)."""
    ctx: AwsContext | None = getattr(app, "ctx", None)
    if ctx is None or not ctx.target.allow_actions:
        if ctx is not None:  # journaled and saved to the case off the UI thread
            app.run_worker(
                partial(ctx.guard.record_unsent, "ec2", region, operation, subject,
                        "refused", "read-only session"),
                name=f"journal refused {operation}", group="journal", thread=True,
                exit_on_error=False,
            )
        app.notify(read_only_message(getattr(app, "options", None)), title="read-only",
                   severity="warning")
        return None
    if any(w.group == "forensics" and not w.is_finished for w in app.workers):
        app.notify("a forensic action is already running or waiting for your answer",
                   title=f"forensic {what}", severity="warning")
        return None
    return app.run_worker(
        _confirm_and_execute(app, ctx, region, subject, what, planner),
        name=f"forensic {what} {subject}",
        group="forensics",
        exit_on_error=False,
    )


async def _confirm_and_execute(
    app: App[object],
    ctx: AwsContext,
    region: str,
    subject: str,
    what: str,
    planner: Planner,
) -> list[ActionResult]:
    """Plan (reads), then for each call: ask, and only on yes send it; report each result."""
    try:
        calls = await asyncio.to_thread(planner, ctx, region, subject, case_name(app))
    # Why nothing was asked stays as long as a call's result: a volume deleted under
    # the responder is evidence too (it was gone in 5 s).
    except PlanRefused as exc:  # nothing to ask for, and why, in words
        app.notify(str(exc), title=f"forensic {what}", severity="warning",
                   timeout=RESULT_TIMEOUT)
        return []
    except Exception as exc:
        app.notify(str(classify(exc)), title=f"forensic {what}", severity="error",
                   timeout=RESULT_TIMEOUT)
        return []
    results: list[ActionResult] = []
    skipped: list[str] = []
    failed: list[str] = []
    for number, call in enumerate(calls, 1):
        room = Confirm.question_room(app.size)
        asked = question(call, number, len(calls), room, getattr(app, "identity", None))
        if not await app.push_screen_wait(Confirm(asked)):
            await asyncio.to_thread(
                ctx.guard.record_unsent, call.service, call.region, call.operation,
                call.resource, "declined", "declined by the user",
            )
            skipped.append(call.resource)
            # Only this call: another of the same run may have been made.
            app.notify(f"skipped {call.operation} on {call.resource} (not sent)",
                       title=f"forensic {what}")
            continue
        try:
            result = await asyncio.to_thread(execute, ctx, call)
        except Exception as exc:
            failed.append(call.resource)
            app.notify(str(classify(exc)), title=f"{call.operation} failed", severity="error",
                       timeout=RESULT_TIMEOUT)
            continue
        results.append(result)
        app.notify(  # its own title: a later refusal or skip must not take its place
            f"{call.operation} on {call.resource} in {call.region}: "
            f"created {', '.join(result.created) or 'nothing reported'}"
            + ("; :evidence follows its state" if result.created else ""),
            title=EVIDENCE_MADE,
            timeout=RESULT_TIMEOUT,
        )
    if len(calls) > 1:
        app.notify(_summary(what, len(calls), results, skipped, failed),
                   title=f"forensic {what}",
                   severity="information" if results else "warning", timeout=RESULT_TIMEOUT)
    return results


def _summary(what: str, total: int, results: list[ActionResult], skipped: list[str],
             failed: list[str]) -> str:
    """The run's last word, when it had several calls: how many of its ``what`` (one:
    ``snapshot``) were made ("1 of 2 snapshots made"), what they created, and which were
    skipped or failed. The last call's own notice alone ("skipped vol-2") read as if
    the whole run had made nothing."""
    created = ", ".join(made for result in results for made in result.created)
    parts = [f"{len(results)} of {count_of(total, what)} made"
             + (f": {created}" if created else "")]
    if skipped:
        parts.append(f"skipped {', '.join(skipped)}")
    if failed:
        parts.append(f"failed {', '.join(failed)}")
    return "; ".join(parts)
