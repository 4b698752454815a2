"""boto3 clients for the demo account: fake credentials, the demo endpoint, no retries.

Seeding talks to moto over HTTP like any client would; the credentials are fixed fake
ones so that neither seeding nor tests can ever pick up a developer's real profile.
"""

from __future__ import annotations

import threading
from typing import Any

import boto3
from botocore.config import Config

FAKE_CREDENTIALS = {
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
    "aws_session_token": "testing",
}


_SESSION: boto3.session.Session | None = None
_SESSION_LOCK = threading.Lock()


def demo_client(endpoint_url: str, service: str, region: str, config: Config | None = None) -> Any:
    """A low-level boto3 client for ``service`` in ``region`` of the demo account.

    All clients come from one session, because a session caches the parsed service
    models: a fresh session per client costs about half a second each.
    Sessions are not thread-safe (clients are), hence the lock.
    """
    global _SESSION
    with _SESSION_LOCK:
        if _SESSION is None:
            _SESSION = boto3.session.Session(
                aws_access_key_id=FAKE_CREDENTIALS["aws_access_key_id"],
                aws_secret_access_key=FAKE_CREDENTIALS["aws_secret_access_key"],
                aws_session_token=FAKE_CREDENTIALS["aws_session_token"],
            )
        return _SESSION.client(
            service,  # type: ignore[call-overload]
            region_name=region,
            endpoint_url=endpoint_url,
            config=config or Config(retries={"mode": "standard", "max_attempts": 3}),
        )
