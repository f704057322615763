"""DIP grouping: set-based SQL steps (workspace and file mode) and the single-case path."""
