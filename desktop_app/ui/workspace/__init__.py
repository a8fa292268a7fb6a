"""The workspace around the panes: one window per data dir, unlocking, the lock screen, storage repairs."""
