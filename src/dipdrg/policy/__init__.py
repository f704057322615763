"""Regional policy: every parameter with its national default, unit, meaning and clause.

Defaults live as data in ``defaults/*.toml`` (one file per layer); a region's policy file
overrides values. See :mod:`dipdrg.policy.registry` for the parameter format and
:mod:`dipdrg.policy.loader` for the regional file.
"""

from dipdrg.policy.loader import Policy, load_policy
from dipdrg.policy.registry import Parameter, parameters
from dipdrg.policy.template import render_template

__all__ = ["Policy", "load_policy", "Parameter", "parameters", "render_template"]
