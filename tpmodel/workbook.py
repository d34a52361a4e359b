"""Excel workbooks (openpyxl) to the government's accessible-spreadsheet conventions.

`write_comparison_workbook` writes comparison.xlsx: a cover sheet (title, what the workbook holds,
the scenarios with their descriptions and parameter hashes, provenance, units, a contents list of
sheets), then one sheet a table: the headline figures a manager reads first, npv by lever, agency and
place, net by year, the single offer, and with draws the Monte Carlo ranges and probabilities.

Every table sheet has its title in A1 and short notes below it, one a row; then, after a blank row, the
table with a real table header (an Excel table, `openpyxl.worksheet.table.Table`, with bold wrapped
headers), display names (`tpmodel.labels`), numbers as numbers with number formats (GBP m to one decimal
with thousands separators, shares as percentages, ratios to two decimals), years as text ("2012-13"),
columns fitted to their content, wrapped description cells, frozen panes below the header and right of
the first column, and a print setup: landscape A4, one page wide, the header row repeated on every page.

openpyxl stores a number with 16 significant digits, so a workbook figure can differ from the CSV's
(17 digits, round-trip) in the last digit (1e-16 relative). Text that a spreadsheet could take for a
formula (starting with =, +, -, @) is written as a text cell with a leading quote, as in the CSV files
(`files.safe_text`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .files import safe_text
from .labels import figure_label, financial_year, label
from .version import __version__

if TYPE_CHECKING:
    from .analyses.compare import Comparison

TEXT_COLUMNS = {"scenario", "description", "place", "name", "agency", "lever", "measure", "parameter"}
_UNIT_RULES = (
    (re.compile(r"^bcr(_|$)"), "ratio"),
    (re.compile(r"^payback_year(_|$)"), "year"),
    (re.compile(r"^(probability|share_of)_"), "share"),
    (
        re.compile(
            r"^(npv|pv_receipts|net|cumulative_net|cashable|retained|exchequer|target|shortfall|total_cashable)(_|$)"
        ),
        "GBP m",
    ),
)

#: Number formats by unit.
FORMATS: dict[str, str] = {
    "GBP m": "#,##0.0;-#,##0.0;0.0",
    "share": "0.0%",
    "ratio": "0.00",
    "year": "0.0",  # a Monte Carlo statistic of a year (a central payback year is text: "2013-14")
    "count": "#,##0",
}
MONEY_UNITS = "GBP million (GBP m) at 2010-11 prices"
LINE_HEIGHT = 15  # points: the height of one line of wrapped text
HEADER_FILL = "DDE4EE"
WIDEST = 60  # characters: a wider column (a description) wraps
DESCRIPTION_WIDTH = 70


def unit_of(column: str, default: str | None = None) -> str | None:
    """Unit of a column by its name (npv..., net_... GBP m; bcr ratio; payback_year year; probability_... share),
    else `default`; None for text columns."""
    if column in TEXT_COLUMNS:
        return None
    for pattern, unit in _UNIT_RULES:
        if pattern.search(column):
            return unit
    return default


def header(column: Any, default: str | None = None) -> str:
    """A column header with its unit: `npv [GBP m]`."""
    unit = unit_of(str(column), default)
    return f"{column} [{unit}]" if unit else str(column)


def cell_value(value: Any) -> Any:
    """A cell: finite numbers as numbers, NaN and None empty, numpy scalars unwrapped, text formula-safe."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str):
        return safe_text(value)
    return value


# ---------------------------------------------------------------- sheets


@dataclass
class Sheet:
    """One table sheet: its name (at most 31 characters), an optional title and note above the table,
    the table (headers as people read them), and how to show it.

    notes: short lines below the title, one a row (a line wider than the table would widen the printed
    page); formats: header -> number format (`FORMATS`); row_formats: one number format per row, for a
    table whose rows have different units (applied to every numeric cell of the row); wrap: headers whose
    cells wrap (descriptions); description: the sheet's line in the cover's contents list."""

    name: str
    table: pd.DataFrame
    title: str | None = None
    notes: Sequence[str] = ()
    formats: dict[str, str] = field(default_factory=dict)
    row_formats: list[str] | None = None
    wrap: set[str] = field(default_factory=set)
    description: str = ""
    right: set[str] = field(default_factory=set)  # text columns aligned right, as numbers are (years)


def _shown(value: Any, number_format: str | None) -> str:
    """Roughly what a spreadsheet shows for a cell, for fitting the column width."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if number_format and "%" in number_format:
        return f"{value:.1%}"
    if number_format and "#,##0.0" in number_format:
        return f"{value:,.1f}"
    if number_format == "0.00":
        return f"{value:.2f}"
    return f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"


def _width(head: str, cells: Sequence[str], wrap: bool) -> float:
    """A column's width in characters: its widest cell, and the header's longest word (headers wrap)."""
    if wrap:
        return DESCRIPTION_WIDTH
    widest = max([len(text) for text in cells] + [max(len(w) for w in head.split()) if head.split() else 0])
    widest = max(widest, min(len(head), 20), 8)  # a short header stays on one line
    return min(WIDEST, widest + 3)


def _lines(text: str, width: float) -> int:
    """How many lines `text` takes wrapped in a column `width` characters wide (words kept whole)."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > width * 1.25 - 2:  # a column holds ~1.25 characters of text a unit
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


def _write_table_sheet(book: Any, sheet_spec: Sheet, number: int) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    sheet = book.create_sheet(sheet_spec.name[:31])
    table = sheet_spec.table
    top = 1
    if sheet_spec.title is not None:
        sheet.cell(1, 1, sheet_spec.title).font = Font(bold=True, size=14)
        for row, note in enumerate(sheet_spec.notes, start=2):
            sheet.cell(row, 1, note)
        top = len(sheet_spec.notes) + 3
    headers = [str(cell_value(str(column))) for column in table.columns]
    numeric = [pd.api.types.is_numeric_dtype(table[column]) for column in table.columns]
    for c, head in enumerate(headers, start=1):
        cell = sheet.cell(top, c, head)
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)  # the header reads as one in any program
        cell.border = Border(bottom=Side(style="thin"))
        right = numeric[c - 1] or head in sheet_spec.right
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="right" if right else "left")
    shown: list[list[str]] = [[] for _ in headers]
    for r, row in enumerate(table.itertuples(index=False, name=None), start=top + 1):
        row_format = sheet_spec.row_formats[r - top - 1] if sheet_spec.row_formats else None
        for c, (column, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            cell = sheet.cell(r, c, cell_value(value))
            number_format = sheet_spec.formats.get(str(column)) or row_format
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
            elif cell.value is not None and number_format:
                cell.number_format = number_format
            if str(column) in sheet_spec.wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top", indent=1)
            else:
                cell.alignment = Alignment(
                    vertical="top", horizontal="right" if str(column) in sheet_spec.right else None
                )
            shown[c - 1].append(_shown(cell.value, number_format))
    # a text wider than WIDEST wraps, as descriptions do
    wrapped = {c for c, head in enumerate(headers) if head in sheet_spec.wrap or max(map(len, shown[c]), default=0)
               > WIDEST - 3}  # fmt: skip
    widths = [_width(head, shown[c], head in sheet_spec.wrap) for c, head in enumerate(headers)]
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
        if c - 1 in wrapped:
            for cell in sheet.iter_rows(min_row=top + 1, min_col=c, max_col=c):
                cell[0].alignment = Alignment(wrap_text=True, vertical="top", indent=1)
    # Spreadsheet programs do not all grow a row to its wrapped text: the rows are given their height.
    sheet.row_dimensions[top].height = LINE_HEIGHT * max(_lines(h, w) for h, w in zip(headers, widths, strict=True))
    for r in range(len(table)):
        lines = [_lines(shown[c][r], widths[c]) for c in wrapped]
        if lines and max(lines) > 1:
            sheet.row_dimensions[top + 1 + r].height = LINE_HEIGHT * max(lines)
    last = get_column_letter(len(headers))
    if len(table):
        ref = f"A{top}:{last}{top + len(table)}"
        excel_table = Table(displayName=f"Table{number}", ref=ref)
        excel_table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        sheet.add_table(excel_table)
    sheet.freeze_panes = f"B{top + 1}"
    _print_setup(sheet, f"{top}:{top}")


def _print_setup(sheet: Any, title_rows: str | None) -> None:
    """Landscape A4, scaled to one page wide (as many pages tall as needed), the header row repeated."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        sheet.print_title_rows = title_rows


def write_sheets(path: Path, sheets: Sequence[Sheet], cover: Sequence[tuple[str, Any]] | None = None) -> None:
    """Write the workbook: with `cover` (a list of (kind, content), see `_write_cover`), a cover sheet first
    whose contents list names every sheet; then one sheet per `Sheet`."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    if cover is not None:
        _write_cover(book, cover, sheets)
    for number, sheet in enumerate(sheets, start=1):
        _write_table_sheet(book, sheet, number)
    book.save(path)


def _write_cover(book: Any, parts: Sequence[tuple[str, Any]], sheets: Sequence[Sheet]) -> None:
    """The cover sheet, top down: ("title", text), ("heading", text), ("text", paragraph),
    ("pairs", [(name, value), ...]), ("rows", (headers, rows)); then "Contents": each sheet, linked, and
    its description."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    sheet = book.create_sheet("Cover")
    widths = (28, 90, 20)
    for letter, width in zip("ABC", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    contents = [(s.name[:31], s.description) for s in sheets]
    row = 1
    for kind, content in [*parts, ("heading", "Contents"), ("links", contents)]:
        if kind == "title":
            sheet.cell(row, 1, content).font = Font(bold=True, size=16)
        elif kind == "heading":
            row += 1
            sheet.cell(row, 1, content).font = Font(bold=True, size=12)
        elif kind == "text":  # a paragraph in the wide column B, no merged cells
            cell = sheet.cell(row, 2, content)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.row_dimensions[row].height = LINE_HEIGHT * _lines(content, widths[1])
        elif kind in ("pairs", "links"):
            for name, value in content:
                first = sheet.cell(row, 1, cell_value(name))
                second = sheet.cell(row, 2, cell_value(value))
                second.alignment = Alignment(wrap_text=True, vertical="top")
                sheet.row_dimensions[row].height = LINE_HEIGHT * _lines(str(value), widths[1])
                if kind == "links":
                    first.hyperlink = Hyperlink(ref=first.coordinate, location=f"'{name}'!A1")  # in the workbook
                    first.font = Font(underline="single", color="0563C1")
                row += 1
            continue
        elif kind == "rows":
            headers, rows = content
            for c, head in enumerate(headers, start=1):
                sheet.cell(row, c, head).font = Font(bold=True)
            for values in rows:
                row += 1
                for c, value in enumerate(values, start=1):
                    cell = sheet.cell(row, c, cell_value(value))
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                sheet.row_dimensions[row].height = LINE_HEIGHT * _lines(str(values[1]), widths[1])
        row += 1
    _print_setup(sheet, None)


def unit_sheet(name: str, table: pd.DataFrame, default: str | None = None, description: str = "") -> Sheet:
    """A sheet of a table whose columns are named for machines: headers with units (`header`), number
    formats by unit (`unit_of`), the table from A1."""
    shown = table.rename(columns={c: header(c, default) for c in table.columns})
    formats = {header(c, default): FORMATS[unit] for c in table.columns if (unit := unit_of(str(c), default))
               in FORMATS}  # fmt: skip
    return Sheet(name, shown, formats=formats, description=description)


def write_workbook(path: Path, sheets: Mapping[str, tuple[pd.DataFrame, str | None]]) -> None:
    """Write one sheet per (name -> (table, default unit)), the table from A1: headers with units
    (`header`), number formats by unit, fitted widths, a table header, frozen panes and print setup."""
    write_sheets(path, [unit_sheet(name, table, default) for name, (table, default) in sheets.items()])


def add_sheet(path: Path, name: str, table: pd.DataFrame, default: str | None = None, description: str = "") -> None:
    """Add one sheet (`unit_sheet`: headers with units, number formats, the table header, frozen panes,
    print setup) to an existing workbook, e.g. the Assurance sheet of a comparison
    (`tpmodel.assurance_pack.assurance_sheet`); a workbook with a cover gets a line for it in the contents."""
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    book = load_workbook(path)
    _write_table_sheet(book, unit_sheet(name, table, default, description), len(book.sheetnames) + 1)
    if "Cover" in book.sheetnames:
        cover = book["Cover"]
        row = cover.max_row + 1
        link = cover.cell(row, 1, name[:31])
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{name[:31]}'!A1")
        link.font = Font(underline="single", color="0563C1")
        cover.cell(row, 2, description or name).alignment = Alignment(wrap_text=True, vertical="top")
    book.save(path)


# ---------------------------------------------------------------- comparison.xlsx


def _with_unit(name: str, unit: str | None) -> str:
    return f"{name} [{unit}]" if unit == "GBP m" else name


def headline_sheet(comparison: Comparison) -> Sheet:
    """The figures a manager reads first, one row per scenario: NPV, with draws Expected NPV and
    P(NPV > 0), BCR, payback year (undiscounted, as text), PV of capital receipts, then the description."""
    rows = []
    for result in comparison.runs:
        h = result.headlines
        row: dict[str, Any] = {"Scenario": label("scenario", result.name), "NPV [GBP m]": h["npv"]}
        if comparison.draws:
            row["Expected NPV [GBP m]"] = result.monte_carlo["npv"]["mean"]
            row["P(NPV > 0)"] = result.monte_carlo["probability_npv_positive"]
        row["BCR"] = h["bcr"]
        row["Payback year (undiscounted)"] = financial_year(h["payback_year"]) if h["payback_year"] else "none"
        row["PV of capital receipts [GBP m]"] = h["pv_receipts"]
        row["Description"] = result.resolved.description
        rows.append(row)
    table = pd.DataFrame(rows)
    formats = {c: FORMATS["GBP m"] for c in table.columns if c.endswith("[GBP m]")}
    formats |= {"P(NPV > 0)": "0%", "BCR": FORMATS["ratio"]}
    notes = [
        f"{MONEY_UNITS}; NPV and PV discounted to 2010-11. BCR: benefits over costs, both discounted.",
        "Payback year: the first year from which cumulative net (capital receipts excluded) stays at or above 0.",
    ]
    if comparison.draws:
        notes.append(f"Expected NPV and P(NPV > 0) over {comparison.draws:,} Monte Carlo draws.")
    return Sheet("Comparison", table, "Headline figures by scenario", notes, formats, wrap={"Description"},
                 description="The headline figures of each scenario, with its description",
                 right={"Payback year (undiscounted)"})  # fmt: skip


def _money_sheet(name: str, table: pd.DataFrame, title: str, note: str, description: str) -> Sheet:
    formats = {c: FORMATS["GBP m"] for c in table.columns if pd.api.types.is_numeric_dtype(table[c])}
    return Sheet(name, table, title, [note], formats, description=description)


def comparison_sheets(comparison: Comparison) -> list[Sheet]:
    """Every sheet of comparison.xlsx after the cover."""
    money = f"{MONEY_UNITS}; NPV discounted to 2010-11."
    scenario = {name: label("scenario", name) for name in comparison.names}
    by_lever = comparison.by_lever.rename(index=scenario, columns=lambda c: label("lever", c))
    by_agency = comparison.by_agency.rename(index=scenario, columns=lambda c: label("agency", c))
    by_place = comparison.by_place.rename(index=scenario, columns=lambda c: label("place", c))
    years = comparison.net_by_year
    years = years.assign(scenario=years["scenario"].map(scenario), measure=years["measure"].str.capitalize())
    years = years.rename(columns={"scenario": "Scenario", "measure": "Measure"})
    years = years.rename(columns={c: financial_year(int(c)) for c in years.columns if str(c).isdigit()})
    sheets = [
        headline_sheet(comparison),
        _money_sheet("NPV by lever", by_lever.reset_index(names="Scenario"), "NPV by lever [GBP m]", money,
                     "NPV of each lever by scenario"),
        _money_sheet("NPV by agency", by_agency.reset_index(names="Scenario"), "NPV by agency (who benefits) [GBP m]",
                     money, "NPV of each agency by scenario"),
        _money_sheet("NPV by place", by_place.reset_index(names="Scenario"), "NPV by place [GBP m]", money,
                     "NPV of each place by scenario"),
        _money_sheet("Net by year", years, "Net and cumulative net by year, undiscounted [GBP m]",
                     f"{MONEY_UNITS}; not discounted; capital receipts included.",
                     "Net and cumulative net by financial year"),
    ]  # fmt: skip
    offer = comparison.single_offer
    if len(offer):
        offer = offer.assign(scenario=offer["scenario"].map(scenario), place=offer["place"].map(
            lambda p: label("place", p)))  # fmt: skip
        names = {"scenario": "Scenario", "place": "Place", "years": "Years of the offer"}
        names |= {key: f"{label('measure', key)} [GBP m]" for key in offer.columns if key not in names}
        sheet = _money_sheet("Single offer", offer.rename(columns=names), "Single offer, summed over the offer years",
                             f"{MONEY_UNITS}; not discounted.", "What each single-offer place retains")  # fmt: skip
        sheet.formats["Years of the offer"] = FORMATS["count"]
        sheets.append(sheet)
    if comparison.draws:
        sheets += monte_carlo_sheets(comparison)
    return sheets


def monte_carlo_sheets(comparison: Comparison) -> list[Sheet]:
    """The Monte Carlo ranges (one row per scenario and figure: mean and percentiles) and probabilities."""
    ranges, formats, chances = [], [], []
    for result in comparison.runs:
        mc = result.monte_carlo or {}
        name = label("scenario", result.name)
        for key, stats in mc.items():
            if isinstance(stats, Mapping) and "mean" in stats:
                unit = unit_of(key, "GBP m") or "GBP m"
                stats_ = {("Mean" if k == "mean" else k): v for k, v in stats.items()}
                ranges.append({"Scenario": name, "Figure": figure_label(key), "Unit": unit} | stats_)
                formats.append(FORMATS[unit])
        if mc:
            chances.append({"Scenario": name, "Event": "NPV > 0", "Probability": mc["probability_npv_positive"]})
            chances.append({"Scenario": name, "Event": "Payback within the appraisal",
                            "Probability": mc["share_of_draws_with_payback"]})  # fmt: skip
            for place, by_year in mc.get("probability_target_met", {}).items():
                for year, chance in by_year.items():
                    event = f"{label('place', place)} meets its single-offer target in {financial_year(int(year))}"
                    chances.append({"Scenario": name, "Event": event, "Probability": chance})
    draws = f"{comparison.draws:,} draws, seed {comparison.seed}"
    return [
        Sheet("Monte Carlo", pd.DataFrame(ranges), "Monte Carlo ranges of every headline figure",
              [f"{draws}: mean and percentiles (p5: 5th percentile).", "GBP m at 2010-11 prices.",
               "A payback year's statistics are years: 2013.4 is four tenths into 2013-14."], row_formats=formats,
              description="Mean and percentiles of every headline figure over the draws"),
        Sheet("Probabilities", pd.DataFrame(chances), "Monte Carlo probabilities", [f"Share of {draws}."],
              {"Probability": "0.0%"}, description="Chances of NPV > 0, payback and the single offer's targets"),
    ]  # fmt: skip


def comparison_cover(comparison: Comparison, sheets: Sequence[Sheet]) -> list[tuple[str, Any]]:
    """The cover's parts (`_write_cover`): title, what the workbook holds, the scenarios, provenance, units."""
    scenarios = [
        (label("scenario", r.name), r.resolved.description, r.summary()["provenance"]["parameters_sha256"][:16])
        for r in comparison.runs
    ]
    holds = (
        f"{len(comparison.runs)} scenarios of tpmodel, the Total Place savings model, side by side: each "
        "scenario's headline figures (NPV, BCR, payback year, PV of capital receipts), its NPV by lever, by "
        "agency and by place, and net savings by year"
        + (", the single offer's split" if any(s.name == "Single offer" for s in sheets) else "")
        + (", and Monte Carlo ranges and probabilities" if comparison.draws else "")
        + ". Each table is on its own sheet; comparison.csv and the run folders hold the same figures at full "
        "precision."
    )
    return [
        ("title", "Total Place savings: comparison of scenarios"),
        ("heading", "What this workbook holds"),
        ("text", holds),
        ("heading", "Scenarios"),
        ("rows", (("Scenario", "Description", "Parameter hash"), scenarios)),
        ("heading", "Provenance"),
        ("pairs", [
            ("tpmodel version", __version__),
            ("Seed", comparison.seed),
            ("Monte Carlo draws", comparison.draws or "none (central case only)"),
            ("Run time (UTC)", comparison.started),
            ("Parameter hash", "first 16 characters of the SHA-256 of the scenario's resolved parameters "
                               "(parameters_sha256 in its run folder's summary.json)"),
        ]),
        ("heading", "Units"),
        ("pairs", [
            ("Money", f"{MONEY_UNITS}; NPV and PV discounted to 2010-11 (Green Book, 3.5% by default)"),
            ("Years", "financial years: 2012-13 runs from April 2012 to March 2013"),
            ("Shares and probabilities", "percentages"),
        ]),
    ]  # fmt: skip


def write_comparison_workbook(comparison: Comparison, path: Path) -> None:
    """comparison.xlsx: the cover, then `comparison_sheets`."""
    sheets = comparison_sheets(comparison)
    write_sheets(path, sheets, comparison_cover(comparison, sheets))
