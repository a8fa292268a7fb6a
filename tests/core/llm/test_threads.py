"""llama.cpp's thread count follows the cores other programs leave free (core/llm/threads.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from desktop_app.core.llm.engine import LlamaEngine
from desktop_app.core.llm.threads import RECHECK_S, STALE_S, ThreadGovernor, threads_for
from desktop_app.core.llm.types import ChatMessage, LoadOptions
from desktop_app.core.sampling import SamplingParams
from desktop_app.core.system import OtherProgramsLoad


@pytest.mark.parametrize("cores, others, expected", [
    (2, 0.0, 2), (2, 0.2, 2), (2, 0.3, 1), (2, 1.0, 1), (2, 1.9, 1), (2, 3.0, 1), (1, 0.0, 1), (8, 3.0, 5), (8, 0.1, 8),
])
def test_threads_leave_the_cores_other_programs_use(cores, others, expected):
    assert threads_for(cores, others) == expected


class FakeCounters:
    """CPU time counters that advance as the test says: wall seconds, everyone's busy seconds, ours."""

    def __init__(self):
        self.wall = self.busy = self.own = 0.0

    def run(self, seconds: float, others_cores: float, own_cores: float = 0.0) -> None:
        self.wall += seconds
        self.busy += seconds * (others_cores + own_cores)
        self.own += seconds * own_cores

    def load(self) -> OtherProgramsLoad:
        return OtherProgramsLoad(clock=lambda: self.wall, busy=lambda: self.busy, own=lambda: self.own)


def test_other_programs_load_subtracts_this_process():
    counters = FakeCounters()
    load = counters.load()
    counters.run(2.0, others_cores=0.5, own_cores=1.5)
    assert load.cores() == pytest.approx(0.5)
    assert load.cores() is None  # no time passed: nothing to tell
    counters.run(1.0, others_cores=1.0)
    assert load.cores() == pytest.approx(1.0)


def test_governor_measures_again_while_work_runs_and_first_after_idling():
    counters = FakeCounters()
    slept = []
    governor = ThreadGovernor(cores=2, load=counters.load(), clock=lambda: counters.wall,
                              sleep=lambda s: (slept.append(s), counters.run(s, others_cores=1.0)))
    assert governor.due()
    assert governor.choose().threads == 1 and slept  # a fresh reading taken before the first call
    assert not governor.due()
    counters.run(RECHECK_S, others_cores=0.0, own_cores=2.0)  # the other program has stopped
    assert governor.due()
    choice = governor.choose()
    assert choice.threads == 2 and choice.others_cores == pytest.approx(0.0) and len(slept) == 1
    counters.run(STALE_S + 1, others_cores=0.0)
    counters.run(0.0, 0.0)
    governor.choose()
    assert len(slept) == 2  # idle longer than STALE_S: what happened meanwhile is not what happens now


def test_a_thread_count_in_settings_is_kept():
    governor = ThreadGovernor(fixed=3, cores=2)
    assert not governor.due()
    choice = governor.choose()
    assert choice.threads == 3 and not choice.adaptive


def test_a_busy_program_beside_us_is_measured():
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        load = OtherProgramsLoad()
        load.restart()
        subprocess.run([sys.executable, "-c", "import time; time.sleep(0.5)"], check=True)
        others = load.cores()
    finally:
        busy.kill()
        busy.wait()
    assert others is not None and others >= 0.5


def test_the_engine_computes_with_the_chosen_threads(tiny_gguf, monkeypatch):
    import llama_cpp

    decoded_with = []  # the thread count of every decode, the prompt's included
    real_decode = llama_cpp.llama_decode

    def decode(ctx, batch):
        decoded_with.append(llama_cpp.llama_n_threads(ctx))
        return real_decode(ctx, batch)

    monkeypatch.setattr(llama_cpp, "llama_decode", decode)
    counters = FakeCounters()
    engine = LlamaEngine()
    try:
        engine.load(tiny_gguf, LoadOptions(n_ctx=256))
        assert engine._threads.most >= 1
        engine._threads = ThreadGovernor(cores=2, load=counters.load(), clock=lambda: counters.wall,
                                         sleep=lambda s: counters.run(s, others_cores=1.0))
        greedy = SamplingParams(temperature=0.0, max_tokens=4)
        result = engine.chat([ChatMessage("user", "hello")], greedy)
        assert result.stats.threads == 1 and result.stats.others_cores == pytest.approx(1.0)
        assert decoded_with and set(decoded_with) == {1}
        counters.run(STALE_S + 1, others_cores=0.0)
        engine._threads._sleep = lambda s: counters.run(s, others_cores=0.0)
        decoded_with.clear()
        result = engine.chat([ChatMessage("user", "hello again")], greedy)
        assert result.stats.threads == 2 and set(decoded_with) == {2}
    finally:
        engine.close()
