"""dipdrg: DIP (按病种分值付费) and CHS-DRG engine.

Layers follow the payment pipeline: codes → cases (import, quality) → dip / drg
(packs, grouping, catalog building) → pay (policy, scoring, settlement) → report.
"""

__version__ = "0.1.0"
