"""Shared parts of the Classify and Detect panes."""
