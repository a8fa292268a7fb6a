"""An image with detection boxes on top: wheel to zoom, drag to pan, colours per class."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsScene, QGraphicsSimpleTextItem, QGraphicsView

from desktop_app.core.vision.export import class_color


class DetectionView(QGraphicsView):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setAcceptDrops(False)  # files dropped on the image go to the pane, which queues them
        self._pixmap_item = None
        self._box_items: list = []
        self.zoom = 1.0

    def set_image(self, image) -> None:
        scene = self.scene()
        scene.clear()
        self._box_items = []
        self._pixmap_item = scene.addPixmap(QPixmap.fromImage(image))
        scene.setSceneRect(QRectF(0, 0, image.width(), image.height()))
        self.fit()

    def clear(self) -> None:
        self.scene().clear()
        self._pixmap_item = None
        self._box_items = []

    def set_detections(self, detections) -> None:
        scene = self.scene()
        for item in self._box_items:
            scene.removeItem(item)
        self._box_items = []
        if self._pixmap_item is None:
            return
        size = max(scene.sceneRect().width(), scene.sceneRect().height())
        width = max(1.5, size / 400)
        font = QFont()
        font.setPixelSize(max(11, int(size / 45)))
        for d in detections:
            color = QColor(*class_color(d.class_id))
            x1, y1, x2, y2 = d.box
            box = scene.addRect(QRectF(x1, y1, x2 - x1, y2 - y1), QPen(color, width))
            text = QGraphicsSimpleTextItem(f"{d.label} {d.score:.2f}")
            text.setFont(font)
            text.setBrush(QBrush(QColor("black") if color.lightness() > 140 else QColor("white")))
            bounds = text.boundingRect()
            top = y1 - bounds.height() if y1 - bounds.height() >= 0 else y1
            tag = scene.addRect(QRectF(x1, top, bounds.width() + 6, bounds.height()), QPen(Qt.PenStyle.NoPen), QBrush(color))
            text.setPos(x1 + 3, top)
            scene.addItem(text)
            self._box_items += [box, tag, text]

    def box_count(self) -> int:
        return len(self._box_items) // 3

    def fit(self) -> None:
        if self._pixmap_item is not None:
            self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
            self.zoom = self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        self.scale(factor, factor)
        self.zoom = self.transform().m11()

    def wheelEvent(self, event) -> None:
        self.zoom_by(1.25 if event.angleDelta().y() > 0 else 0.8)

    def mouseDoubleClickEvent(self, event) -> None:
        self.fit()
