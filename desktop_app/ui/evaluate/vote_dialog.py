"""Blind vote: two models' answers to one prompt as A and B (random order), A / B / tie, ratings as the votes
come in, names revealed at the end."""

from __future__ import annotations

import random

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout

from desktop_app.core.evaluate.quality.results import QualityRun
from desktop_app.core.evaluate.quality.votes import Vote, Winner, blind_pairs, standings


class BlindVoteDialog(QDialog):
    voted = Signal(object)  # the Vote
    revealed = Signal(list)  # the standings, names shown

    def __init__(self, run: QualityRun, parent=None, rng: random.Random | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Blind vote"))
        self.run = run
        names = [m.name for m in run.models]
        self.codes = {name: self.tr("Model {n}").format(n=i + 1) for i, name in
                      enumerate(random.Random(len(run.votes)).sample(names, len(names)))}  # hidden names
        answered = {}
        for item in run.items:
            answered.setdefault(item.item, {})[item.model] = item
        self.answers = {k: v for k, v in answered.items() if len(v) >= 2}
        self.pairs = [p for p in blind_pairs(sorted(self.answers), names, rng or random.Random())
                      if p.a in self.answers[p.item] and p.b in self.answers[p.item]]
        self.index = 0
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        self.a_text, self.b_text = QTextBrowser(), QTextBrowser()
        self.a_button, self.b_button = QPushButton(self.tr("A is better")), QPushButton(self.tr("B is better"))
        self.tie_button = QPushButton(self.tr("Tie"))
        self.finish_button = QPushButton(self.tr("Finish and show names"))
        self.a_button.clicked.connect(lambda: self.vote(Winner.A))
        self.b_button.clicked.connect(lambda: self.vote(Winner.B))
        self.tie_button.clicked.connect(lambda: self.vote(Winner.TIE))
        self.finish_button.clicked.connect(self.reveal)
        self.ratings = QLabel()
        self.ratings.setWordWrap(True)
        answers = QHBoxLayout()
        for title, view in ((self.tr("A"), self.a_text), (self.tr("B"), self.b_text)):
            column = QVBoxLayout()
            column.addWidget(QLabel(f"<b>{title}</b>"))
            column.addWidget(view, 1)
            answers.addLayout(column, 1)
        buttons = QHBoxLayout()
        for button in (self.a_button, self.tie_button, self.b_button, self.finish_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addLayout(answers, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.ratings)
        self.resize(820, 520)
        self._show()

    def _show(self) -> None:
        self._show_ratings(hidden=True)
        if self.index >= len(self.pairs):
            self.reveal()
            return
        pair = self.pairs[self.index]
        item = self.answers[pair.item][pair.a]
        self.prompt.setText(self.tr("Item {item} ({done} of {total}): {prompt}").format(
            item=pair.item, done=self.index + 1, total=len(self.pairs), prompt=item.prompt or item.expected[:200]))
        self.a_text.setPlainText(self.answers[pair.item][pair.a].output)
        self.b_text.setPlainText(self.answers[pair.item][pair.b].output)

    def vote(self, winner: Winner) -> None:
        if self.index >= len(self.pairs):
            return
        pair = self.pairs[self.index]
        vote = Vote(pair.item, pair.a, pair.b, winner)
        self.run.votes.append(vote)
        self.index += 1
        self.voted.emit(vote)
        self._show()

    def current_standings(self):
        return standings(self.run.votes, [m.name for m in self.run.models])

    def _show_ratings(self, hidden: bool) -> None:
        rows = self.current_standings()
        lines = [self.tr("{name}: rating {rating:.0f}, wins {rate:.0f} % ({low:.0f}–{high:.0f} %) of {n} votes").format(
            name=self.codes.get(s.model, s.model) if hidden else s.model, rating=s.rating, rate=100 * s.win_rate,
            low=100 * s.low, high=100 * s.high, n=s.votes) for s in rows]
        self.ratings.setText("\n".join(lines))

    def reveal(self) -> None:
        for button in (self.a_button, self.b_button, self.tie_button):
            button.setEnabled(False)
        self.prompt.setText(self.tr("The names, with all {n} votes on this run:").format(n=len(self.run.votes)))
        self._show_ratings(hidden=False)
        self.revealed.emit(self.current_standings())
