"""Analyses: Monte Carlo (uncertainty), sweeps, comparisons and sensitivity, built on model runs."""
