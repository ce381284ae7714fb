"""Models of this aggregate (to be filled)."""
