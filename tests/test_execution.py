"""Running tasks (tpmodel.execution): worker processes reuse the memory numpy frees (glibc)."""

from __future__ import annotations

import platform
import resource
import subprocess
import sys

import numpy as np
import pytest

from tpmodel.execution import map_tasks

from .conftest import ROOT

#: A float64 array of 48 MB: above glibc's largest self-adjusted threshold (32 MB), so by default every
#: one gets its own pages and pays a page fault for each 4 KB of them.
BIG = 6_000_000

glibc_only = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's"
)


def page_faults_making_big_arrays(_: object = None) -> int:
    """Minor page faults of making and freeing ten 48 MB arrays, after a first one."""
    np.ones(BIG)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(10):
        array = np.ones(BIG)
        del array
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def faults_in_a_new_process(reuse: bool) -> int:
    code = (
        "from tpmodel.execution import reuse_freed_memory; "
        "from tests.test_execution import page_faults_making_big_arrays as faults; "
        f"assert reuse_freed_memory() if {reuse} else True; print(faults())"
    )
    return int(
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    )


@glibc_only
def test_reusing_freed_memory_spares_the_page_faults():
    """By default each array's fresh pages fault (fewer with huge pages); reusing, almost none do."""
    reusing, default = faults_in_a_new_process(True), faults_in_a_new_process(False)
    assert reusing * 10 < default and reusing < 100


@glibc_only
def test_worker_processes_reuse_freed_memory():
    """The workers of `map_tasks` take the setting when they start (the command line takes it itself)."""
    faults = map_tasks(page_faults_making_big_arrays, [0, 1], workers=2)
    assert max(faults) * 10 < faults_in_a_new_process(False) and max(faults) < 100
