"""boto3 clients for the demo account: fake credentials, the demo endpoint, no retries.

Seeding talks to moto over HTTP like any client would; the credentials are fixed fake
ones so that neither seeding nor tests can ever pick up a developer's real profile.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

FAKE_CREDENTIALS = {
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
    "aws_session_token": "testing",
}


def demo_client(endpoint_url: str, service: str, region: str, config: Config | None = None) -> Any:
    """A low-level boto3 client for ``service`` in ``region`` of the demo account."""
    session = boto3.session.Session(
        aws_access_key_id=FAKE_CREDENTIALS["aws_access_key_id"],
        aws_secret_access_key=FAKE_CREDENTIALS["aws_secret_access_key"],
        aws_session_token=FAKE_CREDENTIALS["aws_session_token"],
        region_name=region,
    )
    return session.client(
        service,  # type: ignore[call-overload]
        endpoint_url=endpoint_url,
        config=config or Config(retries={"mode": "standard", "max_attempts": 3}),
    )
