"""Qt widgets, panes and workers. Thin: all computation lives in desktop_app.core."""
