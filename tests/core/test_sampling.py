"""Spec 7 distributions (core/sampling.py) against their closed forms, and Iman-Conover rank correlation
(core/correlation.py).

Tolerances are loose (several standard errors of 200,000 draws) but fail for a
wrong parameterisation: PERT with lambda 6, a standard deviation taken as a
variance, a mode used as a mean, a lognormal given its mean instead of its median.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from tpmodel.core.correlation import iman_conover, normal_correlation, smallest_eigenvalue
from tpmodel.core.sampling import central, pert_shape, sample

N = 200_000


def draws(dist: dict) -> np.ndarray:
    return sample(dist, N, np.random.default_rng(12345))


def check_moments(x: np.ndarray, mean: float, sd: float) -> None:
    """Sample mean within 5 standard errors; sample sd within 2%."""
    assert abs(x.mean() - mean) < 5 * sd / math.sqrt(N), (x.mean(), mean)
    assert x.std() == pytest.approx(sd, rel=0.02)


def check_percentiles(x: np.ndarray, expected: dict[float, float], scale: float) -> None:
    for q, value in expected.items():
        assert np.percentile(x, q) == pytest.approx(value, abs=0.01 * scale), q


def test_triangular():
    """mean (a + c + b) / 3; variance (a^2 + b^2 + c^2 - ab - ac - bc) / 18; CDF inverted by hand."""
    a, c, b = 1.0, 2.0, 6.0
    x = draws({"dist": "triangular", "low": a, "mode": c, "high": b})
    check_moments(x, (a + b + c) / 3, math.sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18))
    split = (c - a) / (b - a)

    def quantile(p: float) -> float:
        return a + math.sqrt(p * (b - a) * (c - a)) if p < split else b - math.sqrt((1 - p) * (b - a) * (b - c))

    check_percentiles(x, {q: quantile(q / 100) for q in (5, 10, 50, 90, 95)}, b - a)
    assert x.min() >= a and x.max() <= b


def test_pert_is_beta_with_lambda_4():
    """mean (a + 4m + b) / 6; sd sqrt((mean - a)(b - mean) / 7); alpha = 1 + 4 (m - a) / (b - a)."""
    a, m, b = 0.1, 0.2, 0.5
    assert pert_shape(a, m, b) == pytest.approx((1 + 4 * 0.25, 1 + 4 * 0.75))
    x = draws({"dist": "pert", "low": a, "mode": m, "high": b})
    mean = (a + 4 * m + b) / 6
    check_moments(x, mean, math.sqrt((mean - a) * (b - mean) / 7))
    beta = stats.beta(2.0, 4.0, loc=a, scale=b - a)
    check_percentiles(x, {q: beta.ppf(q / 100) for q in (5, 10, 50, 90, 95)}, b - a)


def test_uniform():
    a, b = -2.0, 3.0
    x = draws({"dist": "uniform", "low": a, "high": b})
    check_moments(x, (a + b) / 2, (b - a) / math.sqrt(12))
    check_percentiles(x, {q: a + q / 100 * (b - a) for q in (5, 10, 50, 90, 95)}, b - a)


def test_normal():
    x = draws({"dist": "normal", "mean": 10.0, "sd": 2.0})
    check_moments(x, 10.0, 2.0)
    check_percentiles(x, {5: 10 - 1.6449 * 2, 50: 10.0, 95: 10 + 1.6449 * 2}, 8.0)


def test_truncated_normal_stays_inside_with_the_truncated_mean():
    """mean = mu + sd (phi(alpha) - phi(beta)) / (Phi(beta) - Phi(alpha)), alpha = (low - mu) / sd."""
    mu, sd, low, high = 0.0, 1.0, -0.5, 2.0
    x = draws({"dist": "normal", "mean": mu, "sd": sd, "low": low, "high": high})
    assert x.min() >= low and x.max() <= high
    truncated = stats.truncnorm((low - mu) / sd, (high - mu) / sd, loc=mu, scale=sd)
    alpha, beta = (low - mu) / sd, (high - mu) / sd
    mean = mu + sd * (stats.norm.pdf(alpha) - stats.norm.pdf(beta)) / (stats.norm.cdf(beta) - stats.norm.cdf(alpha))
    check_moments(x, mean, truncated.std())
    check_percentiles(x, {q: truncated.ppf(q / 100) for q in (5, 50, 95)}, high - low)


def test_lognormal_is_given_by_its_median():
    """median M, mean M exp(sigma^2 / 2), p95 = M exp(1.645 sigma)."""
    median, sigma = 2.0, 0.4
    x = draws({"dist": "lognormal", "median": median, "sigma": sigma})
    mean = median * math.exp(sigma**2 / 2)
    sd = mean * math.sqrt(math.exp(sigma**2) - 1)
    check_moments(x, mean, sd)
    check_percentiles(x, {5: median * math.exp(-1.6449 * sigma), 50: median, 95: median * math.exp(1.6449 * sigma)}, 3)


def test_central_values():
    assert central({"dist": "triangular", "low": 0, "mode": 0.3, "high": 1}) == 0.3
    assert central({"dist": "pert", "low": 0, "mode": 0.2, "high": 1}) == 0.2
    assert central({"dist": "uniform", "low": 1, "high": 3}) == 2.0
    assert central({"dist": "normal", "mean": 5, "sd": 1, "low": 4, "high": 9}) == 5.0
    assert central({"dist": "lognormal", "median": 2, "sigma": 1}) == 2.0


def test_same_generator_state_same_draws():
    dist = {"dist": "pert", "low": 0, "mode": 1, "high": 3}
    first = sample(dist, 100, np.random.default_rng(7))
    assert np.array_equal(first, sample(dist, 100, np.random.default_rng(7)))
    assert not np.array_equal(first, sample(dist, 100, np.random.default_rng(8)))


# ---------------------------------------------------------------- Iman-Conover


def scores(n: int, k: int, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    base = stats.norm.ppf(np.arange(1, n + 1) / (n + 1))
    return np.stack([rng.permutation(base) for _ in range(k)], axis=1)


@pytest.mark.parametrize("rho", [0.8, 0.3, -0.6])
def test_iman_conover_reaches_the_rank_correlation_and_keeps_the_draws(rho):
    rng = np.random.default_rng(1)
    n = 5000
    independent = np.stack([rng.lognormal(0, 1, n), rng.triangular(0, 1, 4, n)], axis=1)
    target = np.array([[1.0, rho], [rho, 1.0]])
    out = iman_conover(independent, target, scores(n, 2))
    assert np.array_equal(np.sort(out, axis=0), np.sort(independent, axis=0))  # the same draws, re-ordered
    assert stats.spearmanr(out[:, 0], out[:, 1]).statistic == pytest.approx(rho, abs=0.03)


def test_iman_conover_three_parameters():
    rng = np.random.default_rng(2)
    n = 8000
    target = np.array([[1.0, 0.5, -0.3], [0.5, 1.0, 0.2], [-0.3, 0.2, 1.0]])
    out = iman_conover(rng.uniform(size=(n, 3)), target, scores(n, 3))
    achieved = stats.spearmanr(out).statistic
    assert np.allclose(achieved, target, atol=0.03)


def test_perfect_rank_correlation_is_allowed():
    rng = np.random.default_rng(4)
    out = iman_conover(rng.normal(size=(1000, 2)), np.ones((2, 2)), scores(1000, 2))
    assert stats.spearmanr(out[:, 0], out[:, 1]).statistic > 0.999


def test_impossible_matrix_has_a_negative_eigenvalue():
    impossible = np.array([[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]])
    assert smallest_eigenvalue(impossible) < -0.1
    assert smallest_eigenvalue(np.eye(3)) == pytest.approx(1.0)
    assert normal_correlation(np.array([[1.0]]))[0, 0] == pytest.approx(1.0)
    assert normal_correlation(np.array([[0.5]]))[0, 0] == pytest.approx(2 * math.sin(math.pi / 12))
