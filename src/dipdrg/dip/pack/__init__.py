"""DIP catalog packs: format, importers and validation (see docs/dip-pack.md)."""

from dipdrg.dip.pack.load import load_pack
from dipdrg.dip.pack.model import Catalog, Comprehensive, Rule

__all__ = ["Catalog", "Comprehensive", "Rule", "load_pack"]
