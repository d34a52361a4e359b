"""Rank correlation between uncertain parameters, by the Iman-Conover method (spec section 7).

Iman and Conover (1982), "A distribution-free approach to inducing rank
correlation among input variables", Communications in Statistics B 11(3).
Each parameter's draws are made independently, as without correlations; the
method only re-orders them, so every parameter keeps exactly the draws (and
the distribution) it would have alone, and their ranks take the correlation
declared. The re-ordering follows a matrix of normal scores whose Pearson
correlation is set to 2 sin(pi rho / 6), the Pearson correlation of a
bivariate normal whose Spearman rank correlation is rho.
"""

from __future__ import annotations

import math

import numpy as np

from .axes import FloatArray

#: Eigenvalues down to this are taken as 0 (a valid, singular matrix such as rank 1 between two parameters).
EIGENVALUE_TOLERANCE = 1e-10


def normal_correlation(rank_correlation: FloatArray) -> FloatArray:
    """Pearson correlation of normal scores with a given Spearman rank correlation: 2 sin(pi rho / 6).

    rank_correlation: (k, k) [-1..1]. Returns (k, k), with the same diagonal of 1.
    """
    return 2.0 * np.sin(math.pi * rank_correlation / 6.0)


def smallest_eigenvalue(matrix: FloatArray) -> float:
    """Smallest eigenvalue of a symmetric matrix; below -EIGENVALUE_TOLERANCE no set of variables can have it
    as their correlation matrix."""
    return float(np.linalg.eigvalsh(matrix).min())


def square_root(matrix: FloatArray) -> FloatArray:
    """A factor L with L L^T = matrix, for a symmetric positive semi-definite matrix (singular allowed).

    Eigen-decomposition rather than Cholesky, so that a perfect correlation (rank 1) works.
    """
    values, vectors = np.linalg.eigh(matrix)
    factor: FloatArray = vectors * np.sqrt(np.clip(values, 0.0, None))
    return factor


def iman_conover(samples: FloatArray, rank_correlation: FloatArray, scores: FloatArray) -> FloatArray:
    """Re-order each column of `samples` so that the columns take the rank correlation asked for.

    samples: (draw, k) independent draws of k parameters.
    rank_correlation: (k, k) target Spearman correlation, symmetric, 1 on the
    diagonal, positive semi-definite (checked by the caller).
    scores: (draw, k) normal scores, each column an independent random
    permutation of the van der Waerden scores Phi^-1(i / (draw + 1)).
    Returns (draw, k): column j holds the values of samples[:, j], re-ordered.

        E = corr(scores) = Q Q^T (Cholesky),  C = normal_correlation(rank) = P P^T
        T = scores (Q^-1)^T P^T  has correlation C;  column j of the result takes
        the sorted samples[:, j] in the rank order of T[:, j].
    """
    observed = np.corrcoef(scores, rowvar=False)
    lower = np.linalg.cholesky(observed)
    target = square_root(normal_correlation(rank_correlation))
    ordered = scores @ np.linalg.inv(lower).T @ target.T
    ranks = np.argsort(np.argsort(ordered, axis=0, kind="stable"), axis=0, kind="stable")
    return np.take_along_axis(np.sort(samples, axis=0), ranks, axis=0)
