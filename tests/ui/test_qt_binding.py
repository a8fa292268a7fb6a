"""The Qt binding itself: PySide6 6.12.0 on Python 3.11 dropped a reference to ``True`` on every
Python-side ``Signal.emit()`` and one to ``None`` on every void call (``QLabel.setText``), so a long
session aborted with "bool_dealloc" / "none_dealloc" (pyproject pins below 6.12)."""

from __future__ import annotations

import os
import subprocess
import sys

EMIT_MANY = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Source(QObject):
    value = Signal(object)
    ping = Signal()

app = QCoreApplication([])
source = Source()
received = []
source.value.connect(received.append)
source.ping.connect(lambda: received.append(None))
before = sys.getrefcount(True)
for i in range(3000):
    source.value.emit(i)
    source.ping.emit()
print(len(received), sys.getrefcount(True) - before)
"""


def test_emitting_signals_from_python_keeps_the_interpreter_alive():
    """In a child process: the faulty binding aborts the interpreter rather than failing an assert."""
    done = subprocess.run([sys.executable, "-c", EMIT_MANY], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-600:]
    delivered, refcount_change = map(int, done.stdout.split())
    assert delivered == 6000
    assert abs(refcount_change) < 100, f"True lost {-refcount_change} references"


VOID_CALLS = """
import sys
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for i in range(3000):
    label.setText(str(i))
    label.setEnabled(i % 2 == 0)
print(label.text(), sys.getrefcount(None) - before)
"""


def test_void_calls_keep_the_interpreter_alive():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", VOID_CALLS], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-600:]
    text, refcount_change = done.stdout.split()
    assert text == "2999"
    assert abs(int(refcount_change)) < 100, f"None lost {-int(refcount_change)} references"
