"""Shared fixtures: a temporary workspace and the reference data beside the checkout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REFERENCE = Path(os.environ.get("DIPDRG_REFERENCE", Path(__file__).resolve().parents[2] / "shared" / "reference"))


@pytest.fixture(scope="session")
def reference() -> Path:
    """../shared/reference; tests that need it are skipped with a reason when it is absent."""
    if not REFERENCE.is_dir():
        pytest.skip(f"参考数据目录不存在（{REFERENCE}）：该测试需要 ../shared/reference")
    return REFERENCE


@pytest.fixture()
def workspace(tmp_path: Path):
    """A fresh, empty workspace in a temporary directory."""
    from dipdrg.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws")
    yield ws
    ws.close()
