"""Hearth: run AI models on your own computer."""

from desktop_app.core import privacy

# before any entry point imports onnxruntime or huggingface_hub (they read it at import)
privacy.switch_off_telemetry()

__version__ = "0.1.0"
APP_NAME = "Hearth"
