"""A seeded generator of bad inputs, tried as a user would (issue 10), and the harness that runs one.

Every case is one mistake a user can make: a broken scenario file, a bad `--set`, a corrupt data file or
defaults.yaml, a misused command-line option, a bad text field. `cases()` builds the same list for the
same seed; `run_case` tries one in a folder of its own (in this process through `tpmodel.cli.main`, or
in a subprocess for the few that need one) and returns what happened, for the test to check the
promise: exit status 2, one message of at most three lines, no traceback, no hang, nothing written.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
PARAMS = ROOT / "params"
SEED = 20240610
#: Seconds a case may take.
TIME_LIMIT = 10.0

# ---------------------------------------------------------------- the cases

Edit = Callable[[Path], None]  # changes a private copy of params/ in place


@dataclass(frozen=True)
class Case:
    """One bad input: the command line (with {tmp}, {out} and {params} placeholders), files to create under
    the case's folder, edits to a private copy of params/, and whether it runs in a subprocess."""

    family: str
    name: str
    argv: tuple[str, ...]
    files: tuple[tuple[str, bytes], ...] = ()
    edits: tuple[Edit, ...] = ()
    prepare: Edit | None = None  # anything else to set up in the case's folder
    subprocess: bool = False
    file_size_limit: int | None = None  # RLIMIT_FSIZE of the subprocess: a disk that fills up

    @property
    def id(self) -> str:
        return f"{self.family}:{self.name}"


#: Nine levels of nine aliases: 387,420,489 items once expanded, from a few hundred bytes.
BOMB = (
    "[&a [x,x,x,x,x,x,x,x,x], "
    + ", ".join(f"&{b} [{', '.join([f'*{a}'] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi", strict=True))
    + "]"
)
DEEP = "[" * 3000 + "]" * 3000
NESTED_60 = "[" * 60 + "1" + "]" * 60
HUGE_INT = "1" + "0" * 400

#: YAML values that no parameter allows, whatever its type.
BAD_VALUES: dict[str, str] = {
    "text": "abc",
    "list": "[1, 2]",
    "bool": "true",
    "null": "null",
    "nan": ".nan",
    "inf": ".inf",
    "minus inf": "-.inf",
    "float overflow": "1e400",
    "int beyond float": HUGE_INT,
    "negative int beyond float": "-" + HUGE_INT,
    "dist as list": "{dist: [pert], low: 0, mode: 0, high: 1}",
    "dist as mapping": "{dist: {pert: 1}, low: 0, mode: 0, high: 1}",
    "dist unknown": "{dist: gamma, shape: 1}",
    "dist missing keys": "{dist: pert}",
    "dist huge int": "{dist: uniform, low: 0, high: " + HUGE_INT + "}",
    "dist nan": "{dist: uniform, low: .nan, high: 1}",
    "unhashable key": "{[a, b]: 1}",
    "mapping key": "{? {a: 1} : 2}",
    "alias bomb": BOMB,
    "alias bomb mapping": "{council: " + BOMB + "}",
    "deep nesting": DEEP,
    "nesting 60": NESTED_60,
    "date": "2010-04-01",
    "binary": "!!binary aGVsbG8=",
    "set tag": "!!set {a, b}",
    "python tag": "!!python/object/apply:os.system [echo]",
    "long text": "x" * 5000,
    "malformed": "{a: [1, 2}",
    "tab": "\t1",
}

COMMANDS = ("run", "compare", "sweep", "sensitivity", "discover", "report")


def _specs() -> dict[str, Any]:
    from tpmodel.params import load_specs

    return load_specs(PARAMS / "defaults.yaml")


def _command(rng: random.Random, scenario: str, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """A command that takes a scenario, chosen at random, writing into {out}."""
    command = rng.choice(COMMANDS)
    tail = ("--out", "{out}", *extra)
    if command == "sweep":
        return ("sweep", scenario, "--vary", "appraisal.discount_rate=0.02,0.04", *tail)
    return (command, scenario, *tail)


def _out_of_range(spec: Any) -> list[str]:
    """Numbers just outside a parameter's numeric bounds."""
    found = []
    if isinstance(spec.max, int | float):
        found.append(repr(spec.max + (1 if spec.type == "integer" else 0.5)))
    if isinstance(spec.min, int | float):
        found.append(repr(spec.min - 1))
    if spec.type == "integer":
        found.append("2.5")
    return found


def set_cases(rng: random.Random, n: int) -> list[Case]:
    """`--set PATH=VALUE` with a value no parameter allows, a value out of range, or a bad path."""
    specs = _specs()
    paths = sorted(specs)
    cases = []
    bad_paths = ["", ".", "a..b", "shared_services.", ".max_rate", "x" * 300, "shared_services.max_rate\n=1",
                 "places", "places.", "places.kent", "places..assets.max_rate", "places.kent.", "é.ü",
                 "shared_services.max_rate.council.2011.x", "reporting.indicators.99999", "horizon",
                 "places.\x1b[31m.assets.max_rate", "single_offer.freedoms.", "single_offer.freedoms.horizon.x",
                 "procurement.participation.nhs.2011", "__class__", "appraisal.shared_services"]  # fmt: skip
    for path in bad_paths:
        cases.append(Case("set", f"path {path[:20]!r}", _command(rng, "standard", ("--set", f"{path}=0.1"))))
    for text in ["shared_services.max_rate", "=0.5", "shared_services.max_rate==0.5"]:
        cases.append(Case("set", f"form {text!r}", _command(rng, "standard", ("--set", text))))
    while len(cases) < n:
        path = rng.choice(paths)
        spec = specs[path]
        options = dict(BAD_VALUES)
        options |= {f"out of range {v}": v for v in _out_of_range(spec)}
        if spec.numeric and not path.startswith("horizon."):
            options["truncated normal, huge sd"] = _narrow_normal(spec)
        label, value = rng.choice(sorted(options.items()))
        place = rng.random() < 0.2 and _placeable(path)
        target = f"places.kent.{path}" if place else path
        extra = ("--set", f"{target}={value}")
        if label.startswith("truncated"):
            extra += ("--draws", "50")
        cases.append(Case("set", f"{target} {label}", _command(rng, "standard", extra)))
    return cases


def _placeable(path: str) -> bool:
    from tpmodel.params import placeable

    return placeable(path)


def _narrow_normal(spec: Any) -> str:
    """A normal of huge sd truncated to a sliver inside the parameter's bounds: rejection sampling would
    practically never end."""
    from tpmodel.core.distributions import central_or_number

    default = spec.default
    centre = central_or_number(default) if not isinstance(default, dict) or "dist" in default else None
    if centre is None:
        centre = float(spec.min) if isinstance(spec.min, int | float) else 0.5
    width = 1e-6 * (1 + abs(centre))
    low, high = centre, centre + width
    if isinstance(spec.max, int | float) and high > spec.max:
        low, high = centre - width, centre
    return f"{{dist: normal, mean: {centre!r}, sd: 1e300, low: {low!r}, high: {high!r}}}"


# ---------------------------------------------------------------- scenario files

GOOD = {"name": "mine", "description": "A scenario.", "extends": "standard"}


def _scenario_text(**slots: str) -> str:
    """A scenario file: the good slots, with some replaced by raw YAML text."""
    values = {**{k: yaml.safe_dump(v).strip().removesuffix("...").strip() for k, v in GOOD.items()}, **slots}
    return "".join(f"{key}: {text}\n" for key, text in values.items() if text is not None)


def scenario_cases(rng: random.Random, n: int) -> list[Case]:
    """A scenario file with one broken part: its shape, a slot of the wrong kind, a bad value in `set`,
    `places` or `correlations` (checked even without draws), an alias bomb, deep nesting, bad bytes."""
    specs = _specs()
    whole: dict[str, bytes] = {
        "a list": b"- a\n- b\n",
        "a number": b"42\n",
        "text": b"just some words\n",
        "not utf-8": "name: caf\u00e9\nextends: standard\n".encode("latin-1"),
        "utf-16": "name: mine\nextends: standard\n".encode("utf-16"),
        "nul byte": b"name: mine\x00\nextends: standard\n",
        "malformed": b"name: [mine\nextends: standard\n",
        "tab indent": b"set:\n\tshared_services.max_rate: 0.2\n",
        "duplicate key": b"name: a\nname: b\n",
        "unknown key": b"name: mine\nextends: standard\nsets: {}\n",
        "alias bomb": f"name: mine\nextends: standard\nset: {{shared_services.max_rate: {BOMB}}}\n".encode(),
        "top alias bomb": f"{BOMB}\n".encode(),
        "deep": f"name: mine\nset: {{a: {DEEP}}}\n".encode(),
        "nesting 60": f"name: mine\nset: {{shared_services.participation: {NESTED_60}}}\n".encode(),
        "python tag": b"name: !!python/object/apply:os.system [echo hi]\n",
        "huge file": b"name: mine\ndescription: " + b"x" * (11 * 1024 * 1024) + b"\n",
        "two documents": b"name: a\n---\nname: b\n",
        "unhashable top key": b"[a, b]: 1\n",
        "merge key bad": b"<<: 5\nname: mine\n",
    }
    slots: dict[str, dict[str, str]] = {
        "name": {"list": "[a, b]", "mapping": "{a: 1}", "number": "5", "bool": "true", "alias bomb": BOMB,
                 "int beyond float": HUGE_INT, "date": "2010-04-01", "empty": "''"},
        "description": {"list": "[a, b]", "mapping": "{a: 1}", "number": "5.5", "bool": "false",
                        "alias bomb": BOMB, "binary": "!!binary aGVsbG8="},
        "extends": {"list": "[standard]", "number": "3", "path": "../standard", "unknown": "no_such_scenario",
                    "alias bomb": BOMB, "empty": "''", "bool": "true", "self": "mine_loop"},
        "set": {"false": "false", "zero": "0", "text": "shared_services.max_rate", "list": "[a, b]",
                "true": "true", "empty text": "''", "number key": "{5: 1}", "null key": "{null: 1}",
                "unhashable key": "{[a, b]: 1}", "long key": "{" + "x" * 5000 + ": 1}"},
        "places": {"false": "false", "zero": "0", "list": "[kent]", "text": "kent",
                   "place list": "{kent: [1, 2]}", "place number": "{kent: 5}", "unknown place":
                   "{atlantis: {assets.max_rate: 0.2}}", "group": "{london: {assets.max_rate: 0.2}}",
                   "not placeable": "{kent: {horizon.last_year: 2015}}", "place false": "{kent: false}"},
        "correlations": {"false": "false", "zero": "0", "mapping": "{a: 1}", "text": "x",
                         "entry text": "[x]", "entry no rank": "[{between: [a, b]}]",
                         "unknown path": "[{between: [shared_services.max_rate, nope.nope], rank: 0.5}]",
                         "rank too big": "[{between: [shared_services.max_rate, assets.max_rate], rank: 2}]",
                         "rank text": "[{between: [shared_services.max_rate, assets.max_rate], rank: high}]",
                         "self pair": "[{between: [shared_services.max_rate, shared_services.max_rate], rank: 0.5}]",
                         "between three": "[{between: [a, b, c], rank: 0.5}]",
                         "between unhashable": "[{between: [[a], [b]], rank: 0.5}]",
                         "not uncertain": "[{between: [appraisal.discount_rate, assets.max_rate], rank: 0.5}]",
                         "impossible": "[{between: [shared_services.max_rate, assets.max_rate], rank: 0.9}, "
                                       "{between: [assets.max_rate, pooling.return_rate], rank: 0.9}, "
                                       "{between: [shared_services.max_rate, pooling.return_rate], rank: -0.9}]",
                         "twice": "[{between: [shared_services.max_rate, assets.max_rate], rank: 0.5}, "
                                  "{between: [assets.max_rate, shared_services.max_rate], rank: 0.5}]"},
    }  # fmt: skip
    cases = []
    for label, content in whole.items():
        cases.append(Case("scenario", f"file {label}", _command(rng, "{tmp}/mine.yaml"), (("mine.yaml", content),)))
    for slot, options in slots.items():
        for label, text in options.items():
            files = [("mine.yaml", _scenario_text(**{slot: text}).encode())]
            if label == "self":
                files = [("mine.yaml", b"name: mine\nextends: mine_loop\n")]
                cases.append(Case("scenario", f"{slot} {label}", _command(rng, "mine_loop", ("--params", "{params}")),
                                  edits=(_add_scenario("mine_loop", "name: loop\nextends: mine_loop\n"),)))  # fmt: skip
                continue
            cases.append(Case("scenario", f"{slot} {label}", _command(rng, "{tmp}/mine.yaml"), tuple(files)))
    paths = sorted(specs)
    while len(cases) < n:
        path = rng.choice(paths)
        label, value = rng.choice(sorted(BAD_VALUES.items()))
        if label in ("tab", "malformed"):
            continue
        where = rng.choice(("set", "places"))
        if where == "places" and _placeable(path):
            text = _scenario_text(places=f"{{kent: {{{path}: {value}}}}}")
        else:
            text = _scenario_text(set=f"{{{path}: {value}}}")
        cases.append(Case("scenario", f"{where} {path} {label}", _command(rng, "{tmp}/mine.yaml"),
                          (("mine.yaml", text.encode()),)))  # fmt: skip
    return cases


def _add_scenario(name: str, text: str) -> Edit:
    def edit(params: Path) -> None:
        (params / "scenarios" / f"{name}.yaml").write_text(text, encoding="utf-8")

    return edit


# ---------------------------------------------------------------- data files and defaults


def _replace_file(name: str, content: bytes | None) -> Edit:
    """Replace a file of params/ (None: delete it)."""

    def edit(params: Path) -> None:
        path = params / name
        path.unlink()
        if content is not None:
            path.write_bytes(content)

    return edit


def _folder_instead(name: str) -> Edit:
    def edit(params: Path) -> None:
        (params / name).unlink()
        (params / name).mkdir()

    return edit


def _line_edit(name: str, line: int, text: str | None) -> Edit:
    """Replace (None: delete) one line of a params/ file; line 0 is the header, negative counts from the end."""

    def edit(params: Path) -> None:
        path = params / name
        lines = path.read_text(encoding="utf-8").splitlines()
        if text is None:
            del lines[line]
        else:
            lines[line] = text
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    return edit


def _append(name: str, text: str) -> Edit:
    def edit(params: Path) -> None:
        with (params / name).open("a", encoding="utf-8") as handle:
            handle.write(text)

    return edit


def csv_cases(rng: random.Random, n: int) -> list[Case]:
    """places.csv, spend.csv and organisations.csv broken one way each."""
    edits: dict[str, Edit] = {}
    for name in ("places.csv", "spend.csv", "organisations.csv"):
        header = (PARAMS / name).read_text(encoding="utf-8").splitlines()[0]
        edits |= {
            f"{name} is a folder": _folder_instead(name),
            f"{name} empty": _replace_file(name, b""),
            f"{name} not utf-8": _replace_file(name, (header + "\ncaf\xe9,1,2,3\n").encode("latin-1")),
            f"{name} nul byte": _replace_file(name, (header + "\n").encode() + b"a\x00b,1,2,3\n"),
            f"{name} binary": _replace_file(name, bytes(range(256)) * 10),
            f"{name} one field row": _append(name, "kent\n"),
            f"{name} blank-ish row": _append(name, ",,,\n"),
            f"{name} extra fields": _append(name, "kent,council,back_office,1,2,3,4\n"),
            f"{name} field over the csv limit": _append(name, "kent," + "x" * 200_000 + ",1,1\n"),
            f"{name} unclosed quote": _append(name, '"kent,council,back_office,1\n'),
            f"{name} header renamed": _line_edit(name, 0, header.replace(header.split(",")[0], "plaice")),
            f"{name} no header": _line_edit(name, 0, None),
            f"{name} huge": _replace_file(name, (header + "\n").encode() + b"a,b,c,d\n" * 3_000_000),
        }
        if name != "organisations.csv":  # a missing or empty organisations.csv means 1 organisation each
            edits[f"{name} header only"] = _replace_file(name, (header + "\n").encode())
        if name != "places.csv":
            edits[f"{name} missing"] = (
                _replace_file(name, None) if name != "organisations.csv" else edits[f"{name} empty"]
            )
    place_rows = (PARAMS / "places.csv").read_text(encoding="utf-8").splitlines()
    spend_rows = (PARAMS / "spend.csv").read_text(encoding="utf-8").splitlines()
    org_rows = (PARAMS / "organisations.csv").read_text(encoding="utf-8").splitlines()
    for i in range(1, len(place_rows)):
        fields = place_rows[i].split(",")
        if '"' in place_rows[i]:
            continue
        for label, j, value in [("bad id", 0, "Kent County"), ("id with dot", 0, "ke.nt"), ("empty id", 0, ""),
                                ("population text", 2, "many"), ("population 0", 2, "0"),
                                ("population inf", 2, "inf"), ("population nan", 2, "nan"),
                                ("population huge", 2, "1e400"), ("authorities 1.5", 3, "1.5"),
                                ("authorities negative", 3, "-1"), ("group upper", 4, "West"),
                                ("group is a place", 4, "kent"), ("duplicate id", 0, "birmingham"),
                                ("long id", 0, "a" * 300)]:  # fmt: skip
            row = list(fields)
            if label == "duplicate id" and row[0] == "birmingham":
                continue
            row[j] = value
            edits[f"places.csv line {i + 1} {label}"] = _line_edit("places.csv", i, ",".join(row))
    for rows, name, column in ((spend_rows, "spend.csv", 3), (org_rows, "organisations.csv", 2)):
        for i in rng.sample(range(1, len(rows)), 12):
            fields = rows[i].split(",")
            for label, j, value in [("unknown place", 0, "atlantis"), ("unknown agency", 1, "councll"),
                                    ("negative", column, "-5"), ("text", column, "lots"), ("nan", column, "nan"),
                                    ("inf", column, "inf"), ("huge", column, "1e999"),
                                    ("duplicate", 0, None)]:  # fmt: skip
                row = list(fields)
                if value is None:
                    edits[f"{name} line {i + 1} duplicate"] = _append(name, rows[i] + "\n")
                    continue
                row[j] = value
                edits[f"{name} line {i + 1} {label}"] = _line_edit(name, i, ",".join(row))
    cases = []
    for label, edit in sorted(edits.items()):
        argv = _command(rng, "standard", ("--params", "{params}"))
        cases.append(Case("csv", label, argv, edits=(edit,)))
    rng.shuffle(cases)
    return cases[:n]


def _defaults_edit(change: Callable[[dict], None]) -> Edit:
    """Load params/defaults.yaml, change the tree, write it back."""

    def edit(params: Path) -> None:
        path = params / "defaults.yaml"
        tree = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(tree)
        path.write_text(yaml.safe_dump(tree, sort_keys=False, width=200), encoding="utf-8")

    return edit


def _meta(path: str, key: str, value: Any) -> Callable[[dict], None]:
    def change(tree: dict) -> None:
        node = tree
        for part in path.split("."):
            node = node[part]
        if value is _DELETE:
            del node[key]
        else:
            node[key] = value

    return change


_DELETE = object()


def _drop(path: str) -> Callable[[dict], None]:
    def change(tree: dict) -> None:
        *groups, last = path.split(".")
        node = tree
        for part in groups:
            node = node[part]
        del node[last]

    return change


def defaults_cases(rng: random.Random, n: int) -> list[Case]:
    """params/defaults.yaml broken: a parameter missing, metadata wrong (bounds that are a typo'd path, text or
    NaN, min > max, units, types, ...), the whole file of the wrong shape; a ./params without defaults.yaml."""
    specs = _specs()
    paths = sorted(specs)
    cases = []

    def add(label: str, edit: Edit) -> None:
        cases.append(Case("defaults", label, _command(rng, "standard", ("--params", "{params}")), edits=(edit,)))

    for label, content in {"a list": b"- a\n", "empty": b"", "text": b"words\n", "not utf-8": b"a: \xff\xfe\n",
                           "alias bomb": f"x: {BOMB}\n".encode(), "deep": f"x: {DEEP}\n".encode(),
                           "malformed": b"a: [1\n", "missing": None}.items():  # fmt: skip
        add(f"file {label}", _replace_file("defaults.yaml", content))
    add("file is a folder", _folder_instead("defaults.yaml"))
    for path in paths:
        add(f"{path} missing", _defaults_edit(_drop(path)))
    options: dict[str, Any] = {
        "min typo'd path": ("min", "horizon.frist_year"), "max typo'd path": ("max", "shared_services.max_rat"),
        "min text": ("min", "zero"), "max nan": ("max", float("nan")), "min nan": ("min", float("nan")),
        "min inf": ("min", float("inf")), "max list": ("max", [1]), "min bool": ("min", True),
        "min > max": None, "unit unknown": ("unit", "percent"), "unit list": ("unit", ["share"]),
        "type unknown": ("type", "float"), "type list": ("type", ["number"]), "index unknown": ("index", "place"),
        "description list": ("description", ["a", "b"]), "description number": ("description", 5),
        "description missing": ("description", _DELETE), "source empty": ("source", " "),
        "source missing": ("source", _DELETE), "value missing": ("value", _DELETE),
        "unknown key": ("maximum", 1), "choices text": ("choices", "abc"), "min group path": ("min", "horizon"),
        "min names a choice": ("min", "procurement.consortium"),
        "value huge int": ("value", int(HUGE_INT)), "value list": ("value", [1, 2]),
        "evidence missing": ("evidence", _DELETE), "evidence grade unknown": ("evidence", {"grade": "solid", "reason": "x"}),
        "evidence text": ("evidence", "strong"), "evidence reason list": ("evidence", {"grade": "weak", "reason": [1]}),
        "plausible text": ("plausible", "wide"), "plausible nan": ("plausible", [float("nan"), 1]),
    }  # fmt: skip
    while len(cases) < n:
        path = rng.choice(paths)
        label, option = rng.choice(sorted(options.items(), key=lambda kv: kv[0]))
        spec = specs[path]
        if label == "min > max":
            change = _both_bounds(path, 1, 0)
        else:
            key, value = option
            if key in ("min", "max") and spec.type not in ("number", "integer"):
                continue
            if label in ("choices text",) and spec.type != "choice":
                continue
            if label == "value list" and spec.type in ("places",):
                continue
            change = _meta(path, key, value)
        add(f"{path} {label}", _defaults_edit(change))
    cases.append(Case("defaults", "./params without defaults.yaml", ("run", "standard", "--out", "{out}"),
                      files=(("params/places.csv", (PARAMS / "places.csv").read_bytes()),)))  # fmt: skip
    cases.append(Case("defaults", "--params is a file", ("run", "standard", "--out", "{out}", "--params", "{tmp}/f"),
                      files=(("f", b"x"),)))  # fmt: skip
    cases.append(Case("defaults", "--params missing", ("run", "standard", "--out", "{out}", "--params", "{tmp}/nope")))
    return cases


def _both_bounds(path: str, low: float, high: float) -> Callable[[dict], None]:
    def change(tree: dict) -> None:
        _meta(path, "min", low)(tree)
        _meta(path, "max", high)(tree)

    return change


# ---------------------------------------------------------------- the command line


def cli_cases(rng: random.Random) -> list[Case]:
    """Every command misused: sizes over their documented maximum, options out of range, unusable --out."""
    cases: list[Case] = []

    def add(label: str, argv: tuple[str, ...], **kw: Any) -> None:
        cases.append(Case("cli", label, argv, **kw))

    draws_bad = ["-1", "abc", "1.5", "10000000000", "1000001", HUGE_INT, "", "1e3", "0x10", " "]
    for value in draws_bad:
        for command in ("run", "compare", "sweep", "report"):
            argv = _sized(command, ("--draws", value))
            add(f"{command} --draws {value[:12]!r}", argv)
    seeds = ["-1", "abc", "4294967296", HUGE_INT, "1.5"]
    for value in seeds:
        for command in ("run", "compare", "sweep", "sensitivity", "report"):
            add(f"{command} --seed {value[:12]!r}", _sized(command, ("--seed", value)))
    add("sensitivity sobol --seed -1", ("sensitivity", "standard", "--method", "sobol", "--samples", "8",
                                        "--seed", "-1", "--out", "{out}"))  # fmt: skip
    for value in ["0", "-4", "abc", "131073", "1000000000", HUGE_INT]:
        add(f"sensitivity --samples {value[:12]}", ("sensitivity", "standard", "--method", "sobol",
                                                     "--samples", value, "--out", "{out}"))  # fmt: skip
    for value in ["sobel", "", "TORNADO", "x" * 500]:
        add(f"sensitivity --method {value[:12]!r}", ("sensitivity", "standard", "--method", value, "--out", "{out}"))
    for value in ["0", "-1", "abc", "1000000", HUGE_INT]:
        for command in ("compare", "sweep"):
            add(f"{command} --workers {value[:12]}", _sized(command, ("--workers", value)))
    varies = ["shared_services.max_rate=0:0.1:200000", "shared_services.max_rate=0:1:10000000000",
              "shared_services.max_rate=0:1:" + HUGE_INT, "shared_services.max_rate=0:1:-5",
              "shared_services.max_rate=0:1:0", "shared_services.max_rate=0:1", "shared_services.max_rate=a:b:3",
              "shared_services.max_rate=0:inf:3", "shared_services.max_rate=nan:1:3", "shared_services.max_rate=",
              "=0.1,0.2", "shared_services.max_rate", "shared_services.max_rate=0.1,,0.2",
              "shared_services.max_rate=" + ",".join(["0.1"] * 5) + "," + BOMB, "nope.nope=1,2",
              "shared_services.max_rate=0.1,2", "shared_services.max_rate=1e400,0.5",
              "shared_services.max_rate=" + HUGE_INT, "shared_services.max_rate={dist: [pert]}",
              "shared_services.max_rate=0:1:1000:5", "shared_services.max_rate=0:1:2.5"]  # fmt: skip
    for vary in varies:
        add(f"sweep --vary {vary[:40]!r}", ("sweep", "standard", "--vary", vary, "--out", "{out}"))
    add("sweep grid over the limit with --yes", ("sweep", "standard", "--vary", "shared_services.max_rate=0:1:2000",
        "--vary", "assets.max_rate=0:1:2000", "--yes", "--out", "{out}"))  # fmt: skip
    add("sweep grid over MAX_POINTS", ("sweep", "standard", "--vary", "shared_services.max_rate=0:1:400",
        "--vary", "assets.max_rate=0:1:400", "--out", "{out}"))  # fmt: skip
    add("sweep same path twice", ("sweep", "standard", "--vary", "assets.max_rate=0.1,0.2", "--vary",
        "assets.max_rate=0.3", "--out", "{out}"))  # fmt: skip
    for via in ["notebook", "", "PAPERMILL"]:
        add(
            f"sweep --via {via!r}",
            ("sweep", "standard", "--vary", "assets.max_rate=0.1", "--via", via, "--out", "{out}"),
        )
    for scheduler in ["foo", "tcp://", "tcp://:", "tcp://host:notaport", "tcp://127.0.0.1:99999", "://x", "x" * 300,
                      "tcp://[::1", "inproc://", "tcp://127.0.0.1:-5", "\x00", "tcp://127.0.0.1:1"]:  # fmt: skip
        add(f"sweep --scheduler {scheduler[:20]!r}", ("sweep", "standard", "--vary", "assets.max_rate=0.1",
            "--scheduler", scheduler, "--out", "{out}"))  # fmt: skip
    for value in ["0", "-1", "70000", "65536", "abc", "1.5", HUGE_INT]:
        add(f"app --port {value[:12]}", ("app", "--no-browser", "--port", value), subprocess=True)
    for command in ("run", "compare", "sweep", "sensitivity", "discover", "report"):
        for label, out, prepare, more in _bad_outs():
            add(f"{command} --out {label}", _sized(command, more, out=out), prepare=prepare)
        add(f"{command} --out missing", _sized(command, (), out=None))
        add(f"{command} unknown option", _sized(command, ("--colour", "red")))
        add(f"{command} --params missing", _sized(command, ("--params", "{tmp}/nope")))
        add(f"{command} --params is a file", _sized(command, ("--params", "{tmp}/f")), files=(("f", b"x"),))
    for command in ("run", "sweep", "sensitivity", "report"):
        add(f"{command} no scenario", tuple(a for a in _sized(command, ()) if a != "standard"))
        for scenario in ["nope", "../standard", "x" * 300, "a\x1b[2Jb", "-standard", "", "/etc/passwd",
                         "{tmp}/folder.yaml", "{tmp}"]:  # fmt: skip
            add(f"{command} scenario {scenario[:20]!r}", _sized(command, (), scenario=scenario),
                prepare=lambda tmp: (tmp / "folder.yaml").mkdir())  # fmt: skip
    add("compare a scenario twice", ("compare", "standard", "standard", "--out", "{out}"))
    add("compare unknown scenario", ("compare", "standard", "nope", "--out", "{out}"))
    for label, to, prepare, _ in _bad_outs():
        if label in ("not empty", "name 250 long") or "overwrite" in label:
            continue
        add(f"docs --to {label}", ("docs", "parameters", "--to", to if to != "{out}" else "{out}/parameters.md"),
            prepare=prepare)  # fmt: skip
    add("docs --to a folder", ("docs", "parameters", "--to", "{out}"), prepare=lambda tmp: (tmp / "out").mkdir())
    add("docs unknown page", ("docs", "params", "--to", "{out}/p.md"))
    add("docs --params missing", ("docs", "parameters", "--to", "{out}/p.md", "--params", "{tmp}/nope"))
    add("no command", ())
    add("unknown command", ("runn", "standard"))
    for option, value in [("--where", "npv<<0"), ("--where", "nope<0"), ("--where", ""), ("--where", "npv<" + HUGE_INT),
                          ("--where", "npv<nan"), ("--max-dims", "0"), ("--max-dims", "1000"), ("--min-coverage", "0"),
                          ("--min-coverage", "nan"), ("--min-coverage", "2"), ("--draws", "5"), ("--draws", "100000000"),
                          ("--seed", "-1"), ("--draws", HUGE_INT)]:  # fmt: skip
        add(f"discover {option} {value[:12]!r}", ("discover", "standard", option, value, "--out", "{out}"))
    add("run disk full", ("run", "standard", "--out", "{out}"), subprocess=True, file_size_limit=20_000)
    add("compare disk full", ("compare", "standard", "cautious", "--out", "{out}", "--workers", "1"),
        subprocess=True, file_size_limit=20_000)  # fmt: skip
    return cases


def _sized(
    command: str, extra: tuple[str, ...], out: str | None = "{out}", scenario: str = "standard"
) -> tuple[str, ...]:
    """The smallest command line of `command`, plus `extra`."""
    tail = (("--out", out) if out else ()) + extra
    if command == "compare":
        return ("compare", scenario, *tail)
    if command == "sweep":
        return ("sweep", scenario, "--vary", "assets.max_rate=0.1", *tail)
    return (command, scenario, *tail)


def _bad_outs() -> Iterator[tuple[str, str, Edit | None, tuple[str, ...]]]:
    """(label, --out, set-up, more options) of output folders that cannot be used."""

    def file_at(tmp: Path) -> None:
        (tmp / "out").write_text("x")

    def dangling(tmp: Path) -> None:
        (tmp / "out").symlink_to(tmp / "nowhere")

    def full_folder(tmp: Path) -> None:
        (tmp / "out").mkdir()
        (tmp / "out" / "old.txt").write_text("old")

    def read_only(tmp: Path) -> None:
        (tmp / "ro").mkdir()
        (tmp / "ro").chmod(0o555)

    def link_loop(tmp: Path) -> None:
        (tmp / "loop").symlink_to(tmp / "loop")

    yield "a file", "{out}", file_at, ()
    yield "under a file", "{out}/x", file_at, ()
    yield "deep under a file", "{out}/x/y/z", file_at, ()
    yield "dangling symlink", "{out}", dangling, ()
    yield "not empty", "{out}", full_folder, ()
    yield "a file, overwrite", "{out}", file_at, ("--overwrite",)
    yield "dangling symlink, overwrite", "{out}", dangling, ("--overwrite",)
    yield "name too long", "{tmp}/" + "n" * 300, None, ()
    yield "name 250 long", "{tmp}/" + "n" * 250, None, ()
    yield "path too long", "{tmp}/" + "/".join(["d" * 200] * 30), None, ()
    yield "symlink loop", "{tmp}/loop/x", link_loop, ()
    yield "dot", ".", None, ()
    yield "dot dot overwrite", "..", None, ("--overwrite",)
    yield "dot dot", "..", None, ()
    yield "dot overwrite", ".", None, ("--overwrite",)
    yield "root", "/", None, ()
    yield "/dev/null", "/dev/null", None, ()
    yield "under /dev/null", "/dev/null/x", None, ()
    yield "/proc", "/proc/tpmodel-out", None, ()
    yield "nul in name", "{tmp}/a\x00b", None, ()
    yield "empty", "", None, ()
    if os.geteuid() != 0:
        yield "read-only parent", "{tmp}/ro/out", read_only, ()


# ---------------------------------------------------------------- text fields


def text_cases(rng: random.Random, n: int) -> list[Case]:
    """Scenario names and descriptions that cannot be shown or written safely: control characters,
    over-long text, text that is not text."""
    bad_names = ['"a\\x00b"', '"a\\x1b[31mred"', '"line\\nbreak"', '"cr\\rreturn"', '"tab\\there"', '"bell\\a"',
                 '"del\\x7f"', '"a\\u2028b"', '"rtl\\u202eoverride"', '"zero\\u200bwidth"', '"' + "n" * 201 + '"',
                 '"\\x85next"', "''", '" "', '"\\t"', '"\\e"']  # fmt: skip
    bad_descriptions = ['"a\\x00b"', '"a\\x1b[2J"', '"cr\\r=1+1"', '"bell\\a"', '"a\\x7f"', '"x\\u2029y"',
                        '"' + "d" * 5001 + '"', '"\\x0b"', '"\\f"']  # fmt: skip
    cases = []
    for label, slot, values in (("name", "name", bad_names), ("description", "description", bad_descriptions)):
        for value in values:
            for command in COMMANDS:
                text = _scenario_text(**{slot: value})
                cases.append(Case("text", f"{label} {value[:16]} {command}", _sized(command, (), scenario="{tmp}/mine.yaml"),
                                  (("mine.yaml", text.encode()),)))  # fmt: skip
    rng.shuffle(cases)
    return cases[:n]


# ---------------------------------------------------------------- sizes


def limit_cases(rng: random.Random) -> list[Case]:
    """Sizes over their documented maximum that would take hours or exhaust memory."""
    cases = []
    for year in ["2101", "10000000", HUGE_INT, "3000"]:
        for command in COMMANDS:
            cases.append(Case("limits", f"last_year {year[:10]} {command}",
                              _sized(command, ("--set", f"horizon.last_year={year}"))))  # fmt: skip
    for year in ["2101", "9999", "2050", "1000", "-5"]:
        for command in ("run", "compare", "sensitivity"):
            cases.append(Case("limits", f"first_year {year} {command}",
                              _sized(command, ("--set", f"horizon.first_year={year}"))))  # fmt: skip
    for text in ["horizon.first_year=2019", "horizon.last_year=2009"]:
        cases.append(Case("limits", f"horizon {text}", ("run", "standard", "--out", "{out}", "--set", text)))
    for draws in ["1000001", "10000000000"]:
        for command in ("run", "compare", "sweep"):
            cases.append(Case("limits", f"draws {draws} {command}", _sized(command, ("--draws", draws))))
    normal = "{dist: normal, mean: 0.5, sd: 1e300, low: 0.5, high: 0.5000001}"
    for command in ("run", "compare", "sweep", "sensitivity", "report"):
        for path in (
            "shared_services.max_rate",
            "places.kent.assets.max_rate",
            "single_offer.freedoms.pooling.drop_off",
        ):
            cases.append(Case("limits", f"truncated normal {path} {command}",
                              _sized(command, ("--set", f"{path}={normal}")
                                     + (("--draws", "20") if command != "sensitivity" else ("--method", "sobol",
                                                                                             "--samples", "8")))))  # fmt: skip
    cases.append(Case("limits", "truncated normal sd 1e308 no bounds", ("run", "standard", "--out", "{out}", "--draws",
                      "10", "--set", "appraisal.shared_services.cost_optimism_bias={dist: normal, mean: 1, sd: 1e308,"
                      " low: 0}")))  # fmt: skip
    for value in ["1e308", "1.7e308", "{dist: uniform, low: 1e307, high: 1.7e308}"]:
        for path in ("appraisal.shared_services.cost_optimism_bias", "pooling.return_rate", "assets.receipts_multiple",
                     "procurement.setup_cost", "baseline.real_growth"):  # fmt: skip
            cases.append(Case("limits", f"non-finite results {path}={value[:30]}",
                              ("run", "standard", "--out", "{out}", "--set", f"{path}={value}")))  # fmt: skip
    cases.append(Case("limits", "non-finite results in a sweep", ("sweep", "standard", "--out", "{out}", "--vary",
                      "procurement.setup_cost=1,1e308")))  # fmt: skip
    cases.append(Case("limits", "non-finite results in a tornado", ("sensitivity", "standard", "--out", "{out}", "--set",
                      "procurement.setup_cost={dist: uniform, low: 1, high: 1.7e308}")))  # fmt: skip
    cases.append(Case("limits", "non-finite results in draws", ("run", "standard", "--out", "{out}", "--draws", "20",
                      "--set", "baseline.real_growth={dist: uniform, low: 0, high: 1e300}")))  # fmt: skip
    return cases


# ---------------------------------------------------------------- all


def cases(seed: int = SEED) -> list[Case]:
    """Every generated case, the same list for the same seed."""
    rng = random.Random(seed)
    found = [
        *scenario_cases(rng, 260),
        *set_cases(rng, 320),
        *csv_cases(rng, 160),
        *defaults_cases(rng, 200),
        *cli_cases(rng),
        *text_cases(rng, 150),
        *limit_cases(rng),
    ]
    ids: dict[str, int] = {}
    unique = []
    for case in found:
        count = ids.get(case.id, 0)
        ids[case.id] = count + 1
        unique.append(case if not count else Case(**{**case.__dict__, "name": f"{case.name} #{count + 1}"}))
    return unique


def sample(all_cases: list[Case], size: int, seed: int = SEED) -> list[Case]:
    """A sample of `size` cases with every family in proportion (and the subprocess cases kept)."""
    rng = random.Random(seed + 1)
    by_family: dict[str, list[Case]] = {}
    for case in all_cases:
        by_family.setdefault(case.family, []).append(case)
    chosen = []
    for members in by_family.values():
        keep = max(1, round(size * len(members) / len(all_cases)))
        chosen += [c for c in members if c.subprocess]
        rest = [c for c in members if not c.subprocess]
        chosen += rng.sample(rest, min(len(rest), keep))
    return chosen


# ---------------------------------------------------------------- running one


@dataclass
class Outcome:
    """What a case did."""

    status: int | str  # exit status, or "hang"
    stdout: str
    stderr: str
    seconds: float
    before: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    after: dict[str, tuple[Any, ...]] = field(default_factory=dict)


class _Hang(BaseException):
    """Raised in this process when a case runs over its time."""


def snapshot(folder: Path) -> dict[str, tuple[Any, ...]]:
    """Every path under `folder` with its kind, size and modification time."""
    found = {}
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs + files:
            path = Path(root) / name
            info = path.lstat()
            found[str(path.relative_to(folder))] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return found


def set_up(case: Case, tmp: Path) -> list[str]:
    """Create the case's files in `tmp` and return its command line."""
    for name, content in case.files:
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    if case.edits:
        shutil.copytree(PARAMS, tmp / "params-copy")
        for edit in case.edits:
            edit(tmp / "params-copy")
    if case.prepare:
        case.prepare(tmp)
    names = {"{tmp}": str(tmp), "{out}": str(tmp / "out"), "{params}": str(tmp / "params-copy")}
    argv = []
    for arg in case.argv:
        for key, value in names.items():
            arg = arg.replace(key, value)
        argv.append(arg)
    return argv


def run_case(case: Case, tmp: Path) -> Outcome:
    """Try one case in the folder `tmp` (its working folder too)."""
    argv = set_up(case, tmp)
    before = snapshot(tmp)
    outcome = _in_subprocess(case, argv, tmp) if case.subprocess else _in_process(argv, tmp)
    outcome.before, outcome.after = before, snapshot(tmp)
    return outcome


def _in_process(argv: list[str], cwd: Path) -> Outcome:
    from tpmodel.cli import main

    out, err = io.StringIO(), io.StringIO()
    old_cwd, old_env = os.getcwd(), os.environ.pop("TPMODEL_PARAMS", None)

    def hang(signum: int, frame: Any) -> None:
        raise _Hang()

    previous = signal.signal(signal.SIGALRM, hang)
    started = time.perf_counter()
    status: int | str
    try:
        os.chdir(cwd)
        signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(argv)
            except SystemExit as exit:
                status = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
            except _Hang:
                status = "hang"
            except BaseException:  # what a user would see: a traceback
                traceback.print_exc()
                status = 1
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        os.chdir(old_cwd)
        if old_env is not None:
            os.environ["TPMODEL_PARAMS"] = old_env
    return Outcome(status, out.getvalue(), err.getvalue(), time.perf_counter() - started)


def _in_subprocess(case: Case, argv: list[str], cwd: Path) -> Outcome:
    env = {k: v for k, v in os.environ.items() if k != "TPMODEL_PARAMS"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)

    def limits() -> None:
        if case.file_size_limit:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (case.file_size_limit, case.file_size_limit))

    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "tpmodel.cli", *argv], cwd=cwd, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=limits,
                               start_new_session=True)  # fmt: skip
    try:
        stdout, stderr = process.communicate(timeout=TIME_LIMIT + 5)
        status: int | str = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        status = "hang"
    return Outcome(status, stdout, stderr, time.perf_counter() - started)


def failures(case: Case, outcome: Outcome) -> list[str]:
    """How an outcome breaks the promise (empty when it keeps it)."""
    found = []
    if outcome.status != 2:
        found.append(f"exit status {outcome.status}, not 2")
    if "Traceback" in outcome.stderr or "Traceback" in outcome.stdout:
        found.append("a traceback")
    lines = outcome.stderr.strip().splitlines()
    if not lines or len(lines) > 3:
        found.append(f"{len(lines)} lines on standard error, not 1 to 3")
    elif "error" not in lines[0]:
        found.append("the message does not say it is an error")
    if outcome.seconds > TIME_LIMIT:
        found.append(f"took {outcome.seconds:.1f} s")
    if outcome.after != outcome.before:
        changed = sorted(set(outcome.after.items()) ^ set(outcome.before.items()))
        found.append(f"wrote or changed {[name for name, _ in changed][:3]}")
    return found
