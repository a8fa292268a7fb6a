"""The Evaluate pane: what this computer can do with the installed models."""
