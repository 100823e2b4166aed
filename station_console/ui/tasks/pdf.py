"""A one-page PDF summary of a task and its feedback, for a street or community office."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument


def write_task_pdf(body_html: str, path: Path) -> None:
    """Write ``body_html`` to an A4 PDF at ``path``, shrunk to fit one page."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    doc = QTextDocument()
    font = QFont()
    font.setPointSizeF(10.5)
    doc.setDefaultFont(font)
    doc.setHtml(body_html)
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    # Lay the text out at a screen-like width, then scale it onto the page: one page, always.
    width = 700.0
    doc.setPageSize(QSizeF(width, 1e6))
    doc.setTextWidth(width)
    height = doc.size().height()
    scale = min(page.width() / width, page.height() / max(height, 1.0))

    painter = QPainter(writer)
    try:
        painter.scale(scale, scale)
        doc.drawContents(painter)
    finally:
        painter.end()
