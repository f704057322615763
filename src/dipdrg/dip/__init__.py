"""dip layer."""
