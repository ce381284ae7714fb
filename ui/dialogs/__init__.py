"""Dialogs, grouped by area."""
