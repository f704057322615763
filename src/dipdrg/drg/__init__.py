"""drg layer."""
