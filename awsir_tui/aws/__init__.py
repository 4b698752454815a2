"""aws package."""
