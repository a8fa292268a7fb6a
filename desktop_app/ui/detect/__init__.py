"""The Detect pane."""
