"""The audit trail: one row for every write made through a session (`recorder`), chained
per origin by hashes (`chain`) so that edited, deleted or reordered rows are found
(`verify`, `ebconsole audit verify`, Tools → Verify audit trail)."""
