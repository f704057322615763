"""Settlement-list quality: the rule catalogue (data + one ``.sql`` per rule), the set-based
run that writes ``quality_findings``, and the per-hospital report (完整度, 合格率, 及时率)."""

from dipdrg.quality.catalogue import Rule, load_rules
from dipdrg.quality.run import run_quality

__all__ = ["Rule", "load_rules", "run_quality"]
