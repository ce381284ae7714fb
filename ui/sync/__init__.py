"""Replication in the console: the background hub sync, the status-bar indicator, the sync
panel (status, sync now, USB bundles) and the conflict resolution view."""
