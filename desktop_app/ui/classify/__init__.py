"""The Classify pane."""
