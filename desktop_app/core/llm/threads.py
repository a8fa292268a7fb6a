"""How many threads llama.cpp computes with: the cores other programs leave free, checked again while it runs.

llama.cpp's CPU threads meet at a barrier after every operation of a forward pass and spin there. When another
program holds one of the cores, the thread that shares it with that program stalls all the others at every
barrier: on the 2-core development machine, 2 threads beside one busy program ran 13-18x slower than 1 thread
(issue 15's closing note). So the thread count follows what other programs use, read from the CPU time counters
(no sampling thread), before each call and every RECHECK_S while a reply or a long prompt is decoded; a thread
count set in Settings (``n_threads`` > 0) is kept as it is.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable

import psutil

from desktop_app.core.system import OtherProgramsLoad

RECHECK_S = 1.0  # seconds between readings while llama.cpp works
STALE_S = 5.0  # a reading older than this says nothing about now: a fresh one is taken first ...
FRESH_WINDOW_S = 0.1  # ... over this long (on the worker thread, before the first token)
# a core counts as taken once other programs use more than this much of it: a thread sharing a core with a
# program busy a quarter of the time already waits at barriers, and 1 thread alone costs at most half the speed
TAKEN_FRACTION = 0.25


def physical_cores() -> int:
    return max(1, psutil.cpu_count(logical=False) or psutil.cpu_count() or 1)


def threads_for(cores: int, others_cores: float) -> int:
    """Threads for ``cores`` cores while other programs use ``others_cores`` of them (at least one)."""
    return max(1, min(cores, math.floor(cores - others_cores + TAKEN_FRACTION)))


@dataclass(frozen=True)
class ThreadChoice:
    threads: int
    others_cores: float | None  # other programs' use when chosen, in cores; None: not measured (a fixed setting)

    @property
    def adaptive(self) -> bool:
        return self.others_cores is not None


class ThreadGovernor:
    """Chooses the thread count for one engine; ``fixed`` > 0 turns the measuring off."""

    def __init__(self, fixed: int = 0, cores: int | None = None, load: OtherProgramsLoad | None = None,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self.fixed = max(0, int(fixed or 0))
        self.cores = cores or physical_cores()
        self.most = self.fixed or self.cores  # what the context is created with
        self._load = load if load is not None or self.fixed else OtherProgramsLoad()
        self._clock, self._sleep = clock, sleep
        self._checked_at = -math.inf
        self.choice = ThreadChoice(self.most, None if self.fixed else 0.0)

    def due(self) -> bool:
        """True when a reading is due (cheap: a clock read); the generation loop asks this every token."""
        return not self.fixed and self._clock() - self._checked_at >= RECHECK_S

    def choose(self) -> ThreadChoice:
        """The thread count for the work about to run (the previous one when too little time has passed)."""
        if self.fixed:
            return self.choice
        if self._clock() - self._checked_at > STALE_S:  # idle since the last reading: measure now
            self._load.restart()
            self._sleep(FRESH_WINDOW_S)
        others = self._load.cores(min_interval_s=FRESH_WINDOW_S / 2)
        self._checked_at = self._clock()
        if others is not None:
            self.choice = ThreadChoice(threads_for(self.cores, others), others)
        return self.choice
