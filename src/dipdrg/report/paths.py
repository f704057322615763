"""Checking an output path before any report is built, so a bad path fails fast and clearly."""

from __future__ import annotations

from pathlib import Path

from dipdrg.errors import UserError


def output_file(path: str | Path) -> Path:
    """Return ``path`` ready for writing: its folder created, refused if it is a folder itself.

    Checked before a workbook is assembled: a streaming (write-only) workbook that fails on save
    leaves half-closed generators behind, and the user should not wait for a report that
    cannot be written.
    """
    target = Path(path)
    if target.is_dir():
        raise UserError("输出路径是一个目录，请给出文件名（如 报告.xlsx）", file=target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"无法创建输出目录 {target.parent}（技术细节：{exc.strerror or exc}）", file=target) from None
    if not target.parent.is_dir():
        raise UserError(f"输出目录 {target.parent} 不是目录", file=target)
    return target
