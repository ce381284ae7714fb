"""drills aggregate."""
