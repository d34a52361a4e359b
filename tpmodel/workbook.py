"""Excel workbooks (openpyxl): numbers as numbers, units in the headers, a frozen header row.

openpyxl stores a number with 16 significant digits, so a workbook figure can
differ from the CSV's (17 digits, round-trip) in the last digit (1e-16 relative).

Text that a spreadsheet could take for a formula (starting with =, +, -, @)
is written as a text cell with a leading quote, as in the CSV files
(`results.safe_text`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .files import safe_text

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


def write_workbook(path: Path, sheets: Mapping[str, tuple[pd.DataFrame, str | None]]) -> None:
    """Write one sheet per (name -> (table, default unit)): a bold, frozen header row with units, then the rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for name, (table, default) in sheets.items():
        sheet = book.create_sheet(name[:31])
        sheet.append([cell_value(header(column, default)) for column in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.itertuples(index=False, name=None):
            sheet.append([cell_value(v) for v in row])
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula
        sheet.freeze_panes = "B2"
        for i, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = min(40, max(10, len(header(column, default)) + 2))
    book.save(path)


def add_sheet(path: Path, name: str, table: pd.DataFrame, default: str | None = None) -> None:
    """Add one sheet (a bold, frozen header row with units, then the rows) to an existing workbook, e.g. the
    Assurance sheet of a comparison (`tpmodel.assurance_pack.assurance_sheet`)."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    book = load_workbook(path)
    sheet = book.create_sheet(name[:31])
    sheet.append([cell_value(header(column, default)) for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.itertuples(index=False, name=None):
        sheet.append([cell_value(v) for v in row])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
    sheet.freeze_panes = "B2"
    book.save(path)
