"""comparison.xlsx to the government's accessible-spreadsheet conventions: a cover, the headline figures
first, number formats, fitted widths, a table header, frozen panes, print setup; and LibreOffice prints
every sheet one page wide."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import tpmodel
from tpmodel.labels import label
from tpmodel.workbook import FORMATS

SCENARIOS = ["standard", "cautious", "single_offer"]
SHEETS = [
    "Cover", "Comparison", "NPV by lever", "NPV by agency", "NPV by place", "Net by year", "Single offer",
    "Monte Carlo", "Probabilities", "Assurance",
]  # fmt: skip
TITLED = SHEETS[1:-1]  # the comparison's own sheets; the Assurance sheet is added after, its table from A1
MONEY = FORMATS["GBP m"]


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, tpmodel.analyses.compare.Comparison]:
    out = tmp_path_factory.mktemp("workbook") / "comparison"
    comparison = tpmodel.compare(SCENARIOS, draws=200, seed=3, out=out, workers=2)
    return out / "comparison.xlsx", comparison


def header_row(sheet) -> int:
    """The row of the sheet's table header: the first row of its Excel table."""
    (excel_table,) = sheet.tables.values()
    return int("".join(ch for ch in excel_table.ref.split(":")[0] if ch.isdigit()))


def table(sheet) -> pd.DataFrame:
    top = header_row(sheet)
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=top)]
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_cover_holds_title_scenarios_provenance_units_and_contents(written) -> None:
    path, comparison = written
    book = load_workbook(path)
    assert book.sheetnames == SHEETS
    cover = book["Cover"]
    texts = [str(c.value) for row in cover.iter_rows() for c in row if c.value is not None]
    assert cover["A1"].value == "Total Place savings: comparison of scenarios"
    for result in comparison.runs:
        assert label("scenario", result.name) in texts and result.resolved.description in texts
        assert result.summary()["provenance"]["parameters_sha256"][:16] in texts
    for expected in ("tpmodel version", tpmodel.__version__, "Seed", "3", "Monte Carlo draws", "200",
                     comparison.started, "Money", "Years"):  # fmt: skip
        assert expected in texts, expected
    links = {c.value: c.hyperlink.location for row in cover.iter_rows() for c in row if c.hyperlink}
    assert links == {name: f"'{name}'!A1" for name in SHEETS[1:]}  # the contents list, linked


def test_comparison_sheet_leads_with_the_headline_figures(written) -> None:
    path, comparison = written
    sheet = load_workbook(path)["Comparison"]
    shown = table(sheet)
    assert list(shown.columns) == [
        "Scenario", "NPV [GBP m]", "Expected NPV [GBP m]", "P(NPV > 0)", "BCR", "Payback year (undiscounted)",
        "PV of capital receipts [GBP m]", "Description",
    ]  # fmt: skip
    assert list(shown["Scenario"]) == ["Standard", "Cautious", "Single offer"]
    for result, (_, row) in zip(comparison.runs, shown.iterrows(), strict=True):
        h = result.headlines
        assert row["NPV [GBP m]"] == pytest.approx(h["npv"], rel=1e-15)
        assert row["Expected NPV [GBP m]"] == pytest.approx(result.monte_carlo["npv"]["mean"], rel=1e-15)
        assert row["P(NPV > 0)"] == pytest.approx(result.monte_carlo["probability_npv_positive"])
        assert row["PV of capital receipts [GBP m]"] == pytest.approx(h["pv_receipts"], rel=1e-15)
        payback = h["payback_year"]
        assert row["Payback year (undiscounted)"] == (f"{payback}-{str(payback + 1)[-2:]}" if payback else "none")
        assert row["Description"] == result.resolved.description
    top = header_row(sheet)
    assert sheet.cell(top + 1, 2).number_format == MONEY and sheet.cell(top + 1, 4).number_format == "0%"
    assert sheet.cell(top + 1, 5).number_format == "0.00"
    assert sheet.cell(top + 1, 6).data_type == "s"  # a year as text: "2013-14"
    description = sheet.cell(top + 1, 8)
    assert description.alignment.wrap_text and sheet.column_dimensions["H"].width >= 60
    assert sheet.row_dimensions[top + 1].height > 15  # the wrapped description's row is tall enough


def test_every_table_sheet_has_formats_widths_header_frozen_panes_and_print_setup(written) -> None:
    path, _ = written
    book = load_workbook(path)
    for name in SHEETS[1:]:
        sheet = book[name]
        top = header_row(sheet)
        assert sheet["A1"].font.b and sheet["A1"].value, name  # a title (or the header) in A1
        assert top > 1 or name not in TITLED, name
        assert sheet.freeze_panes == f"B{top + 1}", name
        (excel_table,) = sheet.tables.values()
        assert excel_table.ref.startswith(f"A{top}:"), name
        assert all(c.font.b for c in sheet[top] if c.value), name
        assert sheet.print_title_rows == f"${top}:${top}", name  # the header row on every page
        setup = sheet.page_setup
        assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0), name
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        for column, cells in zip(sheet[top], sheet.iter_cols(min_row=top + 1, values_only=False), strict=False):
            width = sheet.column_dimensions[column.column_letter].width
            for cell in cells:
                if isinstance(cell.value, float):
                    assert cell.number_format != "General", (name, cell.coordinate)
                    if cell.number_format == MONEY:
                        assert len(f"{cell.value:,.1f}") < width, (name, cell.coordinate)  # fits its column
                elif isinstance(cell.value, str) and not cell.alignment.wrap_text:
                    assert len(cell.value) < width, (name, cell.coordinate)
    assert table(book["NPV by agency"]).columns[1:].tolist() == [
        "Council", "NHS", "Police", "Fire", "Jobcentre Plus", "Other",
    ]  # fmt: skip
    assert "Luton & Central Bedfordshire" in table(book["NPV by place"]).columns
    assert table(book["Net by year"]).columns[2] == "2010-11"
    assert set(table(book["Single offer"])["Place"]) == {
        "Kent",
        "Manchester city region incl. Warrington",
        "Worcestershire",
    }
    ranges = table(book["Monte Carlo"])
    assert {"NPV", "BCR", "NPV: Pooled budgets", "Cumulative net, 2014-15"} <= set(ranges["Figure"])
    chances = book["Probabilities"]
    assert chances.cell(header_row(chances) + 1, 3).number_format == "0.0%"


def test_numbers_equal_the_runs(written) -> None:
    path, comparison = written
    book = load_workbook(path)
    lever = table(book["NPV by lever"]).set_index("Scenario")
    assert lever.loc["Standard", "Pooled budgets"] == pytest.approx(comparison.by_lever.loc["standard", "pooling"])
    years = table(book["Net by year"])
    assert years.loc[0, "2010-11"] == pytest.approx(comparison.runs[0].headlines["net_by_year"]["2010"], rel=1e-15)
    ranges = table(book["Monte Carlo"]).set_index(["Scenario", "Figure"])
    assert ranges.loc[("Cautious", "NPV"), "p95"] == pytest.approx(comparison.runs[1].monte_carlo["npv"]["p95"])


def _pdf_pages(pdf: Path) -> list[str]:
    count = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))  # fmt: skip
    return [
        subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"], capture_output=True,
                       text=True, check=True).stdout
        for n in range(1, count + 1)
    ]  # fmt: skip


def test_libreoffice_prints_every_sheet_one_page_wide(written, tmp_path: Path) -> None:
    """Each sheet alone, converted by LibreOffice headless to PDF: every page of a table sheet carries the
    whole header row (the first and the last header; repeated on each page), so no column spilled onto a
    page of its own; the cover is one page wide too. Skipped only off CI when soffice is absent."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs LibreOffice (libreoffice-calc) and poppler-utils: see .ci/run")
        pytest.skip("LibreOffice or poppler-utils not installed")
    path, _ = written
    for name in load_workbook(path).sheetnames:
        book = load_workbook(path)
        for other in [s for s in book.sheetnames if s != name]:
            book.remove(book[other])
        single = tmp_path / f"{name.replace(' ', '_')}.xlsx"
        book.save(single)
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(single)],
                       capture_output=True, check=True, timeout=180)  # fmt: skip
        pages = _pdf_pages(single.with_suffix(".pdf"))
        if name == "Cover":
            assert "Parameter hash" in pages[0] and all("Description" in p or "Contents" in p or p for p in pages)
            continue
        sheet = book[name]
        headers = [c.value for c in sheet[header_row(sheet)] if c.value]
        first, last = headers[0], headers[-1].split()[-1]
        for number, page in enumerate(pages, start=1):
            assert first in page and last in page, f"{name}, page {number} of {len(pages)}: not one page wide"
