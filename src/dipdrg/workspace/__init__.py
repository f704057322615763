"""The workspace: one DuckDB file holding every table of a region's work."""

from dipdrg.workspace.store import SCHEMA_VERSION, Workspace, open_workspace, init_workspace

__all__ = ["SCHEMA_VERSION", "Workspace", "open_workspace", "init_workspace"]
