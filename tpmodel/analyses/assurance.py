"""The assurance pack of a run (Aqua Book): assumptions log, data log and verification record, as data.

`assumptions_log(result)` lists every parameter the scenario uses with its
value, source, evidence grade and its rank in the tornado (every numeric
parameter, `sensitivity.tornado`), weakly evidenced parameters that drive
the answer first. `data_log(result)` lists each data file read with its
SHA-256 and where it comes from. `verification_record(result, ...)` re-runs
quick checks on this run at the time of the report and reads the last record
the test suite wrote (`TEST_RECORD`), saying which passed, which failed and
which were not run. tpmodel/assurance_pack.py writes them (assurance.md and
the workbook's Assurance sheet).

Ordering of the assumptions log. A parameter "drives the answer" when its
tornado swing is at least `DRIVER_SHARE` (5%) of |central npv|. Weakly
evidenced drivers (grade weak or assumption) come first, then the other
drivers, then the rest, each by swing, largest first; parameters the tornado
does not vary come last.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.axes import LEVERS
from ..core.engine import simulate_outcome
from ..engine_inputs import engine_inputs, world_of
from ..model import RunResult
from ..params import default_params_dir
from ..version import __version__
from .sensitivity import tornado
from .uncertainty import evaluate, uncertain_leaves

#: A parameter whose tornado swing is at least this share of |central npv| drives the answer.
DRIVER_SHARE = 0.05
#: Where the test suite records its last session (tests/conftest.py), under the source tree's root.
TEST_RECORD = Path("outputs") / ".verification" / "tests.json"
#: The reference implementation of the specification, in a source checkout (not part of the package).
REFERENCE = Path("tests") / "reference_v2.py"
#: Where each data file comes from (params/README.md has the method and every figure's source).
DATA_SOURCES = {
    "places.csv": "the 13 Total Place pilots: populations, local authorities, groups (params/README.md s.1; "
    "research/total_place.md s.2, research/places.md)",
    "organisations.csv": "bodies of each agency serving each place in 2009-10 (params/README.md s.2; "
    "research/places.md)",
    "spend.csv": "base-year spend by place, agency and category, estimated by params/build_spend.py "
    "(params/README.md s.3; research/total_place.md s.6)",
    "defaults.yaml": "every parameter with its value, bounds, source and evidence grade (docs/parameters.md)",
}
#: Test files whose outcome the verification record reports, by check.
TEST_GROUPS = {
    "reference implementation (test suite)": ("test_reference.py", "test_reference_v2_self.py"),
    "invariants, spec 10 (test suite)": ("test_invariants.py",),
    "calibration (test suite)": ("test_calibration.py",),
}
GRADE_ORDER = {"assumption": 0, "weak": 1, "medium": 2, "strong": 3}


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def parameters_sha256(result: RunResult) -> str:
    """The hash of the resolved parameters, as in summary.json's provenance."""
    return str(result.summary()["provenance"]["parameters_sha256"])


def source_fingerprint(root: Path) -> str:
    """SHA-256 over the package's Python files and the parameter files under a source tree `root` (paths and
    bytes, sorted): the code and data a test session verified."""
    digest = hashlib.sha256()
    files = sorted([*(root / "tpmodel").rglob("*.py"), *(p for p in (root / "params").rglob("*") if p.is_file())])
    for path in files:
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def source_root() -> Path:
    """The source tree this package runs from (the folder holding tpmodel/ and params/)."""
    return Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------- assumptions log


def _shown(value: Any) -> str:
    return json.dumps(value, sort_keys=False, default=str)


def assumptions_log(result: RunResult, sensitivity: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per parameter of the scenario, in the order of `DRIVER_SHARE` (module docstring): parameter,
    value (as the scenario resolves it; distributions as given), own_values (places' own and the offer's
    freedoms), unit, evidence, evidence_reason, source, swing [GBP m: the largest tornado swing of its
    leaves], rank (1 = largest swing; empty when not varied), varied_by (distribution, plausible or not
    varied), drives_answer.

    sensitivity: a tornado table (`sensitivity.tornado`) to rank by; computed when not given."""
    resolved, places = result.resolved, result.places
    if sensitivity is None:
        sensitivity = tornado(resolved, places, uncertain_leaves(resolved))
    npv = abs(float(result.headlines["npv"]))
    own: dict[str, list[str]] = {}
    for place, by_path in resolved.place_settings.items():
        for path, layer in by_path.items():
            own.setdefault(path, []).extend(
                f"{s.leaf_id.split('.', 2)[2]} in {place}: {_shown(s.value)}" for s in layer
            )
    for path, layer in resolved.freedom_settings.items():
        own.setdefault(path, []).extend(f"single-offer freedom {s.leaf_id}: {_shown(s.value)}" for s in layer)
    rows = []
    for path, spec in resolved.specs.items():
        leaf_rows = sensitivity[sensitivity["parameter"].map(lambda leaf, p=path: _belongs(leaf, p))]
        varied = leaf_rows[leaf_rows["swing"].notna()]
        swing = float(varied["swing"].max()) if len(varied) else math.nan
        kinds = set(varied["range"]) if len(varied) else set()
        rows.append({
            "parameter": path, "value": _shown(resolved.values[path]), "own_values": "; ".join(own.get(path, [])),
            "unit": spec.unit, "evidence": spec.evidence, "evidence_reason": spec.evidence_reason,
            "source": spec.source, "swing": swing,
            "varied_by": " and ".join(sorted(kinds)) if kinds else "not varied",
            "drives_answer": bool(swing >= DRIVER_SHARE * npv) if not math.isnan(swing) else False,
        })  # fmt: skip
    table = pd.DataFrame(rows)
    table.insert(8, "rank", table["swing"].rank(ascending=False, method="min").astype("Int64"))
    weak = table["evidence"].isin(["weak", "assumption"])
    group = np.where(table["drives_answer"] & weak, 0, np.where(table["drives_answer"], 1, 2))
    group = np.where(table["swing"].isna(), 3, group)
    order = pd.DataFrame({"group": group, "swing": -table["swing"].fillna(0.0)})
    return table.loc[order.sort_values(["group", "swing"], kind="stable").index].reset_index(drop=True)


def _belongs(leaf: str, path: str) -> bool:
    """Whether a tornado leaf (`shared_services.participation.nhs`, `places.kent.assets.max_rate`,
    `single_offer.freedoms.<path>`) is a value of parameter `path`."""
    for prefix in ("places.", "single_offer.freedoms."):
        if leaf.startswith(prefix) and path != "single_offer.freedoms":
            rest = leaf[len(prefix) :]
            leaf = rest.split(".", 1)[1] if prefix == "places." else rest
    return leaf == path or leaf.startswith(path + ".")


# ---------------------------------------------------------------- data log


def data_log(result: RunResult) -> pd.DataFrame:
    """One row per file the run read: file, role (data, parameters or scenario), sha256, bytes, source."""
    params_dir = Path(result.places.files[0]).parent if result.places.files else default_params_dir()
    files = [Path(f) for f in result.places.files] + [params_dir / "defaults.yaml"]
    rows = [
        {"file": str(path), "role": "parameters" if path.suffix == ".yaml" else "data", "sha256": sha256_of(path),
         "bytes": path.stat().st_size, "source": DATA_SOURCES.get(path.name, "")}
        for path in files
    ]  # fmt: skip
    scenario = Path(result.resolved.file)
    if scenario.is_file() and scenario.resolve() not in {p.resolve() for p in files}:
        rows.append({"file": str(scenario), "role": "scenario", "sha256": sha256_of(scenario),
                     "bytes": scenario.stat().st_size, "source": result.resolved.description})  # fmt: skip
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- verification record


def _check(name: str, what: str, run: Callable[[], tuple[str, str]]) -> dict[str, str]:
    try:
        outcome, detail = run()
    except Exception as error:  # a check that cannot run is reported as such, never as passed
        outcome, detail = "failed", f"{type(error).__name__}: {error}"
    return {"check": name, "what": what, "outcome": outcome, "detail": detail}


def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def _identities(result: RunResult) -> tuple[str, str]:
    h = result.headlines
    npv = h["npv"]
    sums = {key: sum(h[key].values()) for key in ("npv_by_lever", "npv_by_agency", "npv_by_place")}
    table = result.results
    sums["results.csv pv_net"] = float(table.loc[table["measure"] == "pv_net", "value"].sum())
    bad = [f"{key} sums to {value:,.6f}" for key, value in sums.items() if not _close(value, npv)]
    return ("failed", "; ".join(bad)) if bad else ("passed", f"4 sums equal npv {npv:,.3f} to 1e-9")


#: Levers whose savings and costs scale with participation (spec 10: zero participation gives zero).
PARTICIPATING = ("shared_services", "procurement", "pooling", "assets")


def _invariants(result: RunResult) -> tuple[str, str]:
    resolved, places = result.resolved, result.places
    outcome = evaluate(resolved, places, {}, 1).headlines
    problems = []
    if not _close(float(outcome.npv[0]), result.headlines["npv"]):
        problems.append(f"the Monte Carlo engine's central npv {float(outcome.npv[0])} differs")
    inputs = engine_inputs(resolved, places)
    zeroed = {
        lever: dataclasses.replace(
            getattr(inputs, lever), participation=np.zeros_like(getattr(inputs, lever).participation)
        )
        for lever in PARTICIPATING
    }
    nothing = simulate_outcome(world_of(resolved, places), dataclasses.replace(inputs, **zeroed), 1)
    by_lever = dict(zip(LEVERS, nothing.headlines.npv_by_lever[0], strict=True))
    moved = [lever for lever in PARTICIPATING if by_lever[lever] != 0]
    if moved:
        problems.append(f"zero participation leaves a saving or cost in {', '.join(moved)}")
    if problems:
        return "failed", "; ".join(problems)
    return "passed", "central case = draw 0 of the Monte Carlo engine; zero participation gives zero for 4 levers"


def _reference(result: RunResult, scenario: str, sets: Sequence[str], params_dir: Path, root: Path) -> tuple[str, str]:
    path = root / REFERENCE
    if not path.is_file():
        return "not run", f"the reference implementation ({REFERENCE}) is not in this installation"
    spec = importlib.util.spec_from_file_location("tpmodel_reference_v2", path)
    module = sys.modules.setdefault(spec.name, importlib.util.module_from_spec(spec))  # type: ignore[union-attr]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    theirs = module.reference_run(params_dir, scenario, list(sets))
    table = result.results
    cells = table[table["lever"] != "single_offer"]
    keys = zip(cells["place"], cells["agency"], cells["lever"], cells["year"], cells["measure"], strict=True)
    wrong = sum(not _close(value, theirs.cells[key]) for key, value in zip(keys, cells["value"], strict=True))
    h = result.headlines
    wrong += sum(not _close(h[name], theirs.headlines[name]) for name in ("npv", "bcr", "pv_receipts", "payback_year"))
    if wrong or len(cells) != len(theirs.cells):
        return "failed", f"{wrong} figures differ from {REFERENCE} (of {len(cells)} cells and 4 headlines)"
    return "passed", f"every one of {len(cells)} cells and npv, bcr, pv_receipts, payback year agree to 1e-9"


def _calibration(result: RunResult, draws: int, seed: int) -> tuple[str, str]:
    from .calibration import calibrate, load_targets

    table = calibrate(result, load_targets(), draws, seed)
    inside = int(table["inside"].sum())
    outside = [f"{i} ({row.position})" for i, row in table.iterrows() if not row.inside]
    detail = f"{inside} of {len(table)} published figures inside the model's p5-p95 band ({draws} draws, seed {seed})"
    detail += f"; outside: {', '.join(outside)} (see notebooks/calibration.ipynb for why)" if outside else ""
    return ("passed" if not outside else "not met"), detail


def _test_record(root: Path) -> list[dict[str, str]]:
    record_file = root / TEST_RECORD
    if not record_file.is_file():
        detail = f"no test record ({TEST_RECORD}); run the test suite"
        return [{"check": name, "what": f"tests: {', '.join(files)}", "outcome": "not run", "detail": detail}
                for name, files in TEST_GROUPS.items()]  # fmt: skip
    record = json.loads(record_file.read_text(encoding="utf-8"))
    current = record.get("fingerprint") == source_fingerprint(root)
    rows = []
    for name, files in TEST_GROUPS.items():
        counts = {outcome: sum(record["files"].get(f, {}).get(outcome, 0) for f in files)
                  for outcome in ("passed", "failed", "skipped")}  # fmt: skip
        ran = counts["passed"] + counts["failed"]
        if not current:
            outcome = "stale"
        elif not ran:
            outcome = "not run"
        else:
            outcome = "failed" if counts["failed"] else "passed"
        detail = (f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped at "
                  f"{record['time']} (tpmodel {record['version']})")  # fmt: skip
        if not current:
            detail += "; the code or parameters have changed since: run the test suite again"
        rows.append({"check": name, "what": f"tests: {', '.join(files)}", "outcome": outcome, "detail": detail})
    return rows


def verification_record(
    result: RunResult,
    scenario: str | None = None,
    sets: Sequence[str] = (),
    params_dir: Path | str | None = None,
    calibration_draws: int = 200,
    seed: int = 1,
) -> pd.DataFrame:
    """Which checks passed: check, what, outcome (passed, failed, not met, not run, stale), detail.

    Re-run now, on this scenario: accounting identities; invariants (the central case through the Monte
    Carlo engine, zero participation); the reference implementation (tests/reference_v2.py, in a source
    checkout), every cell; calibration against the published figures (`calibration_draws` draws).
    Read from the test suite's last record (`TEST_RECORD`): the reference, invariant and calibration tests,
    "stale" when the code or parameters changed since it was written. scenario, sets: as the run was asked
    for (the reference resolves them itself); the reference is not run without `scenario`."""
    root = source_root()
    folder = Path(params_dir) if params_dir else default_params_dir()
    rows = [
        _check("accounting identities", "npv by lever, agency, place and the pv_net cells of results.csv sum to npv",
               lambda: _identities(result)),
        _check("invariants", "central case through both engines; zero participation gives zero",
               lambda: _invariants(result)),
        _check("reference implementation", f"every cell and headline against {REFERENCE} (spec v2, loop by loop)",
               (lambda: _reference(result, scenario, sets, folder, root)) if scenario is not None
               else (lambda: ("not run", "the scenario as asked for was not given"))),
        _check("calibration", "published figures (notebooks/calibration_targets.yaml) against the model's band",
               lambda: _calibration(result, calibration_draws, seed)),
    ]  # fmt: skip
    return pd.DataFrame(rows + _test_record(root))


def provenance_lines(result: RunResult) -> dict[str, str]:
    """Version, scenario file, parameter hash and run time of a run."""
    return {
        "tpmodel version": __version__,
        "scenario": f"{result.name} ({result.resolved.file})",
        "parameters sha256": parameters_sha256(result),
        "run time": str(result.started),
    }


def assurance_sheet(logs: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The rows of the workbook's Assurance sheet: each scenario's assumptions log with a scenario column
    (swing as npv_swing, so that the sheet's header carries its unit, GBP m)."""
    parts = [log.assign(scenario=name)[["scenario", *log.columns]].rename(columns={"swing": "npv_swing"})
             for name, log in logs.items()]  # fmt: skip
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
