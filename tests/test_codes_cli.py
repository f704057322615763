"""``dipdrg codes load / normalise / show`` end to end on small files."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from dipdrg.codes.cli import app

runner = CliRunner()


def test_load_show_normalise(workspace, tmp_path: Path) -> None:
    workspace.close()
    ws = str(workspace.path)
    dx = tmp_path / "dx.csv"
    dx.write_text("icd,title\nK35.800,急性阑尾炎\nK35.800x001,化脓性\nK35.800,重复\n", encoding="gbk")
    result = runner.invoke(app, ["load", "-w", ws, "--diagnoses", str(dx), "--code-column", "icd", "--name-column", "title"])
    assert result.exit_code == 0, result.output
    assert "icd10-yb" in result.output and "现有 2 条" in result.output and "编码重复" in result.output

    result = runner.invoke(app, ["show", "-w", ws])
    assert result.exit_code == 0 and "icd10-yb" in result.output and "2" in result.output

    result = runner.invoke(app, ["normalise", "-w", ws, "k35.8", "K35", "ＫＸ"], terminal_width=200)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any("k35.8" in line and "K35.800" in line and "padded" in line and "K35.8 " in line for line in lines)
    assert any(" K35 " in line and "heading" in line for line in lines)
    assert any("malformed" in line for line in lines)


def test_normalise_without_workspace_is_unchecked() -> None:
    result = runner.invoke(app, ["normalise", "--kind", "procedure", "4701"], terminal_width=200)
    assert result.exit_code == 0 and "47.0100" in result.output and "unchecked" in result.output
