"""The Server pane: serve a model, and the remote engines this app uses."""
