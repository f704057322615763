"""Special-case review (特例单议): states, audit trail, the 5 ‰ cap, export."""

from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dipdrg.errors import UserError
from dipdrg.pay.review import apply, approval_room, approve, audit, export_trail, list_requests, reject
from dipdrg.policy import load_policy
from test_pay_data import insert_region

T0 = datetime(2026, 3, 1, 9, 0, 0)


@pytest.fixture()
def region(workspace):
    insert_region(workspace.con)
    return workspace, load_policy(None)


def test_workflow_records_every_transition(region) -> None:
    ws, policy = region
    request = apply(ws, policy, "c6", "高倍率", "费用为标准的 3 倍", "王医保", at=T0)
    assert request == "TL-DIP-2026-00001"
    audit(ws, request, "李审核", "病历已核", at=datetime(2026, 3, 2, 10, 0))
    reject(ws, request, "张科长", "未达到高倍率标准", at=datetime(2026, 3, 3, 11, 0))
    trail = ws.con.execute("SELECT seq, from_state, to_state, actor, acted_at, note FROM special_case_trail"
                           " WHERE request_id = ? ORDER BY seq", [request]).fetchall()
    assert trail == [
        (1, None, "applied", "王医保", T0, "高倍率：费用为标准的 3 倍"),
        (2, "applied", "audited", "李审核", datetime(2026, 3, 2, 10, 0), "病历已核"),
        (3, "audited", "rejected", "张科长", datetime(2026, 3, 3, 11, 0), "未达到高倍率标准"),
    ]
    # a rejected case may apply again; an open one may not
    second = apply(ws, policy, "c6", "超长住院", "住院 90 天", "王医保")
    with pytest.raises(UserError, match="已有特例单议申请 TL-DIP-2026-00002（状态「申请」）"):
        apply(ws, policy, "c6", "其他", "重复", "王医保")
    assert [r[4] for r in list_requests(ws)] == ["驳回", "申请"] and second.endswith("00002")


@pytest.mark.parametrize("action, message", [
    (lambda ws, p, r: approve(ws, p, r, "张科长", "同意"), "当前状态为「申请」，不能转为「批准」；可转为：审核"),
    (lambda ws, p, r: reject(ws, r, "张科长", "不符"), "当前状态为「申请」，不能转为「驳回」"),
])
def test_invalid_transitions_are_refused_in_chinese(region, action, message) -> None:
    ws, policy = region
    request = apply(ws, policy, "c6", "高倍率", "理由", "王医保")
    with pytest.raises(UserError, match=message):
        action(ws, policy, request)
    assert ws.con.execute("SELECT COUNT(*) FROM special_case_trail").fetchone()[0] == 1


def test_closed_requests_cannot_move(region) -> None:
    ws, policy = region
    request = apply(ws, policy, "c6", "高倍率", "理由", "王医保")
    audit(ws, request, "李审核", "")
    reject(ws, request, "张科长", "不符")
    with pytest.raises(UserError, match="可转为：无（已办结）"):
        audit(ws, request, "李审核", "再审")


@pytest.mark.parametrize("setl_id, reason_type, message", [
    ("c7", "高倍率", "未入组"),                 # ungrouped: outside DIP
    ("nope", "高倍率", "不在 DIP 分值测算运行"),
    ("c6", "随便", "理由类别「随便」不在可选范围内"),
])
def test_bad_applications_are_refused(region, setl_id, reason_type, message) -> None:
    ws, policy = region
    with pytest.raises(UserError, match=message):
        apply(ws, policy, setl_id, reason_type, "理由", "王医保")


def _thousand_cases(con) -> None:
    con.execute("INSERT INTO runs VALUES ('score-big', 'dip-score', TIMESTAMP '2026-06-01 00:00:00',"
                " NULL, '{}', '{}')")
    con.execute("INSERT INTO cases (setl_id, fixmedins_code, medfee_sumamt, hifp_pay, setl_end_date,"
                " import_id, content_hash) SELECT 'k' || i, 'H1', 1000, 700, DATE '2026-05-01', 'i', 'h'"
                " FROM range(1000) t(i)")
    con.execute("INSERT INTO dip_case_scores (run_id, group_run_id, setl_id, fixmedins_code, group_code,"
                " base_score, case_score, point_value, pack_sha256) SELECT 'score-big', 'g', 'k' || i, 'H1',"
                " 'G1', 100, 100, 10, 'p' FROM range(1000) t(i)")


def test_five_per_mille_cap(workspace) -> None:
    _thousand_cases(workspace.con)
    policy = load_policy(None)
    requests = []
    for i in range(6):
        request = apply(workspace, policy, f"k{i}", "高倍率", "费用高", "医院", score_run_id="score-big")
        audit(workspace, request, "审核员", "")
        requests.append(request)
    for request in requests[:5]:
        approve(workspace, policy, request, "科长", "同意", score_run_id="score-big")
    assert approval_room(workspace, policy, 2026, "score-big") == (5, 5, 1000)   # ⌊0.005 × 1000⌋ = 5
    with pytest.raises(UserError, match="已批准 5 例，达到上限 5 例（本统筹区 DIP 病例 1000 例 × 5‰）"):
        approve(workspace, policy, requests[5], "科长", "同意", score_run_id="score-big")
    state = workspace.con.execute("SELECT state FROM special_case_requests WHERE request_id = ?",
                                  [requests[5]]).fetchone()[0]
    assert state == "audited"
    # rejecting within the cap is always possible
    reject(workspace, requests[5], "科长", "超过额度")


def test_adjusted_approval_needs_an_amount(region) -> None:
    ws, _ = region
    from dipdrg.policy.loader import with_overrides

    policy = with_overrides(load_policy(None), {"settle.special_case.cap_ratio_dip": "0.5"})
    request = apply(ws, policy, "c6", "新药新技术", "使用新技术", "王医保")
    audit(ws, request, "李审核", "")
    with pytest.raises(UserError, match="调整后支付标准"):
        approve(ws, policy, request, "张科长", "同意", "adjusted")
    approve(ws, policy, request, "张科长", "同意", "adjusted", D("8888.885"))
    assert ws.con.execute("SELECT pay_mode, adjusted_amount FROM special_case_requests").fetchone() == (
        "adjusted", D("8888.89"))


def test_trail_exports_to_csv_and_xlsx(region, tmp_path: Path) -> None:
    ws, policy = region
    request = apply(ws, policy, "c6", "高倍率", "费用高", "王医保", at=T0)
    audit(ws, request, "李审核", "同意上报", at=T0)
    assert export_trail(ws, tmp_path / "trail.csv") == 2
    with (tmp_path / "trail.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["申请编号", "结算ID", "医疗机构"]
    assert rows[2][4:9] == ["申请", "审核", "李审核", "2026-03-01 09:00:00", "同意上报"]
    export_trail(ws, tmp_path / "trail.xlsx")
    sheet = load_workbook(tmp_path / "trail.xlsx")["特例单议记录"]
    assert sheet.max_row == 3 and sheet["F3"].value == "审核"
    with pytest.raises(UserError, match=".csv 或 .xlsx"):
        export_trail(ws, tmp_path / "trail.txt")


def _hundred_drg_cases(con) -> None:
    """100 DRG cases of 2026 (drg-score run 'drg-big'), one more DRG-grouped case without a weight."""
    con.execute("INSERT INTO runs VALUES ('drg-big', 'drg-score', TIMESTAMP '2026-06-01 00:00:00',"
                " NULL, '{}', '{}')")
    con.execute("INSERT INTO cases (setl_id, fixmedins_code, medfee_sumamt, hifp_pay, setl_end_date,"
                " import_id, content_hash) SELECT 'd' || i, 'H1', 1000, 700, DATE '2026-05-01', 'i', 'h'"
                " FROM range(101) t(i)")
    con.execute("INSERT INTO drg_case_scores (run_id, group_run_id, setl_id, fixmedins_code, drg, rw, coefficient,"
                " rate, case_units, pack_sha256, rw_source, unpaid_reason)"
                " SELECT 'drg-big', 'g', 'd' || i, 'H1', 'AAA1', 1, 1, 10000, 1, 'p', 'drg', NULL FROM range(100) t(i)")
    con.execute("INSERT INTO drg_case_scores (run_id, group_run_id, setl_id, fixmedins_code, drg, rate, pack_sha256,"
                " unpaid_reason) VALUES ('drg-big', 'g', 'd100', 'H1', 'ZZZ1', 10000, 'p', '无权重')")


def test_five_per_cent_cap_for_drg(workspace) -> None:
    _hundred_drg_cases(workspace.con)
    policy = load_policy(None)
    requests = []
    for i in range(6):
        request = apply(workspace, policy, f"d{i}", "高倍率", "费用高", "医院", method="drg")
        audit(workspace, request, "审核员", "")
        requests.append(request)
    assert requests[0] == "TL-DRG-2026-00001"
    for request in requests[:5]:
        approve(workspace, policy, request, "科长", "同意")
    # ⌊0.05 × 100⌋ = 5 (the DIP cap on as many cases would be ⌊0.005 × 100⌋ = 0)
    assert approval_room(workspace, policy, 2026, method="drg") == (5, 5, 100)
    with pytest.raises(UserError, match="已批准 5 例，达到上限 5 例（本统筹区 DRG 病例 100 例 × 5%）") as info:
        approve(workspace, policy, requests[5], "科长", "同意")
    assert info.value.field == "settle.special_case.cap_ratio_drg"
    # a DRG case not paid by DRG (no weight) and a case of no DRG run cannot apply
    with pytest.raises(UserError, match="未入组（不属于 DRG 结算范围）"):
        apply(workspace, policy, "d100", "高倍率", "费用高", "医院", method="drg")
    with pytest.raises(UserError, match="工作区中还没有 DIP|没有 DIP|找不到"):
        apply(workspace, policy, "d1", "高倍率", "费用高", "医院", method="dip")
