"""obligations aggregate."""
