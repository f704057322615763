"""Code standards: ICD-10 / ICD-9-CM-3 医保版 lists, 国临版 crosswalks, procedure attributes, the normaliser."""

from dipdrg.codes.batch import build_code_map
from dipdrg.codes.index import CodeIndex, KindIndex
from dipdrg.codes.normalise import STATUSES, Normalised, dip_keys, normalise

__all__ = ["CodeIndex", "KindIndex", "Normalised", "STATUSES", "build_code_map", "dip_keys", "normalise"]
