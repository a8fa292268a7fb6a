"""Evaluate: how fast, how big and how costly every installed model is on this computer (no Qt)."""
