"""Evidence grades and plausible ranges in params/defaults.yaml: every parameter graded, bad metadata refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tpmodel.errors import InputError
from tpmodel.params import EVIDENCE_GRADES, load_specs

from .conftest import PARAMS


def test_every_parameter_has_an_evidence_grade_with_a_reason():
    specs = load_specs(PARAMS / "defaults.yaml")
    assert len(specs) >= 75
    for path, spec in specs.items():
        assert spec.evidence in EVIDENCE_GRADES, path
        assert len(spec.evidence_reason) > 20, path
        if spec.source.startswith("assumption:"):
            assert spec.evidence == "assumption", f"{path}: an 'assumption:' source is graded assumption"


def test_plausible_ranges_hold_their_value_and_cite_a_source():
    specs = load_specs(PARAMS / "defaults.yaml")
    ranged = {path: spec for path, spec in specs.items() if spec.plausible}
    assert {"appraisal.discount_rate", "procurement.reference_volume", "pooling.drop_off"} <= set(ranged)
    for path, spec in ranged.items():
        low, high = spec.plausible
        assert low <= float(spec.default) <= high, path
        assert spec.plausible_source or "plausible" in spec.evidence_reason, path


def _edit(params: Path, old: str, new: str) -> None:
    path = params / "defaults.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


DISCOUNT = "    plausible: [0.03, 0.06]\n"
DISCOUNT_EVIDENCE = re.compile(r"    evidence: \{grade: strong, reason: \"the published Green Book rate[^\n]*\n")


@pytest.mark.parametrize(
    ("change", "path", "allowed"),
    [
        (lambda t: DISCOUNT_EVIDENCE.sub("", t, count=1), "appraisal.discount_rate", "missing 'evidence'"),
        (lambda t: t.replace("{grade: strong, reason: \"the published Green", "{grade: solid, reason: \"the published Green"),
         "appraisal.discount_rate.evidence", "strong | medium | weak | assumption"),
        (lambda t: t.replace("{grade: medium, reason: \"published estimates: the OEP's ~22%", "{grade: medium, reason: \"  "
                             "\", extra: \"published estimates: the OEP's ~22%"),
         "shared_services.max_rate.evidence", "reason: <why, from the source>"),
        (lambda t: t.replace(DISCOUNT, "    plausible: [0.04, 0.06]\n"), "appraisal.discount_rate.plausible",
         "must hold the value 0.035"),
        (lambda t: t.replace(DISCOUNT, "    plausible: [0.03, 1.5]\n"), "appraisal.discount_rate.plausible",
         "beyond the bounds min 0, max 1"),
        (lambda t: t.replace(DISCOUNT, "    plausible: 0.03\n"), "appraisal.discount_rate.plausible",
         "is not [low, high], two numbers"),
        (lambda t: t.replace(DISCOUNT, "    plausible: [0.03, 0.06]\n").replace(
            "plausible range from the Green Book's next band", "range from the Green Book's next band"),
         "appraisal.discount_rate.plausible", "say where the range comes from"),
        (lambda t: t.replace("    source: \"research/savings_evidence.md s.1 [1][6]: OEP",
                             "    plausible: [0.1, 0.3]\n    plausible_source: x\n    source: \"research/savings_evidence.md s.1 [1][6]: OEP"),
         "shared_services.max_rate.plausible", "only a parameter whose value is one fixed number"),
    ],
    ids=["missing", "unknown grade", "no reason", "range without value", "beyond max", "not a pair", "no source",
         "on a distribution"],
)  # fmt: skip
def test_bad_evidence_or_plausible_is_one_message_naming_the_file_path_and_what_is_allowed(
    params_copy, change, path, allowed
):
    defaults = params_copy / "defaults.yaml"
    defaults.write_text(change(defaults.read_text()))
    with pytest.raises(InputError) as error:
        load_specs(defaults)
    message = error.value.render()
    assert "defaults.yaml" in message and f"{path}:" in message and allowed in message, message
