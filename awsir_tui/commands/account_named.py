"""Whether the command line names an account: the one rule for reading an archive's
account (its instances' addresses), headless and in the TUI alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from awsir_tui.cli import Options


def names_account(options: Options) -> bool:
    """``--demo``, ``--profile`` or ``--endpoint-url`` given.

    Logs handed over as an archive are often another account's than the jump box's own
    role, which the default credential chain reaches (an instance role answers
    GetCallerIdentity too): without an account named, an archive is judged by its own
    events, and no account is read on its behalf.
    """
    return bool(options.demo or options.profile or options.endpoint_url)
