"""Spec sections 2 (baseline) and 3 (ramp), worked by hand."""

import numpy as np
from numpy.testing import assert_allclose

from tpmodel.core.baseline import baseline_spend
from tpmodel.core.ramp import ramp

YEARS = np.array([2010, 2011, 2012, 2013, 2014])


def test_ramp_reaches_one_after_ramp_years():
    """start 2011, ramp 3 years: 2010 0; 2011 1/3; 2012 2/3; 2013 and 2014 capped at 1."""
    got = ramp(YEARS, np.array([2011.0]), np.array([3.0]))
    assert_allclose(got, [[0, 1 / 3, 2 / 3, 1, 1]])


def test_ramp_one_year_and_start_after_horizon_per_draw():
    """Draw 0: start 2010, ramp 1 -> 1 every year. Draw 1: start 2016 -> 0 every year."""
    got = ramp(YEARS, np.array([2010.0, 2016.0]), np.array([1.0, 2.0]))
    assert_allclose(got, [[1, 1, 1, 1, 1], [0, 0, 0, 0, 0]])


def test_baseline_growth_compounds_from_first_year():
    """S0 = 100; g = 10% in 2010, -50% in 2011, 0 in 2012:
    S[2010] = 100 * 1.1 = 110; S[2011] = 110 * 0.5 = 55; S[2012] = 55."""
    base = np.array([[100.0, 0.0]])  # (place, agency)
    growth = np.array([[[0.1, -0.5, 0.0], [0.2, 0.2, 0.2]]])  # (draw, agency, year)
    got = baseline_spend(base, growth)
    assert got.shape == (1, 1, 2, 3)
    assert_allclose(got[0, 0, 0], [110, 55, 55])
    assert_allclose(got[0, 0, 1], [0, 0, 0])
