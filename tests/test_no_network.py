"""System-level privacy check: the real app, traced with strace, makes no network connection and no DNS lookup.

The in-process guard (tests/conftest.py) cannot see native code or child processes; this test
runs the GUI (offscreen, 15 s: onnxruntime's telemetry used to look up its host after ~10 s),
a chat reply, a classify and a detect under ``strace -f`` and reads every connect/sendto/sendmsg.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
from vision_factory import photo

from desktop_app.core.privacy import TELEMETRY_SWITCHES

pytestmark = pytest.mark.slow

GUI_SECONDS = 15
NETWORK_FAMILY = re.compile(r"sa_family=AF_INET6?\b")
# glibc asks nscd or systemd-resolved over a UNIX socket before it sends a DNS query itself
RESOLVER_SOCKET = re.compile(r'sun_path="[^"]*(nscd|resolve)[^"]*"')
DNS_PORT = re.compile(r"htons\(53\)")


def network_events(trace: str) -> list[str]:
    """The lines of an strace log that reach past this machine or ask for a name."""
    found = []
    for line in trace.splitlines():
        if not re.search(r"\b(connect|sendto|sendmsg)\(", line):
            continue
        if NETWORK_FAMILY.search(line) or RESOLVER_SOCKET.search(line) or DNS_PORT.search(line):
            found.append(line.strip())
    return found


def test_the_trace_parser_sees_a_dns_query_and_ignores_unix_sockets():
    trace = (
        '7693  connect(15, {sa_family=AF_UNIX, sun_path="/run/user/0/bus"}, 110) = 0\n'
        '7693  connect(15, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT\n'
        '7693  connect(15, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.53")}, 16) = 0\n'
        '7693  sendto(15, "N\\376\\1\\0\\0\\1\\6mobile\\6events", 50, MSG_NOSIGNAL, NULL, 0) = 50\n'
        '7694  connect(7, {sa_family=AF_INET6, sin6_port=htons(443)}, 28) = -1 ENETUNREACH\n'
    )
    assert len(network_events(trace)) == 3


def _strace() -> str:
    strace = shutil.which("strace")
    if strace is None:
        if shutil.which("apt-get") and os.geteuid() == 0:
            pytest.fail("strace is missing on a Debian-like system where root can install it: run `make setup`")
        pytest.skip("strace is not installed and apt-get is not available to install it (make setup)")
    probe = subprocess.run([strace, "-f", "-o", os.devnull, "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"strace cannot trace here (ptrace not permitted): {probe.stderr.strip()[:200]}")
    return strace


def test_app_and_cli_make_no_connection_and_no_dns_lookup(tmp_path, default_chat_model):
    strace = _strace()
    hearth = f"{sys.executable} -m desktop_app"
    coffee, chelsea = photo("coffee.png"), photo("chelsea.png")
    script = (
        f"{hearth} chat 'Say hello.' --max-tokens 8 --temperature 0 > {tmp_path}/chat.txt && "
        f"{hearth} classify {coffee} > {tmp_path}/classify.txt && "
        f"{hearth} detect {chelsea} > {tmp_path}/detect.txt && "
        f"{{ timeout {GUI_SECONDS} {hearth} gui; test $? -eq 124; }}"
    )
    # the child must not inherit the switches this test process set: the app has to set them itself
    env = {k: v for k, v in os.environ.items() if k not in TELEMETRY_SWITCHES}
    env.update(HEARTH_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    trace_path = tmp_path / "trace.txt"
    done = subprocess.run([strace, "-f", "-e", "trace=connect,sendto,sendmsg", "-o", str(trace_path),
                           "sh", "-c", script], capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    for name in ("chat", "classify", "detect"):
        assert (tmp_path / f"{name}.txt").read_text().strip(), f"`hearth {name}` printed nothing"
    events = network_events(trace_path.read_text(errors="replace"))
    assert events == [], "network activity:\n" + "\n".join(events[:20])
