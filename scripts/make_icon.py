"""Draws assets/hearth.png (256 px): a flame on a warm rounded square. Run: python scripts/make_icon.py"""

import sys
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath

OUT = Path(__file__).resolve().parents[1] / "assets"


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 256
    background = QLinearGradient(0, 0, 0, size)
    background.setColorAt(0, QColor("#3b2a20"))
    background.setColorAt(1, QColor("#1d1410"))
    p.setBrush(QBrush(background))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(QRectF(8 * s, 8 * s, 240 * s, 240 * s), 48 * s, 48 * s)

    def flame(scale: float, top: QColor, bottom: QColor) -> None:
        path = QPainterPath(QPointF(128 * s, (40 + (1 - scale) * 120) * s))
        path.cubicTo(QPointF((128 + 90 * scale) * s, 120 * s), QPointF((128 + 70 * scale) * s, 210 * s), QPointF(128 * s, 212 * s))
        path.cubicTo(QPointF((128 - 70 * scale) * s, 210 * s), QPointF((128 - 90 * scale) * s, 120 * s), QPointF(128 * s, (40 + (1 - scale) * 120) * s))
        gradient = QLinearGradient(0, 40 * s, 0, 212 * s)
        gradient.setColorAt(0, top)
        gradient.setColorAt(1, bottom)
        p.setBrush(QBrush(gradient))
        p.drawPath(path)

    flame(1.0, QColor("#ffb347"), QColor("#e8451e"))
    flame(0.55, QColor("#fff3b0"), QColor("#ffb347"))
    p.end()
    return image


if __name__ == "__main__":
    app = QGuiApplication(sys.argv)
    OUT.mkdir(exist_ok=True)
    draw(256).save(str(OUT / "hearth.png"))
    draw(512).save(str(OUT / "hearth-512.png"))
    print("wrote", OUT / "hearth.png")
