"""`:keys` at 80x24 (Textual Pilot, the demo account): QA scrolled right with l and the
pinned name narrowed (``test-key-do-not…``, whole the screen before), and no
fingerprint ever showed whole, so none could be compared."""

from __future__ import annotations

from awsir_tui.app import AwsirApp
from awsir_tui.aws.ec2_columns import fingerprint_digest
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.ec2_keys import KeyPairsView
from awsir_tui.ui.ec2_table import ObjectTable
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_ec2 import ids, loaded_list, make_app, type_filter


def header(app: AwsirApp) -> str:
    """The list's header as on screen (under the app header and the breadcrumb)."""
    return screen_text(app).splitlines()[2]


async def open_keys(pilot: object, app: AwsirApp) -> ObjectTable:
    await loaded_list(pilot, app, InstancesView)  # type: ignore[arg-type]
    await open_view(pilot, app, "keys")  # type: ignore[arg-type]
    await loaded_list(pilot, app, KeyPairsView)  # type: ignore[arg-type]
    return app.screen.query_one(ObjectTable)


async def test_the_pinned_name_keeps_its_width_as_columns_scroll(demo: DemoServer) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_keys(pilot, app)
        longest = max(ids(app, "Name"), key=len)
        assert len(longest) > 16  # wider than the name's floor: what QA saw narrow
        region_at = header(app).index("Region")
        names = [line[:region_at].rstrip() for line in screen_text(app).splitlines()[3:19]]
        assert longest in names
        for shown in ("Used by", "Fingerprint", "Type"):
            await pilot.press("l")
            await wait_for(pilot, lambda shown=shown: header(app)[region_at:].split()[1]
                           == shown.split()[0], f"{shown} beside the pinned columns")
            assert header(app).index("Region") == region_at
            lines = screen_text(app).splitlines()[3:19]
            assert [line[:region_at].rstrip() for line in lines] == names


async def test_the_fingerprint_of_the_row_under_the_cursor_shows_whole(
    demo: DemoServer,
) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_keys(pilot, app)
        for row in range(3):
            await wait_for(pilot, lambda row=row: table.cursor_row == row, f"row {row}")
            key = table.current()
            assert key is not None
            fingerprint = str(key["KeyFingerprint"])
            digest = fingerprint_digest(fingerprint)
            assert digest  # moto's are SHA-256 in hex
            # Folded over two lines where it is longer than the screen is wide.
            await wait_for(pilot, lambda f=fingerprint: f in screen_text(app).replace(
                "\n", ""), "the whole fingerprint")
            assert f"{digest} fingerprint, {key['KeyType']}" in screen_text(app)
            await pilot.press("j")
        # A list filtered to nothing has no row under the cursor: no fingerprint line.
        await type_filter(pilot, "name:NoSuchKey")
        await wait_for(pilot, lambda: table.row_count == 0, "no row")
        await wait_for(pilot, lambda: "fingerprint" not in screen_text(app), "no line")


def test_a_fingerprints_digest_is_told_by_its_shape() -> None:
    """What AWS gives (EC2 user guide, "Verify your key pair"), and moto's ED25519."""
    md5 = ":".join(["1f"] * 16)
    sha1 = ":".join(["1F"] * 20)
    assert fingerprint_digest(md5) == "MD5"
    assert fingerprint_digest(sha1) == "SHA-1"
    assert fingerprint_digest(":".join(["a0"] * 32)) == "SHA-256"
    assert fingerprint_digest("ObhMfOk1dFbZEJDBTwJwJ1n6SBVEH6eyYDtmwhrCLAI=") == "SHA-256"
    for other in ("", "SHA256:abcdEFGHijklMNOPqrst", ":".join(["zz"] * 16), md5[:-3]):
        assert fingerprint_digest(other) == ""


async def test_a_narrow_terminal_narrows_the_name_only_to_show_the_next_column_whole(
    demo: DemoServer,
) -> None:
    """At 56 columns the first screen has room for the names whole but not for Used by;
    after l, Used by (instance IDs, never cut: half an ID is a wrong ID) fits beside the
    pinned columns only if the name gives back what it took above its floor."""
    app = make_app(demo)
    async with app.run_test(size=(56, 24)) as pilot:
        table = await open_keys(pilot, app)
        await pilot.press("l")
        await wait_for(pilot, lambda: "Used by" in header(app), "Used by on screen")
        assert table.row_count > 10
        shown = screen_text(app).splitlines()[3:13]
        for line, used in zip(shown, ids(app, "Used by")[:10], strict=True):
            assert line.rstrip().endswith(f" {used}")
