"""User-facing errors.

Every error a user can cause is raised as :class:`UserError` with a Chinese message that
names the file, row and field where known; the CLI prints it and exits non-zero instead
of showing a traceback.
"""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """An error caused by input or usage, reported to the user in Chinese."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.row = row
        self.field = field
        super().__init__(self.render())

    def render(self) -> str:
        """Return the message prefixed by its location (文件/行/字段)."""
        where = []
        if self.file:
            where.append(f"文件 {self.file}")
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.field:
            where.append(f"字段 {self.field}")
        return ("，".join(where) + "：" + self.message) if where else self.message


def detail(exc: BaseException) -> str:
    """The first line of a library's error text, as a short technical note after our message.

    Library messages are English and can run to pages (DuckDB prints the whole query); the
    user reads our Chinese sentence first and gets only this one line as supporting detail.
    """
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = lines[0] if lines else type(exc).__name__
    return f"技术细节：{text[:200]}"
