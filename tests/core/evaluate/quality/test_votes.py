import random

import pytest

from desktop_app.core.evaluate.quality.votes import Vote, Winner, blind_pairs, bradley_terry, standings, wilson


def test_wilson_interval_matches_the_textbook_value():
    # 8 of 10 at 95%: 0.4902 to 0.9433 (Wilson 1927; e.g. Agresti & Coull 1998, table 1 method)
    assert wilson(8, 10) == pytest.approx((0.4902, 0.9433), abs=1e-4)
    assert wilson(0, 0) == (0.0, 1.0)


def test_bradley_terry_orders_models_by_wins_and_ties_are_even():
    votes = [Vote(str(i), "x", "y", Winner.A) for i in range(4)] + [Vote("9", "y", "z", Winner.A)]
    ratings = bradley_terry(votes, ["x", "y", "z"])
    assert ratings["x"] > ratings["y"] > ratings["z"]
    tied = bradley_terry([Vote("1", "x", "y", Winner.TIE)] * 3, ["x", "y"])
    assert tied["x"] == pytest.approx(tied["y"]) == pytest.approx(1000.0)


def test_standings_count_ties_as_half_a_win():
    votes = [Vote("1", "x", "y", Winner.A), Vote("2", "y", "x", Winner.TIE), Vote("3", "y", "x", Winner.A)]
    rows = {s.model: s for s in standings(votes, ["x", "y"])}
    assert rows["x"].wins == 1.5 and rows["x"].votes == 3
    assert rows["x"].win_rate == pytest.approx(0.5)


def test_blind_pairs_cover_every_pair_and_shuffle_sides():
    pairs = blind_pairs([str(i) for i in range(40)], ["m1", "m2", "m3"], random.Random(1))
    assert len(pairs) == 40 * 3
    assert {frozenset((p.a, p.b)) for p in pairs} == {frozenset(x) for x in (("m1", "m2"), ("m1", "m3"), ("m2", "m3"))}
    assert 10 < sum(p.a == "m1" for p in pairs if "m1" in (p.a, p.b)) < 70  # both sides, not always A
