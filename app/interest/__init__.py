"""Volunteers browse recruiting projects and raise a hand on the ones they want."""
