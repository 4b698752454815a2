"""The paced LookupEvents client makes one attempt a call, over real HTTP to the demo
account (2 calls/s per region, throttled beyond): every throttle reaches the pacer,
which backs off and asks again itself, instead of botocore asking again at once."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from awsir_tui.aws.cloudtrail import EventLookup, collect
from awsir_tui.aws.context import PACED
from awsir_tui.aws.errors import FailureKind, classify
from awsir_tui.demo.faulty_link import FaultyLink
from awsir_tui.demo.server import DemoServer
from tests.helpers_app import demo_context


def test_a_throttled_call_is_one_request(demo: DemoServer) -> None:
    """A call over the region's rate is answered "throttled" after one request. With
    ``max_attempts: 1`` (botocore: one retry) it was two, the second throttled too."""
    with DemoServer(lookup_rate=0.01) as slow, FaultyLink(slow.endpoint_url) as link:
        client = demo_context(slow, endpoint_url=link.url).client(
            "cloudtrail", slow.facts.proxy_region, PACED)
        client.lookup_events(MaxResults=1)  # the region's one call for the next 100 s
        before = link.requests
        with pytest.raises(ClientError) as throttled:
            client.lookup_events(MaxResults=1)
        assert classify(throttled.value).kind is FailureKind.THROTTLED
        assert link.requests - before == 1


def test_every_request_of_a_throttled_read_is_a_page_or_a_throttle_the_pacer_saw(
    demo: DemoServer,
) -> None:
    """Paced at 4 calls/s against 2, the pacer is throttled, and each request sent is
    a page or a throttle it counted: none was asked again behind its back."""
    with FaultyLink(demo.endpoint_url) as link:
        region = demo.facts.proxy_region
        lookup = EventLookup(demo_context(demo, endpoint_url=link.url), [region],
                             rate=4.0, page_size=5, cap=40)
        collect(lookup)
        progress = lookup.progress()
    assert not progress.failures and progress.pages >= 8
    assert progress.throttles > 0
    assert link.requests == progress.pages + progress.throttles
