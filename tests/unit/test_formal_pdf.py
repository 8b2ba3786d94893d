"""Formal records as PDF (fpdf2, the bundled Noto Sans), read back as text with pypdf."""

from __future__ import annotations

import io

from pypdf import PdfReader

from bot.formal.pdf import render_pdf

LONG = "\n".join(
    f"- **Checkpoint {n}:** the evidence of week {n}, " + "observed in review threads " * 12
    for n in range(1, 60)
)


def pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_every_page_says_confidential_and_its_number_of_all() -> None:
    text = pages(render_pdf(f"# Record\n\n{LONG}\n", title="PIP 1"))
    assert len(text) >= 3
    for number, page in enumerate(text, start=1):
        assert page.startswith("Confidential")
        assert f"page {number} of {len(text)}" in page


def test_names_in_greek_and_cyrillic_render_and_typed_markup_is_printed_as_typed() -> None:
    typed = "Ольга Петрова and Ευάγγελος Παπαδόπουλος wrote **this** -- __as is__ {nb} ~~x~~"
    [page] = pages(render_pdf(f"# Record\n\n**Engineer:** {typed}\n", title="PIP 2"))
    assert "Engineer: " + typed in page
    assert "Record" in page


def test_the_pdf_carries_its_title() -> None:
    data = render_pdf("# Record\n", title="PIP 3 formal record: Zoë Ñúñez")
    assert PdfReader(io.BytesIO(data)).metadata.title == "PIP 3 formal record: Zoë Ñúñez"
