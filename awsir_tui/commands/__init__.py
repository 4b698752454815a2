"""Headless subcommands: the app's data layer and filters, printed for scripts and jq."""
