"""The WSGI layer in front of moto: what the demo account adds to moto's own answers.

It answers CloudTrail ``LookupEvents`` (which moto lacks) and EC2 ``DescribeRegions``
(moto's lists other partitions' regions, and opt-in ones as enabled), paces LookupEvents
per region like AWS does, and can refuse whole regions the way a service control policy
would, or one EC2 call in one region the way a policy without that action would, so
that the app's handling of throttled and denied regions and reads runs against real
HTTP. Every other request goes to moto untouched (only an EC2 request's body is read,
for its action, and handed on as it came).
"""

from __future__ import annotations

import io
import json
import re
import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from awsir_tui.demo.lookup import CloudTrailError, EventHistory
from awsir_tui.demo.regions import RegionsError, describe_regions, error_xml, regions_xml
from awsir_tui.demo.throttle import RegionThrottle

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: botocore sends "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";
#: older clients send the target without the namespace.
LOOKUP_TARGET = "CloudTrail_20131101.LookupEvents"
# SigV4: "Credential=AKID/20261128/eu-west-1/ec2/aws4_request"
_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request")
_DENIABLE_SERVICES = frozenset({"ec2", "cloudtrail"})
_REASONS = {200: "OK", 400: "Bad Request", 403: "Forbidden"}


def signed_scope(environ: dict[str, Any]) -> tuple[str, str]:
    """(region, service) from the request's SigV4 credential scope, or ('', '')."""
    match = _SCOPE.search(str(environ.get("HTTP_AUTHORIZATION", "")))
    return (match.group(1), match.group(2)) if match else ("", "")


class Gateway:
    """WSGI middleware: LookupEvents, per-region throttling, denied regions and calls,
    then moto."""

    def __init__(
        self,
        moto_app: WsgiApp,
        history: EventHistory,
        throttle: RegionThrottle,
        denied_regions: set[str],
        account_id: str,
        denied_calls: set[tuple[str, str]] | None = None,
    ) -> None:
        self.moto_app = moto_app
        self.history = history
        self.throttle = throttle
        #: Read on every request, so a test may change it while the server runs.
        self.denied_regions = denied_regions
        #: (region, EC2 action) pairs refused, the region's other calls answered: a
        #: responder role without ec2:DescribeImages. Read on every request too.
        self.denied_calls = denied_calls if denied_calls is not None else set()
        self.account_id = account_id
        #: moto's EC2 answers one request at a time: its response serializer shares a
        #: dict between requests, and two regions' DescribeKeyPairs at once failed one
        #: with "dictionary changed size during iteration" (a flaky test, a demo view's
        #: region in error). One process and its GIL run them one at a time anyway.
        self._ec2_lock = threading.Lock()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        region, service = signed_scope(environ)
        target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
        if region in self.denied_regions and service in _DENIABLE_SERVICES:
            if service == "ec2":
                return self._ec2_denied(start_response, region)
            error = CloudTrailError(
                "AccessDeniedException",
                f"User: arn:aws:sts::{self.account_id}:assumed-role/responder/demo is not "
                f"authorized to perform: cloudtrail:{target.rsplit('.', 1)[-1]} in region "
                f"{region} with an explicit deny in a service control policy",
            )
            return self._json(start_response, error.status, error.body())
        if target.endswith(LOOKUP_TARGET):
            return self._lookup(environ, start_response, region)
        if service == "ec2":
            params = _query_params(environ)
            action = (params.get("Action") or [""])[0]
            if (region, action) in self.denied_calls:
                return self._xml(start_response, 403, error_xml(
                    "UnauthorizedOperation", "You are not authorized to perform this "
                    f"operation: ec2:{action} in region {region}."))
            if params.get("Action") == ["DescribeRegions"]:
                try:
                    return self._xml(start_response, 200, regions_xml(describe_regions(params)))
                except RegionsError as refused:
                    return self._xml(start_response, 400, error_xml(refused.code,
                                                                    refused.message))
            with self._ec2_lock:  # the whole answer, body included, inside the lock
                return list(self.moto_app(environ, start_response))
        return self.moto_app(environ, start_response)

    def _lookup(
        self, environ: dict[str, Any], start_response: Callable[..., Any], region: str
    ) -> Iterable[bytes]:
        if not self.throttle.allow(region):
            error = CloudTrailError("ThrottlingException", "Rate exceeded")
            return self._json(start_response, error.status, error.body())
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b"{}"
            request = json.loads(body or b"{}")
            if not isinstance(request, dict):
                raise CloudTrailError("SerializationException", "Request body is not an object.")
            return self._json(start_response, 200, self.history.lookup(region, request))
        except CloudTrailError as refused:
            return self._json(start_response, refused.status, refused.body())
        except ValueError:
            bad = CloudTrailError("SerializationException", "Request body is not valid JSON.")
            return self._json(start_response, bad.status, bad.body())

    @staticmethod
    def _json(start_response: Callable[..., Any], status: int, body: object) -> list[bytes]:
        payload = json.dumps(body).encode()
        start_response(
            f"{status} {_REASONS.get(status, 'Error')}",
            [
                ("Content-Type", "application/x-amz-json-1.1"),
                ("Content-Length", str(len(payload))),
                ("x-amzn-RequestId", str(uuid.uuid4())),
            ],
        )
        return [payload]

    def _ec2_denied(self, start_response: Callable[..., Any], region: str) -> list[bytes]:
        return self._xml(start_response, 403, error_xml(
            "UnauthorizedOperation", "You are not authorized to perform this operation in "
            f"region {region}: explicit deny in a service control policy."))

    @staticmethod
    def _xml(start_response: Callable[..., Any], status: int, payload: bytes) -> list[bytes]:
        start_response(
            f"{status} {_REASONS[status]}",
            [("Content-Type", "text/xml;charset=UTF-8"), ("Content-Length", str(len(payload)))],
        )
        return [payload]


def _query_params(environ: dict[str, Any]) -> dict[str, list[str]]:
    """An EC2 (query protocol) request's parameters, from its URL and its form body; the
    body is put back for moto to read as if untouched."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    params = parse_qs(str(environ.get("QUERY_STRING", "")))
    if "x-www-form-urlencoded" in str(environ.get("CONTENT_TYPE", "")):
        for key, values in parse_qs(body.decode("utf-8", "replace")).items():
            params.setdefault(key, []).extend(values)
    return params
