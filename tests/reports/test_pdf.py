"""``piisweep report --pdf``: printed by the real Chromium, read back with pypdfium2."""

import click
import pypdfium2 as pdfium
from click.testing import CliRunner

from piisweep.report_commands import report
from reports.html import SECTIONS
from tests.reports.fixtures import KEY
from tests.reports.folder_estate import write_folder_estate


@click.group()
def cli():
    """Stand-in for piisweep.cli's group."""


cli.add_command(report)


def pages_text(path):
    doc = pdfium.PdfDocument(path)
    try:
        out = []
        for page in doc:
            text = page.get_textpage()
            out.append(text.get_text_range())
            text.close()
            page.close()
        return out
    finally:
        doc.close()


def test_report_pdf_has_a_page_per_section_and_the_map(tmp_path):
    scan = write_folder_estate(str(tmp_path))
    html, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    result = CliRunner().invoke(cli, ["report", scan, "-o", str(html), "--pdf", str(pdf)],
                                env={"PIISWEEP_KEY": KEY.decode()})
    assert result.exit_code == 0, result.output
    assert f"{pdf}:" in result.output and pdf.read_bytes()[:5] == b"%PDF-"
    pages = pages_text(str(pdf))
    starts = []
    for section in SECTIONS:  # each section opens a new page, in order
        starts.append(next(i for i, text in enumerate(pages) if section.title in text))
    assert starts == sorted(starts) and len(set(starts)) == len(SECTIONS)
    map_page = pages[starts[[s.id for s in SECTIONS].index("datamap")]]
    for system in ("fs1 (local files)", "smb://nas/share", "postgresql://db1/crm"):   # the map's boxes
        assert system in map_page
    entity_pages = "".join(pages[starts[[s.id for s in SECTIONS].index("entities")]:])
    # every entity type's table is printed, not only the three open on screen
    assert entity_pages.count("Distinct values") == 8
    assert "contract1.docx" in "".join(pages)         # grouped tables print their files too


def test_report_pdf_without_a_browser_says_so_before_any_work(tmp_path):
    scan = write_folder_estate(str(tmp_path))
    html = tmp_path / "r.html"
    result = CliRunner().invoke(cli, ["report", scan, "-o", str(html), "--pdf", str(tmp_path / "r.pdf")],
                                env={"PIISWEEP_KEY": KEY.decode(), "PATH": str(tmp_path)})
    assert result.exit_code == 1
    assert "--pdf needs Chromium or Google Chrome" in result.output and "apt-get install chromium" in result.output
    assert not html.exists()
