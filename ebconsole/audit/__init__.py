"""The audit trail: one row for every write made through a session."""
