"""organisation aggregate."""
