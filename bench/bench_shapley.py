"""Benchmark: Shapley values of the five levers (issue 12 item 5; goal < 2 s).

    python bench/bench_shapley.py

Times `tpmodel.analyses.shapley.shapley` for `standard` and `single_offer` (loader, the 32 on/off
combinations in one engine call, the Shapley sums), best of 5 after a warm-up, and the engine call
alone.
"""

from __future__ import annotations

from pathlib import Path

from timing import best

ROOT = Path(__file__).resolve().parent.parent
PARAMS = ROOT / "params"
GOAL_SECONDS = 2.0


def main() -> None:
    from tpmodel.analyses.shapley import coalition_values, shapley
    from tpmodel.model import load_run_inputs

    for scenario in ("standard", "single_offer"):
        shapley(scenario, params_dir=PARAMS)  # warm up
        whole = best(lambda s=scenario: shapley(s, params_dir=PARAMS))
        resolved, places = load_run_inputs(scenario, params_dir=PARAMS)
        engine = best(lambda r=resolved, p=places: coalition_values(r, p))
        verdict = "ok" if whole < GOAL_SECONDS else "TOO SLOW"
        print(f"shapley({scenario!r}): {whole * 1000:.0f} ms with the loader, {engine * 1000:.0f} ms for the "
              f"32 combinations (goal < {GOAL_SECONDS:.0f} s: {verdict})")  # fmt: skip


if __name__ == "__main__":
    main()
