"""A one-page PDF summary of a task and its feedback, for a street or community office."""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument


def write_task_pdf(body_html: str, path: Path, *, produced_by: str = "",
                   produced_at: datetime | None = None) -> None:
    """Write ``body_html`` to an A4 PDF at ``path``, shrunk to fit one page, with a line that
    says who produced it and when."""
    stamp = QCoreApplication.translate("TaskPdf", "Produced by {who} at {when}").format(
        who=produced_by or "—", when=f"{produced_at or datetime.now():%Y-%m-%d %H:%M}")
    body_html += f'<p style="color:#666666; font-size:9pt">{escape(stamp)}</p>'
    writer = QPdfWriter(str(path))
    writer.setCreator(produced_by or "Station Console")
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
