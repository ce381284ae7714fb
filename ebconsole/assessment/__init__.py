"""assessment aggregate."""
