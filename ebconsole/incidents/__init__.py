"""Incidents: intake, lifecycle, timeline and the fraud report."""
