"""Backups of the embedded SQLite database: online copies, rotation, checked restores."""
