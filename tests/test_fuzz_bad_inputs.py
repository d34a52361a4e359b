"""Nothing a user types can crash, hang or fool tpmodel (issue 10): generated bad inputs, tried as a user would.

`tests/bad_inputs/fuzz.py` generates, from a fixed seed, well over a thousand bad inputs in seven families
(scenario files, --set, data files, defaults.yaml, command-line misuse of every command, sizes over their
limits, text fields). Each must give exit status 2, one message of at most three lines on standard error,
no traceback, nothing written (the case's folder is as it was), within 10 s.

By default a sample of FAST_SAMPLE cases runs (every family in proportion); the whole set runs with

    TPMODEL_FUZZ=all python -m pytest -q tests/test_fuzz_bad_inputs.py
"""

from __future__ import annotations

import os

import pytest

from .bad_inputs import fuzz

FAST_SAMPLE = 300
ALL = fuzz.cases()
CHOSEN = ALL if os.environ.get("TPMODEL_FUZZ") == "all" else fuzz.sample(ALL, FAST_SAMPLE)


def test_the_generator_covers_every_family_with_enough_cases():
    families = {case.family for case in ALL}
    assert families == {"scenario", "set", "csv", "defaults", "cli", "text", "limits"}
    assert len(ALL) >= 1000 and len({case.id for case in ALL}) == len(ALL)
    assert len(fuzz.sample(ALL, FAST_SAMPLE)) >= FAST_SAMPLE
    assert [case.id for case in fuzz.cases()] == [case.id for case in ALL], "the same cases for the same seed"


@pytest.mark.parametrize("case", CHOSEN, ids=[case.id for case in CHOSEN])
def test_a_bad_input_exits_2_with_one_short_message_and_writes_nothing(case, tmp_path):
    outcome = fuzz.run_case(case, tmp_path)
    broken = fuzz.failures(case, outcome)
    assert not broken, f"{case.id}: {'; '.join(broken)}\nstderr: {outcome.stderr[-2000:]}"
