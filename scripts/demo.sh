#!/bin/sh
# Opens the app on the embedded demo account: no AWS credentials, no network.
set -eu
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
exec .venv/bin/awsir-tui --demo "$@"
