"""A chart as drawn: its SVG (the PDF's) and PNG (the DOCX's) bytes. Apart from charts.py, which
draws them: the process that only lays out the PDF takes drawings without loading the drawing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChartFiles:
    svg: bytes
    png: bytes
