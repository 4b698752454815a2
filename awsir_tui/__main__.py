"""`python -m awsir_tui` is the same as the `awsir-tui` command."""

from awsir_tui.cli import main

raise SystemExit(main())
