"""Usage errors are reported in Chinese, with the command's usage and exit status 2."""

from __future__ import annotations

import sys

import pytest

from dipdrg.cli import main


def run(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["dipdrg", *args])
    with pytest.raises(SystemExit) as stop:
        main()
    captured = capsys.readouterr()
    return stop.value.code, captured.out + captured.err


@pytest.mark.parametrize(
    "args, expected",
    [
        (("dip", "group"), "缺少必需的选项 --catalog"),
        (("init",), "缺少必需的参数 DIRECTORY"),
        (("synth", "x", "--seed", "abc"), "--seed 的取值无效：应为整数"),
        (("drg", "explain", "--sex", "1"), "没有选项 --sex"),
        (("bogus",), "没有命令 bogus"),
    ],
)
def test_usage_errors_are_chinese(monkeypatch, capsys, args, expected) -> None:
    code, text = run(monkeypatch, capsys, *args)
    assert code == 2
    assert expected in text
    assert "Traceback" not in text


def test_user_error_exits_1_with_location(monkeypatch, capsys, tmp_path) -> None:
    code, text = run(monkeypatch, capsys, "policy", "check", str(tmp_path / "none.toml"))
    assert code == 1
    assert "政策文件不存在" in text and "none.toml" in text


def test_success_exits_0(monkeypatch, capsys) -> None:
    code, text = run(monkeypatch, capsys, "version")
    assert code == 0 and "dipdrg" in text


def test_library_errors_are_one_chinese_line(monkeypatch, capsys, tmp_path) -> None:
    from dipdrg.workspace import init_workspace

    init_workspace(tmp_path / "ws").close()
    broken = tmp_path / "broken.parquet"
    broken.write_text("不是 Parquet", encoding="utf-8")
    code, text = run(monkeypatch, capsys, "import", "settlements", str(broken), "-w", str(tmp_path / "ws"))
    assert code == 1
    assert "无法按 Parquet 读取" in text and "技术细节" in text
    assert "SELECT" not in text and "Traceback" not in text
