"""The package's structure: what importing it costs, and which module may import which."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("pandas", "matplotlib", "openpyxl", "scipy", "dask", "yaml")


@pytest.mark.parametrize("statement", ["import tpmodel", "import tpmodel.core", "import tpmodel.core.engine"])
def test_importing_the_package_or_its_core_imports_no_heavy_library(statement):
    """A worker process or a core test does not pay for pandas, plotting, YAML or dask."""
    code = f"{statement}, sys; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "[]"


def test_tpmodel_run_imports_no_table_plotting_or_cluster_library(tmp_path):
    """`tpmodel run SCENARIO --out DIR` (the central case, its three files) does without pandas, plotting,
    the workbook, scipy and dask (they cost most of its time); YAML it needs. With --draws it may use them."""
    heavy = tuple(m for m in HEAVY if m != "yaml")
    code = (
        "import sys; from tpmodel.cli import main; "
        f"status = main(['run', 'standard', '--out', {str(tmp_path / 'out')!r}, '--quiet']); "
        f"print(status, sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PACKAGE.parent)
    assert shown.stdout.strip() == "0 []"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["baseline.csv", "results.csv", "summary.json"]


def test_the_facade_names_load_on_first_use():
    import tpmodel

    assert callable(tpmodel.run) and callable(tpmodel.compare) and callable(tpmodel.sweep)
    assert callable(tpmodel.sensitivity) and issubclass(tpmodel.InputError, Exception)
    assert tpmodel.RunResult.__name__ == "RunResult" and tpmodel.__version__
    with pytest.raises(AttributeError):
        _ = tpmodel.no_such_name


# ---------------------------------------------------------------- layers: every import looks down

PACKAGE = Path(__file__).resolve().parent.parent / "tpmodel"

#: Layers from the bottom up; a module may import modules of its own layer or of a lower one, never of a
#: higher one, and no modules may import each other in a circle. A module is named by its dotted name;
#: an entry ending in ".*" covers a package and everything in it. docs/model.md's code map follows this.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("utilities", ("tpmodel.version", "tpmodel.errors", "tpmodel.execution", "tpmodel.files")),
    ("core", ("tpmodel.core.*",)),
    ("parameters", ("tpmodel.params.*", "tpmodel.data", "tpmodel.scenario_io", "tpmodel.labels")),
    ("model", ("tpmodel.model", "tpmodel.engine_inputs")),
    ("analyses", ("tpmodel.analyses.*",)),
    ("outputs", ("tpmodel.results", "tpmodel.folders", "tpmodel.formatting", "tpmodel.charts", "tpmodel.workbook",
                 "tpmodel.report", "tpmodel.paramdocs", "tpmodel.assurance_pack")),
    ("interfaces", ("tpmodel", "tpmodel.cli", "tpmodel.commands.*", "tpmodel.widgets.*")),
)  # fmt: skip

#: Imports that still go up, each with its reason. This list only shrinks; it is empty now, and a
#: new entry needs a reason a reviewer accepts.
KNOWN_UPWARD: dict[tuple[str, str], str] = {}


def module_names() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    names = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ("tpmodel", *path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def layer_of(module: str) -> int:
    """The index of `module`'s layer in LAYERS; a module in no layer fails the test."""
    for index, (_, patterns) in enumerate(LAYERS):
        for pattern in patterns:
            if module == pattern or (pattern.endswith(".*") and (module + ".").startswith(pattern[:-1])):
                return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in tests/test_layers.py")


def _type_checking_only(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def _import_nodes(node: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement, at the top or inside a function, except those under `if TYPE_CHECKING:`."""
    found: list[ast.Import | ast.ImportFrom] = []
    for child in ast.iter_child_nodes(node):
        if _type_checking_only(child):
            found += [n for c in child.orelse for n in _import_nodes_of(c)]
            continue
        found += _import_nodes_of(child)
    return found


def _import_nodes_of(node: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    return [node] if isinstance(node, ast.Import | ast.ImportFrom) else _import_nodes(node)


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that `module` imports (a name imported from a package that is itself a
    module counts as that module)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)] if node.level else []
            stem = ".".join([*base, *([node.module] if node.module else [])])
            targets = [f"{stem}.{alias.name}" if f"{stem}.{alias.name}" in known else stem for alias in node.names]
        for target in targets:
            while target and target not in known:  # `import tpmodel.core.axes` -> tpmodel.core.axes
                target = target.rpartition(".")[0]
            if target.startswith("tpmodel") and target != module:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    names = module_names()
    return {module: imports_of(module, path, set(names)) for module, path in names.items()}


def test_every_module_has_a_layer():
    for module in module_names():
        layer_of(module)


def test_no_import_goes_up_a_layer():
    """An import of a higher layer (top level or inside a function) fails, unless it is in KNOWN_UPWARD."""
    upward = []
    for module, targets in import_graph().items():
        for target in sorted(targets):
            if layer_of(target) > layer_of(module) and (module, target) not in KNOWN_UPWARD:
                upward.append(
                    f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
                )
    assert upward == []


#: Modules that write files; the analyses return data and leave writing to the outputs layer.
WRITERS = ("tpmodel.files", "tpmodel.results", "tpmodel.folders", "tpmodel.workbook", "tpmodel.charts")


def test_the_analyses_write_no_files():
    """No analysis imports a writer: folders, CSVs, workbooks and charts are the outputs layer's (tpmodel/folders.py)."""
    writing = [
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        if module.startswith("tpmodel.analyses")
        for target in sorted(targets)
        if target in WRITERS
    ]
    assert writing == []


def test_known_upward_imports_still_exist():
    """An entry of KNOWN_UPWARD that no longer happens is removed from the list."""
    graph = import_graph()
    assert [edge for edge in KNOWN_UPWARD if edge[1] not in graph.get(edge[0], set())] == []


def test_no_modules_import_each_other_in_a_circle():
    """No circle of imports between modules (Tarjan's strongly connected components)."""
    graph = {m: {t for t in ts if (m, t) not in KNOWN_UPWARD} for m, ts in import_graph().items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    assert circles == []


def test_the_walker_sees_imports_inside_functions_and_relative_imports(tmp_path):
    """The walker itself: a relative import inside a function counts; one under TYPE_CHECKING does not."""
    path = tmp_path / "mod.py"
    path.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .report import x\n"
        "def f():\n    from ..charts import y\n    from . import results\n",
        encoding="utf-8",
    )
    known = {"tpmodel.analyses.mod", "tpmodel.charts", "tpmodel.analyses.results", "tpmodel.analyses.report"}
    assert imports_of("tpmodel.analyses.mod", path, known) == {"tpmodel.charts", "tpmodel.analyses.results"}
