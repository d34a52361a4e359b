"""Benchmark: loading grows linearly with the number of places (issue 11).

    python bench/bench_loading.py               # prints the figures below

Writes parameter folders with 100, 400 and 1,000 generated places (the bundled
places repeated under new ids, with their spend and organisation rows) and
times `load_run_inputs("standard")` (scenario, places.csv, spend.csv,
organisations.csv, checks) and the central run on each, best of 5. Linear
means the time per place stays about the same from 100 to 1,000 places
(before the fix: 400 places 50 ms, 1,000 places 224 ms to load).
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path

from timing import best

ROOT = Path(__file__).resolve().parent.parent
PARAMS = ROOT / "params"
SIZES = (100, 400, 1_000)


def generated_params(folder: Path, places: int) -> Path:
    """A copy of params/ whose data files hold `places` places (the bundled ones cycled, ids numbered)."""
    target = folder / f"params_{places}"
    shutil.copytree(PARAMS, target)
    with (PARAMS / "places.csv").open(newline="", encoding="utf-8") as handle:
        bundled = list(csv.DictReader(handle))
    new_ids = {}
    rows = []
    for i in range(places):
        row = dict(bundled[i % len(bundled)])
        new_ids.setdefault(row["place"], []).append(f"{row['place']}_{i}")
        row["place"] = f"{row['place']}_{i}"
        rows.append(row)
    _write(target / "places.csv", rows)
    for name in ("spend.csv", "organisations.csv"):
        with (PARAMS / name).open(newline="", encoding="utf-8") as handle:
            data = list(csv.DictReader(handle))
        _write(target / name, [{**row, "place": new} for row in data for new in new_ids.get(row["place"], [])])
    return target


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    from tpmodel.model import load_run_inputs, run_central

    with tempfile.TemporaryDirectory() as folder:
        for places in SIZES:
            params = generated_params(Path(folder), places)
            load = best(lambda params=params: load_run_inputs("standard", params_dir=params))
            resolved, data = load_run_inputs("standard", params_dir=params)
            assert len(data.ids) == places
            central = best(lambda resolved=resolved, data=data: run_central(resolved, data))
            print(f"{places:>6,} places: load {load * 1e3:7.1f} ms ({load / places * 1e6:6.1f} us a place), "
                  f"central run {central * 1e3:7.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
