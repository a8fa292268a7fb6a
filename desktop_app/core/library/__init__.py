"""The model library: registry, cached metadata, import, downloads, curated list."""
