"""Command line: placeholder replaced by the real parser in the foundation commit."""


def main() -> int:
    """Entry point of the `awsir-tui` console script."""
    return 0
