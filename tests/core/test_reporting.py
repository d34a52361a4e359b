"""Spec 4.5 reporting burden, worked by hand.

Indicators {2009: 198, 2010: 170, 2012: 60}; years 2010-2013: 2011 takes 2010's 170 and
2013 takes 2012's 60: N = 170, 170, 60, 60. cost_per_indicator 0.001; n_la = (2, 5).
Council gross, place 0 = (198 - N) * 0.001 * 2 = 0.056, 0.056, 0.276, 0.276.
"""

import numpy as np
from numpy.testing import assert_allclose

from tpmodel.core.axes import AGENCIES, COUNCIL
from tpmodel.core.reporting import indicators_in_force, reporting

YEARS = np.array([2010, 2011, 2012, 2013])


def test_missing_year_takes_latest_earlier():
    counts = np.array([[198.0, 170.0, 60.0]])
    got = indicators_in_force(np.array([2009, 2010, 2012]), counts, YEARS)
    assert_allclose(got, [[170, 170, 60, 60]])


def test_gross_councils_only():
    n = np.array([[170.0, 170.0, 60.0, 60.0]])
    gross = reporting(np.array([198.0]), n, np.array([0.001]), np.array([2.0, 5.0]), len(AGENCIES))
    assert gross.shape == (1, 2, len(AGENCIES), 4)
    assert_allclose(gross[0, 0, COUNCIL], [0.056, 0.056, 0.276, 0.276])
    assert_allclose(gross[0, 1, COUNCIL], [0.14, 0.14, 0.69, 0.69])
    others = np.delete(gross, COUNCIL, axis=2)
    assert not others.any()
