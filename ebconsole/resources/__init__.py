"""resources aggregate."""
