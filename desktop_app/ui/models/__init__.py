"""The Models pane: the library table, import, download, and the hardware view."""
