"""`hearth chat --engine` and `hearth engines add` as real processes against hostile servers on 127.0.0.1:
each ends in one `hearth:` sentence, a non-zero exit, in seconds, well under 1.5 GB (the child's own peak,
read from os.wait4), with what arrived of the reply printed."""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import time

import pytest

from hostile_server import HostileServer

pytestmark = pytest.mark.allow_loopback
MEMORY_BOUND = 1536 << 20
FIGURES: list[str] = []  # printed with -s: what the report quotes


def run_wait4(args: list[str], timeout_s: float = 60) -> tuple[int, str, str, float, int]:
    """Run `hearth ARGS`: its exit code, stdout, stderr, seconds, and peak RSS in bytes (this child's own:
    it is reaped with os.wait4, not subprocess, so its rusage is read)."""
    started = time.monotonic()
    out_path, err_path = os.pipe(), os.pipe()
    process = subprocess.Popen([sys.executable, "-m", "desktop_app", *args], stdout=out_path[1], stderr=err_path[1],
                               env=dict(os.environ))
    os.close(out_path[1])
    os.close(err_path[1])
    deadline = time.monotonic() + timeout_s
    chunks = {out_path[0]: b"", err_path[0]: b""}
    with selectors.DefaultSelector() as selector:
        for fd in chunks:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map() and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=max(0.0, deadline - time.monotonic())):
                data = os.read(key.fd, 1 << 16)
                if data:
                    chunks[key.fd] += data
                else:
                    selector.unregister(key.fd)
    if selector.get_map():
        process.kill()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    for fd in chunks:
        os.close(fd)
    return (process.returncode, chunks[out_path[0]].decode(errors="replace"), chunks[err_path[0]].decode(errors="replace"),
            time.monotonic() - started, usage.ru_maxrss * 1024)


@pytest.mark.parametrize("kind, options, sentence", [
    ("endless_tokens", ["--max-tokens", "32"], "sent more than the 32 tokens asked for; Hearth cut the reply off there. "
                                               "The 36 characters that arrived are kept, marked as incomplete."),
    ("pings", ["--timeout", "2"], "sent no new text for 2 seconds; Hearth cut the reply off there. "
                                  "Nothing of the reply had arrived."),
    ("big_pieces", ["--max-tokens", "32"], "sent more than 1.1 MB for one reply, far more than 32 tokens need; Hearth "
                                           "cut it off there. The 1114112 characters that arrived are kept, marked as incomplete."),
    ("endless_line", ["--max-tokens", "32"], "sent more than 1.1 MB for one reply, far more than 32 tokens need; Hearth "
                                             "cut it off there. Nothing of the reply had arrived."),
    ("no_head", ["--timeout", "2"], "did not answer within 2 seconds. The server may be overloaded; try again, or raise "
                                    "the timeout."),
])
def test_a_hostile_reply_ends_in_one_sentence_in_bounded_time_and_memory(kind, options, sentence):
    with HostileServer(kind) as server:
        code, out, err, seconds, peak = run_wait4(["chat", "hello", "--engine", server.url, *options])
    last = err.strip().splitlines()[-1]
    FIGURES.append(f"{kind}: {seconds:.1f} s, peak {peak / (1 << 20):.0f} MB: {last}")
    print(FIGURES[-1])
    assert code == 1 and last == f"hearth: {server.url} {sentence}", err
    assert seconds < 20 and peak < MEMORY_BOUND
    if kind == "endless_tokens":
        assert out.strip() == "a" * 36  # what arrived is shown


def test_a_cut_off_reply_in_json_keeps_what_arrived():
    import json

    with HostileServer("endless_tokens") as server:
        code, out, err, _seconds, _peak = run_wait4(["chat", "hello", "--json", "--engine", server.url, "--max-tokens", "8"])
    answer = json.loads(out)
    assert code == 1 and answer["reply"] == "a" * 12 and answer["incomplete"] is True
    assert answer["error"] in err


def test_a_1_gb_model_list_ends_in_one_sentence_in_bounded_memory():
    with HostileServer("ok", models="huge") as server:
        code, out, err, seconds, peak = run_wait4(["engines", "add", "box", server.url])
    last = err.strip().splitlines()[-1]
    FIGURES.append(f"models huge: {seconds:.1f} s, peak {peak / (1 << 20):.0f} MB: {last}")
    print(FIGURES[-1])
    assert code == 1 and last == (f"hearth: {server.url} sent an answer larger than 8 MB, far more than any real one; "
                                  "Hearth stopped reading it. Check the address and port.")
    assert seconds < 20 and peak < MEMORY_BOUND


def test_a_redirect_elsewhere_ends_in_one_sentence_and_sends_nothing_there():
    with HostileServer("ok") as elsewhere, HostileServer("ok") as server:
        server.redirect_to = elsewhere.url
        code, out, err, _seconds, _peak = run_wait4(["chat", "my secret plans", "--engine", server.url])
    assert code == 1 and elsewhere.requests == []
    assert err.strip().splitlines()[-1] == (
        f"hearth: {server.url} redirected the request to {elsewhere.url}/v1/models, a different address; Hearth did not "
        "follow it, so nothing was sent there. If that is the right server, use its address instead.")
