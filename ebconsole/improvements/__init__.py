"""improvements aggregate."""
