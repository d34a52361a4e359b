"""Spec 3 (baseline spend) and 4 (ramp), worked by hand."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from tpmodel.core.baseline import baseline_spend, growth_index
from tpmodel.core.ramp import ramp

from .worlds import by_place, by_year, cell


def test_growth_applies_from_2010_when_the_first_year_is_later():
    """first_year 2012; g = 0.1 (2010), -0.5 (2011), 0.2 (2012), 0 (2013).
    index 2012 = 1.1 * 0.5 * 1.2 = 0.66, index 2013 = 0.66 * 1 = 0.66 (not 1.2 and 1.2)."""
    index = growth_index(np.array([2012, 2013]), by_year(0.1, -0.5, 0.2, 0.0))
    assert_allclose(index, [[[[0.66, 0.66]]]])


def test_first_year_2009_is_the_base_year_spend():
    """first_year 2009, g = 0.1 (2010), 0.2 (2011); S0 = 50.
    S = 50, 50 * 1.1 = 55, 55 * 1.2 = 66."""
    years = np.array([2009, 2010, 2011])
    spend = baseline_spend(np.array([[50.0]]), growth_index(years, by_year(0.1, 0.2)))
    assert_allclose(spend, [[[[50.0, 55.0, 66.0]]]])


def test_growth_by_place_and_agency():
    """2 places, 2 agencies, years 2010-2011. S0 = [[100, 10], [40, 0]].
    g place 0: agency 0 = 0.1 then 0, agency 1 = -0.5 then -0.5; place 1: 0.25 both years, both agencies.
    S place 0: agency 0 = 110, 110; agency 1 = 5, 2.5. Place 1: agency 0 = 50, 62.5; agency 1 = 0, 0."""
    growth = np.array([[[0.1, 0.0], [-0.5, -0.5]], [[0.25, 0.25], [0.25, 0.25]]])[None]
    years = np.array([2010, 2011])
    spend = baseline_spend(np.array([[100.0, 10.0], [40.0, 0.0]]), growth_index(years, growth))
    assert_allclose(spend[0], [[[110, 110], [5, 2.5]], [[50, 62.5], [0, 0]]])


def test_ramp_by_hand():
    """start 2011, ramp_years 3, years 2010-2014: 0, 1/3, 2/3, 1, 1."""
    share = ramp(np.arange(2010, 2015), cell(2011), cell(3))
    assert_allclose(share[0, 0, 0], [0, 1 / 3, 2 / 3, 1, 1])


def test_ramp_of_one_year_is_a_step():
    """start 2012, ramp_years 1: 0, 0, 1, 1."""
    assert_allclose(ramp(np.arange(2010, 2014), cell(2012), cell(1))[0, 0, 0], [0, 0, 1, 1])


def test_ramp_by_place():
    """Place 0 starts 2010 over 2 years: 0.5, 1, 1. Place 1 starts 2012 over 4 years: 0, 0, 0.25."""
    share = ramp(np.arange(2010, 2013), by_place(2010, 2012), by_place(2, 4))
    assert_allclose(share[0, :, 0], [[0.5, 1, 1], [0, 0, 0.25]])


def test_ramp_starting_after_the_last_year_is_zero():
    """start 2015 with years 2010-2014: 0 in every year."""
    assert not ramp(np.arange(2010, 2015), cell(2015), cell(1)).any()
