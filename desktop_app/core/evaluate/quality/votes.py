"""Blind votes between two models' answers: pairs in random order, win rates with a Wilson interval, and a
Bradley–Terry rating (ties count half a win each way) on the Elo scale, as LMSYS's Chatbot Arena reports."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from enum import Enum
from itertools import combinations

Z95 = 1.959963984540054
ELO_BASE, ELO_SCALE = 1000.0, 400.0
PRIOR = 0.5  # half a virtual tie against every other model keeps a model that never won finite


class Winner(str, Enum):
    A = "a"
    B = "b"
    TIE = "tie"


@dataclass(frozen=True)
class BlindPair:
    item: str
    a: str  # model shown as A
    b: str


@dataclass(frozen=True)
class Vote:
    item: str
    a: str
    b: str
    winner: Winner

    def to_json(self) -> dict:
        return {"item": self.item, "a": self.a, "b": self.b, "winner": self.winner.value}

    @classmethod
    def from_json(cls, raw: dict) -> "Vote":
        return cls(str(raw["item"]), str(raw["a"]), str(raw["b"]), Winner(raw["winner"]))


@dataclass(frozen=True)
class Standing:
    model: str
    votes: int
    wins: float  # ties count half
    win_rate: float
    low: float  # Wilson 95% interval of the win rate
    high: float
    rating: float  # Bradley–Terry strength on the Elo scale


def blind_pairs(items: list[str], models: list[str], rng: random.Random) -> list[BlindPair]:
    """Every item for every pair of models, the order of the pairs and of A/B shuffled."""
    pairs = []
    for item in items:
        for first, second in combinations(models, 2):
            a, b = (first, second) if rng.random() < 0.5 else (second, first)
            pairs.append(BlindPair(item, a, b))
    rng.shuffle(pairs)
    return pairs


def wilson(successes: float, n: int, z: float = Z95) -> tuple[float, float]:
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _wins(votes: list[Vote]) -> tuple[dict[tuple[str, str], float], dict[str, int]]:
    wins: dict[tuple[str, str], float] = {}
    counts: dict[str, int] = {}
    for v in votes:
        share = {Winner.A: 1.0, Winner.B: 0.0, Winner.TIE: 0.5}[v.winner]
        wins[(v.a, v.b)] = wins.get((v.a, v.b), 0.0) + share
        wins[(v.b, v.a)] = wins.get((v.b, v.a), 0.0) + 1.0 - share
        counts[v.a] = counts.get(v.a, 0) + 1
        counts[v.b] = counts.get(v.b, 0) + 1
    return wins, counts


def bradley_terry(votes: list[Vote], models: list[str], iterations: int = 200) -> dict[str, float]:
    """Strengths by Hunter's MM algorithm (2004), as Elo-scale ratings centred on 1000."""
    wins, _ = _wins(votes)
    names = list(dict.fromkeys(models + [v.a for v in votes] + [v.b for v in votes]))
    for i, j in combinations(names, 2):  # the prior: half a tie between every pair
        wins[(i, j)] = wins.get((i, j), 0.0) + PRIOR / 2
        wins[(j, i)] = wins.get((j, i), 0.0) + PRIOR / 2
    strength = {m: 1.0 for m in names}
    for _ in range(iterations):
        new = {}
        for i in names:
            won = sum(wins.get((i, j), 0.0) for j in names if j != i)
            games = sum((wins.get((i, j), 0.0) + wins.get((j, i), 0.0)) / (strength[i] + strength[j])
                        for j in names if j != i)
            new[i] = won / games if games else 1.0
        mean = math.exp(sum(math.log(v) for v in new.values()) / len(new))
        strength = {m: v / mean for m, v in new.items()}
    return {m: ELO_BASE + ELO_SCALE * math.log10(s) for m, s in strength.items()}


def standings(votes: list[Vote], models: list[str]) -> list[Standing]:
    """One row per model, best rating first."""
    wins, counts = _wins(votes)
    ratings = bradley_terry(votes, models)
    rows = []
    for m in ratings:
        won = sum(w for (i, _j), w in wins.items() if i == m)
        n = counts.get(m, 0)
        low, high = wilson(won, n)
        rows.append(Standing(m, n, won, won / n if n else 0.0, low, high, ratings[m]))
    return sorted(rows, key=lambda s: -s.rating)
