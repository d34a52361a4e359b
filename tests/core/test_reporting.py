"""Spec 5.5 reporting burden, councils only, worked by hand.

Agencies (council, nhs). Mapping of indicators: 2009: 198, 2011: 150, 2013: 100.
"""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from tpmodel.core.reporting import indicators_in_force, reporting

from .worlds import by_place, by_year, cell, reporting_lever

KNOWN = np.array([2009, 2011, 2013])
COUNTS = np.array([[198.0, 150.0, 100.0]])


def test_indicators_are_a_step_function():
    """2010 -> 198 (latest key 2009), 2011, 2012 -> 150, 2013, 2014 -> 100."""
    in_force = indicators_in_force(KNOWN, COUNTS, np.arange(2010, 2015))
    assert_allclose(in_force, [[198, 150, 150, 100, 100]])


def test_gross_by_hand_times_local_authorities_councils_only():
    """Years 2010-2012, base = N[2009] = 198, indicators in force given as 198, 150, 100.
    cost_per_indicator 0.01, n_la = (2, 5):
    place 0 council: (198 - N) * 0.01 * 2 = 0, 0.96, 1.96; place 1: 0, 2.4, 4.9; nhs 0 everywhere."""
    lever = reporting_lever(indicators=by_year(198, 150, 100), base=198.0)
    gross = reporting(np.array([2.0, 5.0]), 2, lever)
    assert_allclose(gross[0, :, 0], [[0, 0.96, 1.96], [0, 2.4, 4.9]])
    assert not gross[0, :, 1].any()


def test_base_is_the_count_of_the_year_before_the_first_year():
    """first_year 2012: base = N[2011] = 150 (not N[2009] = 198). Years 2012-2014: N = 150, 100, 100.
    One place, n_la 1, cost 0.01: gross = 0, 0.5, 0.5."""
    first_year = 2012
    base = indicators_in_force(KNOWN, COUNTS, np.array([first_year - 1]))
    assert_allclose(base, [[150]])
    in_force = indicators_in_force(KNOWN, COUNTS, np.arange(first_year, 2015))
    lever = reporting_lever(indicators=in_force[:, None, None, :], base=base[:, :, None, None])
    gross = reporting(np.array([1.0]), 2, lever)
    assert_allclose(gross[0, 0, 0], [0, 0.5, 0.5])


def test_rising_indicators_give_a_negative_gross_not_clipped():
    """base 198, N = 198, 210: (198 - 210) * 0.01 * 2 = -0.24 in the second year."""
    lever = reporting_lever(indicators=by_year(198, 210), base=198.0)
    assert_allclose(reporting(np.array([2.0]), 2, lever)[0, 0, 0], [0, -0.24])


def test_cost_per_indicator_by_place():
    """base 100, N = 90 in the one year; cost 0.01 and 0.03 by place, n_la 1 and 2: 0.1 and 0.6."""
    lever = reporting_lever(indicators=cell(90), base=100.0, cost_per_indicator=by_place(0.01, 0.03))
    gross = reporting(np.array([1.0, 2.0]), 3, lever)
    assert_allclose(gross[0, :, 0, 0], [0.1, 0.6])
    assert not gross[0, :, 1:].any()
