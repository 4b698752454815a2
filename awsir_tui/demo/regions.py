"""EC2 ``DescribeRegions`` as an account in the commercial (``aws``) partition answers it.

moto lists the regions of every partition (cn-north-1 and us-gov-west-1, which a
commercial account never sees) and has some that AWS makes accounts opt in to
(af-south-1, eu-south-1...) enabled. The app reads every enabled region unless told
otherwise, and ``:regions`` lists them all with their status: the demo must list what a
real account lists, or the responder practises on regions that do not exist for them.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from botocore.session import get_session

#: Enabled in every account: the regions launched before March 2019. Every region
#: launched since then is off until the account opts in to it.
ENABLED_BY_DEFAULT = frozenset({
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1",
    "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1",
    "eu-west-2", "eu-west-3", "sa-east-1", "us-east-1", "us-east-2", "us-west-1",
    "us-west-2",
})
#: The namespace of EC2's answers (the API version botocore speaks).
_XMLNS = "http://ec2.amazonaws.com/doc/2016-11-15/"


@dataclass(frozen=True)
class Region:
    """One region of the partition, as DescribeRegions lists it."""

    name: str
    opt_in_status: str

    @property
    def endpoint(self) -> str:
        return f"ec2.{self.name}.amazonaws.com"

    @property
    def enabled(self) -> bool:
        return self.opt_in_status != "not-opted-in"


#: DescribeRegions' filters (``Filter.N.Name``): what of a region each one matches.
_FILTERS: dict[str, Callable[[Region], str]] = {
    "endpoint": lambda region: region.endpoint,
    "opt-in-status": lambda region: region.opt_in_status,
    "region-name": lambda region: region.name,
}


class RegionsError(Exception):
    """A request DescribeRegions refuses, with EC2's error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@functools.cache
def account_regions() -> tuple[Region, ...]:
    """The commercial partition's regions that EC2 serves (botocore's list, the one moto
    draws from), each enabled by default or waiting to be opted in to."""
    names = get_session().get_available_regions("ec2", partition_name="aws")
    return tuple(
        Region(name, "opt-in-not-required" if name in ENABLED_BY_DEFAULT else "not-opted-in")
        for name in sorted(names)
    )


def describe_regions(params: Mapping[str, Sequence[str]]) -> list[Region]:
    """The regions a DescribeRegions call with these query parameters lists: the enabled
    ones unless ``AllRegions`` is true (as AWS answers), then those named
    (``RegionName.N``) and those every filter matches. Raises :class:`RegionsError`."""
    first = {key: values[0] for key, values in params.items() if values}
    regions = [region for region in account_regions()
               if region.enabled or first.get("AllRegions", "").lower() == "true"]
    named = {value for key, value in first.items() if key.startswith("RegionName.")}
    if named:
        regions = [region for region in regions if region.name in named]
    index = 1
    while f"Filter.{index}.Name" in first:
        name = first[f"Filter.{index}.Name"]
        field = _FILTERS.get(name)
        if field is None:
            raise RegionsError("InvalidParameterValue", f"The filter '{name}' is invalid")
        wanted = {value for key, value in first.items()
                  if key.startswith(f"Filter.{index}.Value.")}
        regions = [region for region in regions if field(region) in wanted]
        index += 1
    return regions


def regions_xml(regions: Sequence[Region]) -> bytes:
    """EC2's XML answer listing ``regions``."""
    items = "".join(
        f"<item><regionName>{region.name}</regionName>"
        f"<regionEndpoint>{region.endpoint}</regionEndpoint>"
        f"<optInStatus>{region.opt_in_status}</optInStatus></item>"
        for region in regions
    )
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<DescribeRegionsResponse xmlns="{_XMLNS}">'
            f"<requestId>{uuid.uuid4()}</requestId><regionInfo>{items}</regionInfo>"
            "</DescribeRegionsResponse>").encode()


def error_xml(code: str, message: str) -> bytes:
    """EC2's XML error (``message`` may quote the request: escaped)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
        f"<Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error></Errors>"
        f"<RequestID>{uuid.uuid4()}</RequestID></Response>"
    ).encode()
