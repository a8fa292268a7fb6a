"""Everything that computes. Never imports Qt (enforced by import-linter)."""
