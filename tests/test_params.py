"""Parameter resolution (spec section 10): defaults, extends chains, dotted set paths, validation."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tpmodel.errors import InputError
from tpmodel.params import load_specs, override, resolve, scenario_names

from .conftest import PARAMS, ROOT


def write(params: Path, name: str, text: str) -> None:
    (params / "scenarios" / f"{name}.yaml").write_text(text)


def test_every_default_has_description_unit_and_source():
    specs = load_specs(PARAMS / "defaults.yaml")
    assert len(specs) >= 50
    for path, spec in specs.items():
        assert spec.description and spec.unit and spec.source, path
        assert spec.source.startswith("assumption:") or any(
            cite in spec.source for cite in ("research/", "seed", "spec/")
        ), f"{path}: source must cite research/, a seed or say 'assumption:'"


def test_engine_parameters_are_exactly_the_defaults():
    """The engine inputs read every parameter of defaults.yaml (but the horizon, the deflator and the
    choices that are not numbers), and no leaf that is not there: leaves are recorded as they are read."""
    from tpmodel.engine_inputs import central_leaf, engine_inputs
    from tpmodel.model import load_run_inputs

    read: set[str] = set()

    def recording(path, value, integer):
        read.add(path)
        return central_leaf(path, value, integer)

    resolved, places = load_run_inputs("standard", params_dir=PARAMS)
    engine_inputs(resolved, places, recording)
    specs = load_specs(PARAMS / "defaults.yaml")
    numeric = {
        path for path, spec in specs.items() if spec.numeric and not path.startswith(("horizon.", "presentation."))
    }
    parameters_read = {path for path in specs if any(leaf == path or leaf.startswith(path + ".") for leaf in read)}
    assert parameters_read == numeric
    assert all(any(leaf == p or leaf.startswith(p + ".") for p in numeric) for leaf in read)


def test_every_shipped_scenario_resolves_with_a_description():
    names = scenario_names(PARAMS)
    for required in ("baseline", "standard", "cautious", "ambitious", "single_offer",
                     "shared_services_only", "procurement_only", "pooling_only"):  # fmt: skip
        assert required in names
    for name in names:
        resolved = resolve(name, PARAMS)
        assert len(resolved.description) > 40, name


def test_path_into_a_single_number_expands_it(params_copy):
    """real_growth.council given as one number for every year: setting 2012 keeps the others."""
    write(params_copy, "flat", "name: flat\ndescription: d\nset:\n  baseline.real_growth: -0.02\n")
    write(params_copy, "child", "name: child\ndescription: d\nextends: flat\nset:\n"
          "  baseline.real_growth.council.2012: -0.07\n")  # fmt: skip
    values = resolve("child", params_copy).values["baseline.real_growth"]
    assert values["council"] == {year: -0.07 if year == 2012 else -0.02 for year in range(2009, 2020)}
    assert values["nhs"] == -0.02 and values["other"] == -0.02


def test_path_into_agency_mapping_and_parent_applied_first(params_copy):
    write(params_copy, "parent", "name: parent\ndescription: d\nset:\n  shared_services.participation: 0.4\n"
          "  shared_services.max_rate: 0.1\n")  # fmt: skip
    write(params_copy, "kid", "name: kid\ndescription: d\nextends: parent\nset:\n"
          "  shared_services.participation.nhs: 0.9\n  shared_services.max_rate: 0.3\n")  # fmt: skip
    resolved = resolve("kid", params_copy, sets=["shared_services.max_rate=0.25"])
    assert resolved.values["shared_services.participation"] == {
        "council": 0.4, "nhs": 0.9, "police": 0.4, "fire": 0.4, "jobcentre": 0.4, "other": 0.4,
    }  # fmt: skip
    assert resolved.values["shared_services.max_rate"] == 0.25  # --set comes last
    assert "kid.yaml" in resolved.where("shared_services.participation")


def test_missing_year_in_growth_mapping_means_zero(params_copy):
    from tpmodel.engine_inputs import engine_inputs
    from tpmodel.model import load_run_inputs

    write(params_copy, "g", "name: g\ndescription: d\nset:\n  baseline.real_growth: {council: {2011: 0.1}}\n")
    resolved, places = load_run_inputs("g", params_dir=params_copy)
    growth = engine_inputs(resolved, places).real_growth  # (draw, place, agency, year 2010 .. 2019)
    assert growth.shape == (1, 1, 6, 10)
    assert growth[0, 0, 0].tolist() == [0.0, 0.1] + [0.0] * 8
    assert not growth[0, 0, 1:].any()


def test_scalar_indicators_means_constant(params_copy):
    from tpmodel.engine_inputs import engine_inputs
    from tpmodel.model import load_run_inputs

    write(params_copy, "i", "name: i\ndescription: d\nset:\n  reporting.indicators: 150\n")
    resolved, places = load_run_inputs("i", params_dir=params_copy)
    reporting = engine_inputs(resolved, places).reporting
    assert reporting.base.ravel().tolist() == [150.0]
    assert reporting.indicators.ravel().tolist() == [150.0] * 10


def test_indicators_step_function(params_copy):
    from tpmodel.engine_inputs import engine_inputs
    from tpmodel.model import load_run_inputs

    write(params_copy, "i", "name: i\ndescription: d\nset:\n  reporting.indicators: {2009: 198, 2012: 100}\n")
    resolved, places = load_run_inputs("i", params_dir=params_copy)
    reporting = engine_inputs(resolved, places).reporting
    assert reporting.base.ravel().tolist() == [198.0]
    assert reporting.indicators.ravel().tolist() == [198, 198, 100, 100, 100, 100, 100, 100, 100, 100]


def test_indicators_need_a_year_before_the_first_model_year():
    with pytest.raises(InputError, match="no year <= 2009"):
        resolve("standard", PARAMS, sets=["reporting.indicators={2010: 170}"])


def test_override_revalidates_and_collects_every_problem():
    resolved = resolve("standard", PARAMS)
    with pytest.raises(InputError) as caught:
        override(resolved, {"shared_services.max_rate": 3, "pooling.drop_off": -1})
    assert len(caught.value.problems) == 2
    changed = override(resolved, {"pooling.drop_off": 0.5})
    assert changed.values["pooling.drop_off"] == 0.5
    assert resolved.values["pooling.drop_off"] != 0.5, "the original stays as it was"


def test_bounds_may_name_another_parameter():
    with pytest.raises(InputError, match=r"must be >= horizon.first_year \(2012\)") as caught:
        resolve("standard", PARAMS, sets=["horizon.first_year=2012", "horizon.last_year=2016"])
    assert len(caught.value.problems) == 1, "the cause, once, not each start year at its default"
    assert caught.value.problems[0].path == "horizon.first_year" and "shared_services.start_year" in str(caught.value)
    with pytest.raises(InputError, match=r">= 2012"):
        resolve("standard", PARAMS, sets=["horizon.first_year=2012", "shared_services.start_year=2011"])
    ok = resolve("standard", PARAMS, sets=["horizon.last_year=2016"])
    assert list(ok.years) == [2010, 2011, 2012, 2013, 2014, 2015, 2016]


def test_horizon_cannot_be_uncertain():
    with pytest.raises(InputError, match="horizon cannot be uncertain"):
        resolve("standard", PARAMS, sets=["horizon.last_year={dist: uniform, low: 2013, high: 2015}"])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{dist: pert, low: 0.3, mode: 0.2, high: 0.4}", "low <= mode <= high"),
        ("{dist: normal, mean: 0.2, sd: 0.1}", "truncate it with low/high"),
        ("{dist: normal, mean: 0.2, sd: 0}", "sd > 0"),
        ("{dist: uniform, low: 0.3, high: 0.3}", "low < high"),
        ("{dist: lognormal, median: 0.2, sigma: 0.5}", "lognormal distribution reaches outside"),
        ("{dist: triangular, low: 0.1, high: 0.3}", "needs low, mode, high"),
    ],
)
def test_distribution_checks(value, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        resolve("standard", PARAMS, sets=[f"shared_services.max_rate={value}"])


def test_core_imports_numpy_and_math_only():
    """The core stays pure: no files, pandas, yaml or printing."""
    for path in (ROOT / "tpmodel" / "core").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""] if node.level == 0 else []
            else:
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("print", "open"):
                    pytest.fail(f"{path.name} calls {node.func.id}")
                continue
            for name in names:
                assert name.split(".")[0] in ("numpy", "math", "__future__", "typing", "collections",
                                              "dataclasses"), f"{path.name} imports {name}"  # fmt: skip


def test_exponent_without_a_dot_is_a_number():
    """YAML 1.1 would read 5e-4 as text; an economist means a number."""
    resolved = resolve("standard", PARAMS, sets=["reporting.cost_per_indicator=5e-4", "procurement.setup_cost=1E+0"])
    assert resolved.values["reporting.cost_per_indicator"] == 0.0005
    assert resolved.values["procurement.setup_cost"] == 1.0


def test_model_parameters_table_follows_defaults_yaml():
    """The parameters the model needs (schema.MODEL_PARAMETERS) are those of params/defaults.yaml, with their types."""
    from tpmodel.params.schema import MODEL_PARAMETERS

    specs = load_specs(PARAMS / "defaults.yaml")
    assert {
        path: spec.type + (f"/{spec.index}" if spec.index else "") for path, spec in specs.items()
    } == MODEL_PARAMETERS


@pytest.mark.parametrize("scenario", ["standard", "single_offer", "cautious"])
def test_a_leaf_checked_alone_gives_what_the_whole_validation_gives(scenario):
    """`leaf_problems` (how a sweep checks each varied value) reports exactly what `override` and the
    whole validation report, for every leaf it answers for, and leaves the others to them."""
    from tpmodel.params import leaf_problems, leaves

    resolved = resolve(scenario)
    values = [-1e9, -1, -0.5, 0, 0.25, 0.999, 1, 1.5, 3, 2009, 2010, 2015, 2019, 2030, 1e12, float("nan"), float("inf")]
    answered, left = set(), set()
    for path, spec in resolved.specs.items():
        if not spec.numeric:
            continue
        for leaf, _ in leaves(path, resolved.values[path]):
            for value in values:
                value = int(value) if spec.type == "integer" and float(value).is_integer() else value
                quick = leaf_problems(resolved, leaf, value, "--vary")
                if quick is None:
                    left.add(path)
                    continue
                answered.add(path)
                try:
                    override(resolved, {leaf: value}, file="--vary")
                    whole = []
                except InputError as error:
                    whole = error.problems
                assert quick == whole, (leaf, value)
    assert len(answered) > 30
    cross = {"pooling.benefit_share", "reporting.indicators", "single_offer.start_year", "horizon.last_year",
             "appraisal.shared_services.deadweight", "baseline.real_growth"}  # fmt: skip
    assert cross <= left and not cross & answered
