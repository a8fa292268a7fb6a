"""OpenAI-compatible engines: use one over HTTP (client), remember them (engines), serve a GGUF (serve)."""
