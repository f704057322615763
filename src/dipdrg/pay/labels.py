"""Method-aware wording: what a settlement by DIP or by DRG calls its cases, units and prices.

The engine is method-blind (``basis.py``), but its users are not: a DRG statement must say
费率 and DRG 病例 where a DIP one says 点值 and DIP 病例 (CHS-DRG 付费技术规范 vs DIP 技术规范).
Every message, table title and statement header takes its words from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from dipdrg.errors import UserError


@dataclass(frozen=True)
class Labels:
    """The words of one payment method."""

    method: str
    name: str            # DIP / DRG
    cases: str           # DIP病例 / DRG病例
    units: str           # 分值 / 权重
    price: str           # 点值 / 费率
    price_unit: str      # 元/分 / 元/权重
    score_run: str       # the scoring run that gave the case units

    @property
    def budget(self) -> str:
        return f"{self.name}基金预算"

    @property
    def budget_price(self) -> str:
        return f"预算{self.price}"

    @property
    def settlement_price(self) -> str:
        return f"结算{self.price}"

    @property
    def applied_price(self) -> str:
        return f"执行{self.price}"

    @property
    def total_units(self) -> str:
        return f"总{self.units}"

    @property
    def case_units(self) -> str:
        return f"病例{self.units}"

    @property
    def outside(self) -> str:
        return f"非{self.name}"


LABELS = {
    "dip": Labels("dip", "DIP", "DIP病例", "分值", "点值", "元/分", "DIP 分值测算运行"),
    "drg": Labels("drg", "DRG", "DRG病例", "权重", "费率", "元/权重", "DRG 病例权重运行"),
}


def labels(method: str) -> Labels:
    """The words of ``method``; an unknown method is refused in Chinese."""
    try:
        return LABELS[method]
    except KeyError:
        raise UserError(f"未知的付费方式 {method!r}（可用 dip 或 drg）", field="--method") from None
