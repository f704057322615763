from decimal import Decimal
from pathlib import Path

import pytest

from dipdrg.errors import UserError
from dipdrg.policy import load_policy, parameters, render_template
from dipdrg.policy.checks import bands


def test_defaults_without_file() -> None:
    policy = load_policy(None)
    assert policy["quality.upload_deadline_days"] == 7
    assert policy["quality.fee_tolerance"] == Decimal("0.01")


def test_template_round_trips_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(render_template(), encoding="utf-8")
    policy = load_policy(path)
    for key in parameters():
        assert policy.get(key) == load_policy(None).get(key), key


def test_local_value_with_source_and_date(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(
        '[quality]\nupload_deadline_days = [ { from = 2026-01-01, value = 7 },'
        ' { from = 2026-07-01, value = 5, source = "某市〔2026〕3号" } ]\n',
        encoding="utf-8",
    )
    from datetime import date

    policy = load_policy(path)
    assert policy.get("quality.upload_deadline_days", on=date(2026, 3, 1)) == 7
    assert policy.get("quality.upload_deadline_days", on=date(2026, 8, 1)) == 5
    assert "某市" in policy.source("quality.upload_deadline_days")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("[quality]\nupload_deadlne_days = 5\n", "未知参数 quality.upload_deadlne_days"),
        ('[quality]\nupload_deadline_days = "五"\n', "应为整数"),
        ("[quality]\nupload_deadline_days = -1\n", "小于下限"),
        ('[region]\nscope = "nation"\n', "应为 city/province 之一"),
        ("[quality\n", "TOML 格式错误"),
    ],
)
def test_bad_files_give_chinese_errors(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match=expected):
        load_policy(path)


def test_band_check_finds_gaps_and_overlaps() -> None:
    good = [{"lower": 0, "upper": "0.1", "share": "1"}, {"lower": "0.1", "share": "0.5"}]
    assert bands(good) == []
    assert "空档" in bands([{"lower": 0, "upper": "0.1", "share": 1}, {"lower": "0.2", "share": 1}])[0]
    assert "重叠" in bands([{"lower": 0, "upper": "0.2", "share": 1}, {"lower": "0.1", "share": 1}])[0]


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text("[region]\ncode = \"x\"\n[settle\n", encoding="utf-8")
    with pytest.raises(UserError) as error:
        load_policy(path)
    assert error.value.row == 3
    assert "TOML 格式错误" in error.value.message


def test_list_items_are_range_checked() -> None:
    from dipdrg.policy.loader import _settings
    from dipdrg.policy.registry import Parameter

    weights = Parameter("x.weights", "list", ["1", "2", "7"], min=0, item="decimal")
    assert [str(v) for v in _settings(weights, ["1", "2", "7"])[0].value] == ["1", "2", "7"]
    with pytest.raises(ValueError, match="小于下限"):
        _settings(weights, ["1", "-2", "7"])


def test_choice_values_have_chinese_labels_for_reports() -> None:
    from dipdrg.policy.registry import choice_label

    assert choice_label("settle.point_value.regime", "floating") == "浮动"
    assert choice_label("settle.budget.method", "growth") == "按增长率"
    assert choice_label("settle.point_value.regime", "unknown") == "unknown"
    assert "floating（浮动）" in render_template()


def test_deduction_amounts_must_be_whole_cents() -> None:
    from dipdrg.policy.checks import deductions

    row = {"fixmedins_code": "H1", "month": "2026-03"}
    assert deductions([{**row, "amount": "100.12"}]) == []
    assert "两位小数" in deductions([{**row, "amount": "100.123"}])[0]
