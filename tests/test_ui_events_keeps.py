"""Whether an events view's filter still keeps to what it was opened on (a finding's
events by their IDs, an instance's by its terms): the breadcrumb, the plan line, ``?``
and an export's coverage name the subject only while it does."""

from __future__ import annotations

from awsir_tui.ui.events_view import keeps

IDS = "id:=6ec2f33e-0000-4000-8000-000000000001,898b4310-0000-4000-8000-000000000002"


def test_terms_anded_after_keep_and_an_or_widens() -> None:
    assert keeps(IDS, IDS)
    assert keeps(f"{IDS} name:RunInstances", IDS)
    assert keeps(f"{IDS} since:1d", IDS)
    # AND-ed with an OR of two others: still only the finding's events.
    assert keeps(f"{IDS} name:RunInstances OR user:bob", IDS)
    # An OR after the IDs takes every name:X event too: "exported 340 events (of the
    # finding)" said of rows that were not all its events.
    assert not keeps(f"{IDS} OR name:RunInstances", IDS)
    assert not keeps("name:RunInstances", IDS)
    assert not keeps(f"{IDS}x", IDS)


def test_a_store_of_the_subject_alone_keeps_to_it_whatever_the_filter() -> None:
    """A finding of more than 50 events opens on a store of its events, with no filter:
    narrowing it kept the title off the plan line, ? and the coverage."""
    assert keeps("name:RunInstances", "")
    assert keeps("", "")
