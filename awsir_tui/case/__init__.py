"""case package."""
