"""awsir-tui: a keyboard-driven terminal app for responding to an incident in AWS."""

__version__ = "0.1.0"
