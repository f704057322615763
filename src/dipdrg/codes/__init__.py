"""codes layer."""
