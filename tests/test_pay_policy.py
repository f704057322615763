"""Settlement policy parameters: national defaults, validation of band and hospital tables."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from dipdrg.errors import UserError
from dipdrg.policy import load_policy, render_template
from dipdrg.policy.loader import with_overrides


def test_defaults_follow_the_national_texts() -> None:
    policy = load_policy(None)
    assert policy["settle.reserve_ratio"] == Decimal("0.05")
    assert policy["settle.special_case.cap_ratio_dip"] == Decimal("0.005")
    assert policy["settle.special_case.cap_ratio_drg"] == Decimal("0.05")
    assert policy["settle.assessment.default"] == Decimal("1")
    assert policy["settle.point_value.base_share"] == Decimal("0.8")
    assert policy["settle.clearance.deadline"] == "03-31"
    assert [b["share"] for b in policy["settle.bands.surplus"]] == ["1", "0.5", "0"]
    assert "2025" in policy.source("settle.reserve_ratio")


def test_template_documents_and_round_trips_settlement(tmp_path: Path) -> None:
    text = render_template()
    assert "[settle.bands]" in text and "质量保证金" in text
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    policy = load_policy(path)
    assert policy["settle.bands.overrun"] == load_policy(None)["settle.bands.overrun"]


def _load(tmp_path: Path, text: str):
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    return load_policy(path)


@pytest.mark.parametrize(
    "bands, message",
    [
        ('[ { lower = "0", upper = "0.1", share = "1" }, { lower = "0.2", share = "0" } ]', "留有空档"),
        ('[ { lower = "0", upper = "0.2", share = "1" }, { lower = "0.1", share = "0" } ]', "重叠"),
        ('[ { lower = "0.05", upper = "0.2", share = "1" } ]', "第 1 档下限 0.05"),
        ('[ { lower = "0", upper = "0.1", share = "1.5" } ]', "应在 0 到 1 之间"),
        ('[ { lower = "0", upper = "0.1" } ]', "缺少数值字段 share"),
        ('[ { lower = "零", upper = "0.1", share = "1" } ]', "字段 lower 应为数值"),
        ('[ { lower = "0", share = "1" }, { lower = "0.1", share = "0" } ]', "只有最后一档可以不设上限"),
        ('[ { lower = "0", upper = "0", share = "1" } ]', "不大于下限"),
    ],
)
def test_bad_band_tables_are_refused_in_chinese(tmp_path: Path, bands: str, message: str) -> None:
    with pytest.raises(UserError, match=message) as caught:
        _load(tmp_path, f"[settle.bands]\nsurplus = {bands}\n")
    assert "settle.bands.surplus" in caught.value.message


def test_reserve_ratio_above_ten_percent_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="大于上限"):
        _load(tmp_path, '[settle]\nreserve_ratio = "0.12"\n')


@pytest.mark.parametrize(
    "text, message",
    [
        ('[settle.assessment]\nhospitals = [ { fixmedins_code = "H1", coefficient = "3" } ]\n', "应在 0 到 2 之间"),
        ('[settle.assessment]\nhospitals = [ { coefficient = "1" } ]\n', "缺少 fixmedins_code"),
        ('[settle.assessment]\nhospitals = [ { fixmedins_code = "H1", coefficient = "1" },'
         ' { fixmedins_code = "H1", coefficient = "0.9" } ]\n', "H1 重复"),
        ('[settle]\naudit_deductions = [ { fixmedins_code = "H1", month = "2026-13", amount = "1" } ]\n', "YYYY-MM"),
        ('[settle]\naudit_deductions = [ { fixmedins_code = "H1", month = "2026-01", amount = "-5" } ]\n', "不能为负"),
        ('[settle.budget]\nitem_deductions = [ { amount = "5" } ]\n', "缺少项目名称"),
    ],
)
def test_bad_hospital_tables_are_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        _load(tmp_path, text)


def test_overrides_are_validated_like_a_file() -> None:
    policy = with_overrides(load_policy(None), {"settle.reserve_ratio": 0.03})
    assert policy["settle.reserve_ratio"] == Decimal("0.03")
    assert policy.values_hash() != load_policy(None).values_hash()
    with pytest.raises(UserError, match="未知参数 settle.reserve"):
        with_overrides(load_policy(None), {"settle.reserve": 1})
    with pytest.raises(UserError, match="重叠"):
        with_overrides(load_policy(None), {"settle.bands.surplus": [
            {"lower": "0", "upper": "0.2", "share": "1"}, {"lower": "0.1", "share": "0"}]})


def _settle_region(workspace, tmp_path: Path, overrides: dict):
    from test_pay_data import insert_region, write_policy

    insert_region(workspace.con)
    return with_overrides(load_policy(write_policy(tmp_path)), overrides)


@pytest.mark.parametrize("run", ["monthly", "annual"])
def test_deduction_for_an_unknown_hospital_is_refused(workspace, tmp_path: Path, run) -> None:
    from dipdrg.pay.clearance import settle_year
    from dipdrg.pay.monthly import settle_months

    policy = _settle_region(workspace, tmp_path, {"settle.audit_deductions": [
        {"fixmedins_code": "H2", "amount": "100", "month": "2026-02"},
        {"fixmedins_code": "HXXX", "amount": "100", "month": "2026-03"}]})
    runs = workspace.con.execute("SELECT COUNT(*) FROM runs").fetchone()
    with pytest.raises(UserError) as info:
        if run == "monthly":
            settle_months(workspace, policy, ["2026-03"])
        else:
            settle_year(workspace, policy, 2026)
    message = info.value.message
    assert "settle.audit_deductions 第 2 行" in message and "HXXX" in message and "H2" not in message.replace("HXXX", "")
    assert workspace.con.execute("SELECT COUNT(*) FROM runs").fetchone() == runs      # nothing written


def test_assessment_coefficient_for_an_unknown_hospital_is_refused(workspace, tmp_path: Path) -> None:
    from dipdrg.pay.clearance import settle_year

    policy = _settle_region(workspace, tmp_path, {"settle.assessment.hospitals": [
        {"fixmedins_code": "H9", "coefficient": "0.9"}]})
    with pytest.raises(UserError, match="settle.assessment.hospitals 第 1 行（考核系数）：医疗机构编码 H9"):
        settle_year(workspace, policy, 2026)


def test_a_hospital_with_cases_but_no_registry_row_may_have_deductions(workspace, tmp_path: Path) -> None:
    from dipdrg.pay.monthly import settle_months

    policy = _settle_region(workspace, tmp_path, {})
    workspace.con.execute("DELETE FROM hospitals WHERE fixmedins_code = 'H2'")
    result = settle_months(workspace, policy, ["2026-02"])      # H2's deduction (policy row 1) applies
    assert workspace.con.execute("SELECT deductions FROM settle_monthly WHERE run_id = ? AND fixmedins_code = 'H2'",
                                 [result.run_id]).fetchone() == (Decimal("100.00"),)
