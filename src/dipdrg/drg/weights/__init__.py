"""CHS-DRG relative weights from local history, the rate (费率) and per-case DRG units."""
