"""The money of each stay, in integer cents: 14-item fee breakdown and fund/self-pay split.

Working in cents keeps the invariants exact: the 14 items always sum to the total (the
rounding remainder goes to the largest item), and 统筹基金 + 个人自付 + 个人自费 = total,
个人账户 + 个人现金 = 个人自付 + 个人自费.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from dipdrg.cases.fields import FEE_ITEMS

FEE_COLUMNS = [col for _, col, _ in FEE_ITEMS]
_OTHER_ORDER = ["fee_bed", "fee_consult", "fee_exam", "fee_lab", "fee_treat", "fee_oprn",
                "fee_nursing", "fee_general", "fee_reg", "fee_other"]
_DRUGS = ["fee_wm", "fee_herb", "fee_tcm_patent"]


def fee_breakdown(params: dict, total_cents: np.ndarray, drug_share: np.ndarray,
                  material_share: np.ndarray, surgical: np.ndarray, tcm: np.ndarray, rng) -> np.ndarray:
    """Split each total into the 14 items (n, 14) so that every row sums exactly to its total."""
    fp = params["fees"]
    n = len(total_cents)
    drug = np.clip(drug_share * rng.lognormal(0, 0.15, n), 0.02, 0.85)
    material = np.clip(material_share * rng.lognormal(0, 0.15, n), 0.0, 0.75)
    scale = np.minimum(1.0, 0.92 / (drug + material))     # keep ≥ 8 % for services
    drug, material = drug * scale, material * scale
    rest = 1.0 - drug - material

    base = np.tile(np.array(fp["base"], dtype=np.float64), (n, 1))
    base[:, _OTHER_ORDER.index("fee_oprn")] = np.where(surgical, fp["surgical_oprn_share"], 0.0)
    base *= _noise(rng, fp["noise_shape"], base.shape)
    base /= base.sum(1, keepdims=True)
    split = np.where(tcm[:, None], np.array(fp["drug_split_tcm"]), np.array(fp["drug_split_western"]))
    split = split * _noise(rng, fp["noise_shape"], split.shape)
    split /= split.sum(1, keepdims=True)

    shares = np.zeros((n, len(FEE_COLUMNS)))
    for k, col in enumerate(_OTHER_ORDER):
        shares[:, FEE_COLUMNS.index(col)] = base[:, k] * rest
    for k, col in enumerate(_DRUGS):
        shares[:, FEE_COLUMNS.index(col)] = split[:, k] * drug
    shares[:, FEE_COLUMNS.index("fee_material")] = material
    cents = np.floor(shares * total_cents[:, None]).astype(np.int64)
    remainder = total_cents - cents.sum(1)
    cents[np.arange(n), np.argmax(shares, axis=1)] += remainder
    return cents


def _noise(rng, shape_param: float, size) -> np.ndarray:
    """Multiplicative noise with mean 1 and sd 1/sqrt(shape) (a fast stand-in for a gamma draw)."""
    return np.clip(1.0 + rng.standard_normal(size, dtype=np.float32) / np.sqrt(shape_param), 0.05, None)


def fund_split(params: dict, total_cents: np.ndarray, level: np.ndarray, employee: np.ndarray,
               rng) -> dict[str, np.ndarray]:
    """统筹基金 / 个人自付 / 个人自费 / 个人账户 / 个人现金 by insurance type and level (cents)."""
    ip = params["insurance"]
    lv = level - 1
    ownpay_share = np.array(ip["ownpay_share"])[lv] * rng.lognormal(0, 0.5, len(total_cents))
    ownpay = np.floor(total_cents * np.clip(ownpay_share, 0, 0.5)).astype(np.int64)
    ratio = np.where(employee, np.array(ip["employee_fund_ratio"])[lv], np.array(ip["resident_fund_ratio"])[lv])
    deductible = 100 * np.where(employee, np.array(ip["employee_deductible"])[lv],
                                np.array(ip["resident_deductible"])[lv])
    covered = np.maximum(total_cents - ownpay - deductible, 0)
    hifp = np.floor(covered * ratio).astype(np.int64)
    selfpay = total_cents - ownpay - hifp
    personal = selfpay + ownpay
    account = np.where(employee, np.minimum(personal, (rng.random(len(total_cents)) * 300_000).astype(np.int64)), 0)
    return {"hifp_pay": hifp, "psn_selfpay": selfpay, "psn_ownpay": ownpay,
            "acct_pay": account, "psn_cashpay": personal - account}


def cents_to_decimal(cents: np.ndarray) -> pa.Array:
    """DECIMAL(18,2) array from integer cents, built from the raw 128-bit values (exact, fast)."""
    cents = np.ascontiguousarray(cents, dtype=np.int64)
    raw = np.empty((len(cents), 2), dtype=np.int64)
    raw[:, 0] = cents
    raw[:, 1] = cents >> 63          # sign extension of the high 64 bits
    return pa.Array.from_buffers(pa.decimal128(18, 2), len(cents), [None, pa.py_buffer(raw.tobytes())])
