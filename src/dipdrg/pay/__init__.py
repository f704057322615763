"""pay layer."""
