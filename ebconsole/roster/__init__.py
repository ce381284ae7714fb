"""roster aggregate."""
