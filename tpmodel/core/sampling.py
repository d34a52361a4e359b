"""Draws from the distributions of spec section 7 (pure: the generator is passed in).

The distributions themselves (keys, check, central value, draws, low/high) are in
`tpmodel.core.distributions`; these names are kept here for the callers that use them.
"""

from __future__ import annotations

from .distributions import PERT_LAMBDA, central, pert_shape, sample

__all__ = ["PERT_LAMBDA", "central", "pert_shape", "sample"]
