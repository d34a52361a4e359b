"""Places and base-year spend: `params/places.csv`, `params/spend.csv` -> arrays and labels (spec 10)."""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .core.axes import AGENCIES, CATEGORIES, FloatArray
from .errors import InputError, Problem, fail
from .params.scenarios import MAX_NAME, text_problem

PLACE_COLUMNS = ("place", "name", "population", "local_authorities")  # and optional "group"
#: Largest data file read [bytes]; spend.csv is about 10 kB.
MAX_CSV_BYTES = 16 * 1024 * 1024
#: A place or group id: lower-case letters, digits and _, at most 64 characters.
PLACE_ID = re.compile(r"^[a-z0-9][a-z0-9_]{0,63}$")


@dataclass(frozen=True)
class Places:
    """The places data: labels and arrays in place order."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    population: FloatArray  # (place,) [people]
    local_authorities: FloatArray  # (place,) n_la [count]
    base_spend: FloatArray  # (place, agency, category) S0 [GBP m, 2009-10, real 2010-11 prices]
    files: tuple[str, ...]  # the data files read
    groups: tuple[str, ...] = ()  # (place,) group id, "" for none
    organisations: FloatArray = field(default_factory=lambda: np.ones((0, len(AGENCIES))))  # (place, agency) O

    @property
    def group_numbers(self) -> np.ndarray:
        """(place,) a number per group; a place with no group has a number of its own (spec 5.2)."""
        labels = [group or f"place:{place}" for place, group in zip(self.ids, self.groups, strict=True)]
        numbers = {label: i for i, label in enumerate(dict.fromkeys(labels))}
        return np.array([numbers[label] for label in labels], dtype=np.int64)

    @property
    def group_names(self) -> tuple[str, ...]:
        """The group ids in use, in order of first appearance."""
        return tuple(dict.fromkeys(group for group in self.groups if group))


def _read_rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a CSV file with `columns` (others allowed); a row must have as many fields as the header.
    A missing, unreadable, over-large, non-UTF-8 or malformed file is an `InputError` naming it."""
    file = str(path)
    try:
        if path.is_dir():
            raise fail(file, "", "is a folder, not a CSV file")
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise fail(file, "", f"file too large ({size:,} bytes; at most {MAX_CSV_BYTES:,})")
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = tuple(field.strip() for field in next(reader, []))
            missing = [c for c in columns if c not in header]
            if missing:
                raise fail(file, "", f"missing column(s) {', '.join(missing)}; expected columns: {', '.join(columns)}")
            rows = []
            for fields in reader:
                if fields and len(fields) != len(header):
                    raise fail(file, f"line {reader.line_num}",
                               f"{len(fields)} fields; expected {len(header)} ({', '.join(header)})")  # fmt: skip
                rows.append(dict(zip(header, fields, strict=False)) if fields else {})
            return [row for row in rows if row]
    except FileNotFoundError:
        raise fail(file, "", "file not found") from None
    except UnicodeDecodeError as error:
        raise fail(file, "", f"not UTF-8 text (byte {error.start}); save it as UTF-8 CSV") from None
    except csv.Error as error:
        line = f"line {reader.line_num}" if "reader" in locals() else ""
        raise fail(file, line, f"malformed CSV: {error}") from None
    except OSError as error:
        raise fail(file, "", f"cannot read the file ({error.strerror or error})") from None


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
    groups: list[str] = []
    seen: set[str] = set()  # a set, so that loading stays linear in places
    for line, row in enumerate(rows, start=2):
        where = f"line {line}"
        place = (row["place"] or "").strip()
        if not PLACE_ID.match(place):
            problems.append(Problem(str(places_file), where, f"place id {place!r} must be a short lower-case id "
                                    "(a-z, 0-9 and _, at most 64 characters)"))  # fmt: skip
        elif place in seen:
            problems.append(Problem(str(places_file), where, f"place {place!r} is listed twice"))
        seen.add(place)
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
        group = (row.get("group") or "").strip()
        if group and not PLACE_ID.match(group):
            problems.append(
                Problem(
                    str(places_file),
                    f"{where}: group",
                    f"group id {group!r} must be a short lower-case id (a-z, 0-9 and _), or empty for none",
                )
            )
        name_problem = text_problem(row["name"], MAX_NAME, False) if row["name"].strip() else None
        if name_problem:
            problems.append(Problem(str(places_file), f"{where}: name", name_problem))
        groups.append(group)
        ids.append(place)
        names.append((row["name"] or place).strip())
        population.append(people or 0.0)
        authorities.append(count or 0.0)
    if not rows:
        problems.append(Problem(str(places_file), "", "no places"))
    for group in sorted(set(groups) & set(ids)):
        problems.append(
            Problem(str(places_file), "group", f"group id {group!r} is also a place id; give the group another id")
        )
    if problems:  # spend.csv and organisations.csv name places by these ids: checked once they are right
        raise InputError(problems)
    spend = np.zeros((len(ids), len(AGENCIES), len(CATEGORIES)))
    kinds = {"place": _positions(ids), "agency": _positions(AGENCIES), "category": _positions(CATEGORIES)}
    for (place, agency, category), value in _keyed_rows(spend_file, kinds, "spend", "GBP m", problems):
        spend[kinds["place"][place], kinds["agency"][agency], kinds["category"][category]] = value
    organisations, organisations_file = _organisations(params_dir, ids, problems)
    if problems:
        raise InputError(problems)
    return Places(
        ids=tuple(ids),
        names=tuple(names),
        population=np.array(population),
        local_authorities=np.array(authorities),
        base_spend=spend,
        files=(str(places_file), str(spend_file), *organisations_file),
        groups=tuple(groups),
        organisations=organisations,
    )


def _organisations(params_dir: Path, ids: list[str], problems: list[Problem]) -> tuple[FloatArray, tuple[str, ...]]:
    """organisations.csv (spec 11): (place, agency) O [count]; a missing row means 1, and so does a
    missing file. Returns the counts and the file read (none when there is no file)."""
    counts = np.ones((len(ids), len(AGENCIES)))
    path = params_dir / "organisations.csv"
    if not path.exists():
        return counts, ()
    kinds = {"place": _positions(ids), "agency": _positions(AGENCIES)}
    for (place, agency), value in _keyed_rows(path, kinds, "organisations", "a count", problems):
        counts[kinds["place"][place], kinds["agency"][agency]] = value
    return counts, (str(path),)


def _positions(ids: Sequence[str]) -> dict[str, int]:
    """{id: position}: looking up a row's id takes the same time however many ids there are."""
    return {key: i for i, key in enumerate(ids)}


def _keyed_rows(
    path: Path, kinds: dict[str, dict[str, int]], column: str, unit: str, problems: list[Problem]
) -> Iterator[tuple[tuple[str, ...], float]]:
    """The good rows of a data file keyed by the columns of `kinds` (each with its allowed ids, {id: position}) with a
    number >= 0 in `column`; every bad row adds its problems (unknown id, bad number, a second row)."""
    file = str(path)
    seen: set[tuple[str, ...]] = set()
    for line, row in enumerate(_read_rows(path, (*kinds, column)), start=2):
        where = f"line {line}"
        keys = tuple(row[kind].strip() for kind in kinds)
        value = _number(row[column])
        found = [
            Problem(file, f"{where}: {kind}", _unknown(kind, key, allowed))
            for (kind, allowed), key in zip(kinds.items(), keys, strict=True)
            if key not in allowed
        ]
        if value is None or value < 0:
            found.append(Problem(file, f"{where}: {column}", f"{row[column]!r} must be a number >= 0 ({unit})"))
        if keys in seen:
            found.append(Problem(file, where, f"a second row for {', '.join(keys)}"))
        seen.add(keys)
        if len(found) > 1:  # one problem per row
            found = [
                Problem(file, where, "; ".join(f"{p.path[len(where) + 2 :] or 'row'}: {p.message}" for p in found))
            ]
        problems.extend(found)
        if not found and value is not None:
            yield keys, value


def _unknown(kind: str, key: str, allowed: Sequence[str]) -> str:
    if kind == "place":
        return f"unknown place {key!r}; places are those of places.csv"
    return f"unknown {kind} {key!r}; allowed: {', '.join(allowed)}"
