"""Places and base-year spend: `params/places.csv`, `params/spend.csv` -> arrays and labels (spec 10)."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .core.axes import AGENCIES, CATEGORIES, FloatArray
from .errors import InputError, Problem, fail

PLACE_COLUMNS = ("place", "name", "population", "local_authorities")
SPEND_COLUMNS = ("place", "agency", "category", "spend")


@dataclass(frozen=True)
class Places:
    """The places data: labels and arrays in place order."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    population: FloatArray  # (place,) [people]
    local_authorities: FloatArray  # (place,) n_la [count]
    base_spend: FloatArray  # (place, agency, category) S0 [GBP m, 2009-10, real 2010-11 prices]
    files: tuple[str, str]  # the places and spend files read


def _read_rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    file = str(path)
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header = tuple(reader.fieldnames or ())
            missing = [c for c in columns if c not in header]
            if missing:
                raise fail(file, "", f"missing column(s) {', '.join(missing)}; expected columns: {', '.join(columns)}")
            return list(reader)
    except FileNotFoundError:
        raise fail(file, "", "file not found") from None
    except UnicodeDecodeError:
        raise fail(file, "", "not a UTF-8 text CSV file") from None


def _number(text: str | None) -> float | None:
    try:
        value = float(text) if text is not None else math.nan
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def load_places(params_dir: Path) -> Places:
    """Read and check places.csv and spend.csv; every problem is reported at once."""
    places_file, spend_file = params_dir / "places.csv", params_dir / "spend.csv"
    problems: list[Problem] = []
    rows = _read_rows(places_file, PLACE_COLUMNS)
    ids: list[str] = []
    names: list[str] = []
    population: list[float] = []
    authorities: list[float] = []
    for line, row in enumerate(rows, start=2):
        where = f"line {line}"
        place = (row["place"] or "").strip()
        if not place or not place.replace("_", "").isalnum() or place != place.lower():
            problems.append(Problem(str(places_file), where, f"place id {place!r} must be a short lower-case id"))
        elif place in ids:
            problems.append(Problem(str(places_file), where, f"place {place!r} is listed twice"))
        people = _number(row["population"])
        count = _number(row["local_authorities"])
        if people is None or people <= 0:
            problems.append(
                Problem(str(places_file), f"{where}: population", f"{row['population']!r} must be a number > 0")
            )
        if count is None or count < 0 or count != int(count):
            problems.append(
                Problem(
                    str(places_file),
                    f"{where}: local_authorities",
                    f"{row['local_authorities']!r} must be a whole number >= 0",
                )
            )
        ids.append(place)
        names.append((row["name"] or place).strip())
        population.append(people or 0.0)
        authorities.append(count or 0.0)
    if not rows:
        problems.append(Problem(str(places_file), "", "no places"))
    spend = np.zeros((len(ids), len(AGENCIES), len(CATEGORIES)))
    seen: set[tuple[str, str, str]] = set()
    for line, row in enumerate(_read_rows(spend_file, SPEND_COLUMNS), start=2):
        where = f"line {line}"
        place, agency, category = (row[c].strip() for c in ("place", "agency", "category"))
        value = _number(row["spend"])
        bad = False
        if place not in ids:
            problems.append(
                Problem(
                    str(spend_file),
                    f"{where}: place",
                    f"unknown place {place!r}; places are those of {places_file.name}",
                )
            )
            bad = True
        if agency not in AGENCIES:
            problems.append(
                Problem(
                    str(spend_file), f"{where}: agency", f"unknown agency {agency!r}; allowed: {', '.join(AGENCIES)}"
                )
            )
            bad = True
        if category not in CATEGORIES:
            problems.append(
                Problem(
                    str(spend_file),
                    f"{where}: category",
                    f"unknown category {category!r}; allowed: {', '.join(CATEGORIES)}",
                )
            )
            bad = True
        if value is None or value < 0:
            problems.append(
                Problem(str(spend_file), f"{where}: spend", f"{row['spend']!r} must be a number >= 0 (GBP m)")
            )
            bad = True
        if (place, agency, category) in seen:
            problems.append(Problem(str(spend_file), where, f"a second row for {place}, {agency}, {category}"))
            bad = True
        seen.add((place, agency, category))
        if not bad:
            spend[ids.index(place), AGENCIES.index(agency), CATEGORIES.index(category)] = value
    if problems:
        raise InputError(problems)
    return Places(
        ids=tuple(ids),
        names=tuple(names),
        population=np.array(population),
        local_authorities=np.array(authorities),
        base_spend=spend,
        files=(str(places_file), str(spend_file)),
    )
