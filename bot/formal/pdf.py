"""A formal record as PDF, with fpdf2: the Markdown the record's template renders (headings,
paragraphs, bullets, a bold "**Label:**" at the start of a line), set in the bundled Noto Sans
(Latin, Greek and Cyrillic), with "Confidential" at the top and "Page N of M" at the foot of
every page. What people typed is printed as typed: no Markdown of theirs is interpreted.
Characters Noto Sans lacks (Chinese, Japanese, Korean, Arabic, Hebrew, ...) are printed with
the first font in PDF_FALLBACK_FONTS that has them; README.md says how to add one."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONTS = Path(__file__).parent / "fonts"
FAMILY = "NotoSans"
PAGES = "{pdpbot:pages}"  # replaced by the page count; fpdf2's default "{nb}" could be typed
_BOLD_LABEL = re.compile(r"^\*\*(.+?)\*\*\s?(.*)$", re.DOTALL)
# fpdf2 and fontTools log every glyph they subset at INFO; the record is no business of theirs.
for _name in ("fpdf", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)


class _Record(FPDF):
    def __init__(self, banner: str, footer: str) -> None:
        super().__init__(format="A4")
        self._banner = banner
        self._footer = footer
        self.set_margins(20, 22, 20)
        self.set_auto_page_break(auto=True, margin=20)
        self.add_font(FAMILY, "", str(FONTS / "NotoSans-Regular.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "NotoSans-Bold.ttf"))
        fallbacks = _fallback_fonts(self)
        if fallbacks:
            self.set_fallback_fonts(fallbacks, exact_match=False)

    def header(self) -> None:
        self.set_font(FAMILY, "B", 9)
        self.set_text_color(150, 0, 0)
        self.cell(0, 6, self._banner, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, self._footer.replace("{page}", str(self.page_no())), align="C")
        self.set_text_color(0, 0, 0)


def _fallback_fonts(pdf: FPDF) -> list[str]:
    """Fonts named in PDF_FALLBACK_FONTS (paths to .ttf/.otf files, separated by the path
    separator), for the scripts Noto Sans does not cover."""
    names = []
    paths = [p for p in os.environ.get("PDF_FALLBACK_FONTS", "").split(os.pathsep) if p]
    for n, path in enumerate(paths):
        if Path(path).is_file():
            name = f"Fallback{n}"
            pdf.add_font(name, "", path)
            names.append(name)
    return names


def render_pdf(
    markdown: str,
    *,
    title: str,
    banner: str = "Confidential",
    footer: str = "Confidential · page {page} of {{nb}}",
    created: datetime | None = None,
) -> bytes:
    """The PDF of `markdown` (the subset described above), as bytes."""
    pdf = _Record(banner, footer.replace("{{nb}}", PAGES))
    pdf.alias_nb_pages(PAGES)
    pdf.set_title(title)
    pdf.set_creator("pdpbot")
    if created is not None:
        pdf.set_creation_date(created)
    pdf.add_page()
    for kind, text in blocks(markdown):
        _write(pdf, kind, text)
    return bytes(pdf.output())


def blocks(markdown: str) -> Iterable[tuple[str, str]]:
    """(kind, text) per line that is not blank: h1, h2, h3, bullet, or paragraph."""
    for raw in markdown.splitlines():
        line = raw.rstrip()
        if not line.strip():
            yield "gap", ""
        elif line.startswith("### "):
            yield "h3", line[4:]
        elif line.startswith("## "):
            yield "h2", line[3:]
        elif line.startswith("# "):
            yield "h1", line[2:]
        elif line.lstrip().startswith("- "):
            yield "bullet", line.lstrip()[2:]
        else:
            yield "paragraph", line


def _write(pdf: FPDF, kind: str, text: str) -> None:
    width = pdf.epw
    if kind == "gap":
        pdf.ln(2)
    elif kind in ("h1", "h2", "h3"):
        size = {"h1": 16, "h2": 13, "h3": 11}[kind]
        pdf.ln(3 if kind != "h3" else 1)
        pdf.set_font(FAMILY, "B", size)
        pdf.multi_cell(width, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    elif kind == "bullet":
        pdf.set_x(pdf.l_margin + 3)
        pdf.set_font(FAMILY, "", 10)
        pdf.cell(5, 5, "•")
        _labelled(pdf, 8, text)
    else:
        _labelled(pdf, 0, text)


def _labelled(pdf: FPDF, indent: float, text: str) -> None:
    """A line that may start with a bold label; the rest is printed literally, wrapped with
    its continuation lines `indent` mm in from the margin."""
    margin = pdf.l_margin
    pdf.set_left_margin(margin + indent)
    try:
        match = _BOLD_LABEL.match(text)
        if match:
            pdf.set_font(FAMILY, "B", 10)
            pdf.write(5, f"{match.group(1)} ")
            text = match.group(2)
        pdf.set_font(FAMILY, "", 10)
        pdf.write(5, text)
        pdf.ln(5)
    finally:
        pdf.set_left_margin(margin)
