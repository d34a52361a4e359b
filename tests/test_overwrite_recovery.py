"""What is written stays safe (issue 10, 11): a run killed with -9 while replacing its --out loses nothing
the next run cannot restore and leaves no hidden folder behind it; output folders and files are readable
as the umask allows; every line start of a CSV text field is neutralised."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tpmodel.cli import main
from tpmodel.files import safe_text

from .conftest import ROOT

OLD = ["baseline.csv", "results.csv", "summary.json"]
NEW = ["baseline.csv", "draws.csv", "results.csv", "summary.json"]


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file of a folder with the SHA-256 of its bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def hidden(folder: Path) -> list[str]:
    """The hidden folders staged_dir makes beside `folder`."""
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


def start(argv: list[str], cwd: Path, prelude: str = "") -> subprocess.Popen:
    """tpmodel in a subprocess (this tree first on the path), after `prelude` Python code."""
    code = prelude + "\nimport sys\nfrom tpmodel.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("TPMODEL_PARAMS", None)
    return subprocess.Popen([sys.executable, "-c", code, *argv], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip


def kill_after(process: subprocess.Popen, seconds: float) -> bool:
    """SIGKILL `process` after `seconds` unless it ended first; True if it was killed."""
    try:
        process.wait(timeout=seconds)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True


def next_run_refused(out: Path, capsys) -> None:
    """A next run into `out` that stops on a bad --set: it recovers `out` first, and writes nothing."""
    assert main(["run", "standard", "--out", str(out), "--overwrite", "--set", "shared_services.max_rate=7"]) == 2
    assert "max_rate" in capsys.readouterr().err


@pytest.mark.parametrize("seconds", [0.3, 0.8, 1.3, 1.8, 2.5, 3.5])
def test_run_overwrite_killed_at_any_time_keeps_the_old_results_or_the_new_whole(tmp_path, capsys, seconds):
    out = tmp_path / "results"
    assert main(["run", "standard", "--out", str(out), "--quiet"]) == 0
    old = fingerprint(out)
    process = start(["run", "standard", "--out", str(out), "--overwrite", "--draws", "300", "--quiet"], tmp_path)
    kill_after(process, seconds)
    next_run_refused(out, capsys)
    assert hidden(out) == [], "the next run cleans up the hidden folders of the killed one"
    assert fingerprint(out) == old or sorted(fingerprint(out)) == NEW
    if sorted(fingerprint(out)) == NEW:
        assert json.loads((out / "summary.json").read_text())["provenance"]["draws"] == 300
        assert len((out / "draws.csv").read_text().splitlines()) == 301


def test_a_kill_between_the_two_renames_is_restored_by_the_next_run(tmp_path, capsys):
    """The window is microseconds wide, so the subprocess pauses in it (os.replace slowed after the old folder
    is parked) to be killed there, as a kill at the worst moment would leave it."""
    out = tmp_path / "results"
    assert main(["run", "standard", "--out", str(out), "--quiet"]) == 0
    old = fingerprint(out)
    prelude = textwrap.dedent("""
        import os, time
        real = os.replace
        def replace(src, dst):
            real(src, dst)
            if ".old-" in str(dst):
                print("parked", flush=True, file=__import__("sys").stderr)
                time.sleep(60)
        os.replace = replace
    """)
    process = start(["run", "standard", "--out", str(out), "--overwrite", "--quiet"], tmp_path, prelude)
    assert process.stderr is not None
    assert process.stderr.readline().strip() == b"parked"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not out.exists(), "killed between the renames: the results folder is missing"
    assert any(".old-" in name for name in hidden(out)) and any(".partial-" in name for name in hidden(out))
    next_run_refused(out, capsys)
    assert fingerprint(out) == old, "the old results are put back, byte for byte"
    assert hidden(out) == []
    assert main(["run", "standard", "--out", str(out), "--overwrite", "--draws", "20", "--quiet"]) == 0
    assert sorted(fingerprint(out)) == NEW and hidden(out) == []


def test_hidden_folders_of_a_live_run_are_left_alone(tmp_path, capsys):
    """Only the folders of a process that is gone are tidied: a run still writing keeps its own."""
    out = tmp_path / "results"
    out.mkdir()
    live = tmp_path / f".results.partial-{os.getpid()}-abcd1234"
    live.mkdir()
    dead = tmp_path / ".results.partial-999999999-abcd1234"
    dead.mkdir()
    (dead / "results.csv").write_text("half")
    next_run_refused(out, capsys)
    assert live.is_dir() and not dead.exists()


@pytest.mark.parametrize("seconds", [0.5, 1.5, 2.5, 4.0])
def test_compare_killed_at_any_time_leaves_the_old_comparison_or_the_new_whole(tmp_path, capsys, seconds):
    out = tmp_path / "comparison"
    argv = ["compare", "standard", "cautious", "--out", str(out), "--workers", "1", "--quiet"]
    assert main(argv) == 0
    old = {folder: fingerprint(out / folder) for folder in ("standard", "cautious")}
    names = sorted(p.name for p in out.iterdir())
    process = start([*argv, "--overwrite", "--draws", "50"], tmp_path)
    kill_after(process, seconds)
    assert main([*argv, "--overwrite", "--set", "nope.nope=1"]) == 2
    capsys.readouterr()
    assert hidden(out) == []
    assert sorted(p.name for p in out.iterdir()) == names
    if {folder: fingerprint(out / folder) for folder in old} != old:
        summary = json.loads((out / "summary.json").read_text())
        assert summary["provenance"]["draws"] == 50, "else the new comparison, whole"


@pytest.mark.parametrize(
    ("umask", "folder", "file"), [(0o022, 0o755, 0o644), (0o002, 0o775, 0o664), (0o077, 0o700, 0o600)]
)
def test_results_are_readable_as_the_umask_allows(tmp_path, capsys, umask, folder, file):
    before = os.umask(umask)
    try:
        out = tmp_path / "results"
        assert main(["run", "standard", "--out", str(out), "--quiet"]) == 0
        assert main(["run", "standard", "--out", str(out), "--quiet", "--overwrite"]) == 0
        sweep = tmp_path / "sweep"
        assert main(["sweep", "standard", "--vary", "assets.max_rate=0.1,0.2", "--out", str(sweep), "--quiet"]) == 0
    finally:
        os.umask(before)
    for made in (out, sweep):
        assert made.stat().st_mode & 0o777 == folder
        for path in made.iterdir():
            assert path.stat().st_mode & 0o777 == file, path


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("Standard case\r=1+1", "Standard case\r'=1+1"),
        ("a\n+b\r\n-c", "a\n'+b\r\n'-c"),
        ("x\u2028@SUM(A1)", "x\u2028'@SUM(A1)"),
        ("a = b", "a = b"),
        ("-", "'-"),
    ],
)
def test_every_line_start_of_a_text_field_is_neutralised(text, safe):
    assert safe_text(text) == safe


def test_comparison_csv_has_no_formula_at_any_line_start(tmp_path, capsys):
    scenario = tmp_path / "mine.yaml"
    scenario.write_text('name: mine\nextends: standard\ndescription: "Standard case\\n=1+1\\n@SUM(A1)\\n+cmd"\n')
    assert main(["compare", "standard", str(scenario), "--out", str(tmp_path / "c"), "--workers", "1", "--quiet"]) == 0
    with (tmp_path / "c" / "comparison.csv").open(newline="", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    lines = [line for cell in cells for line in cell.replace("\r", "\n").split("\n")]
    assert "'=1+1" in lines and "'@SUM(A1)" in lines
    assert not [line for line in lines if line.startswith(("=", "+", "@"))]


def test_run_into_a_full_disk_writes_nothing(tmp_path):
    """A disk that fills up while writing (a file size limit in a subprocess): exit 2, one line, no folder."""
    prelude = "import resource, signal\nsignal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
    prelude += "resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))\n"
    process = start(["run", "standard", "--out", str(tmp_path / "out")], tmp_path, prelude)
    started = time.perf_counter()
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2 and time.perf_counter() - started < 30
    assert b"cannot write the results" in err and len(err.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []
