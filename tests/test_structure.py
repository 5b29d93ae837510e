"""The code stays easy to live in: small modules and functions, printing only in the CLI, no
package folder named like build output (tools and ignore files skip `build/`), a package root
that shows the parts, and imports that go downwards only, at the top of each module."""
from __future__ import annotations

import ast
import os
import tomllib

from conftest import REPO

PACKAGE = os.path.join(REPO, "slidegen")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_ROOT_MODULES = 12          # besides __init__.py and __main__.py: entry points and the model
WRITERS = {"pptx", "handout", "instructor", "exercises"}      # the output formats' packages

# The only imports of slidegen's own modules inside a function, and the start-up each saves:
# (importing module, imported module) -> why it is not at the top.
LAZY = {
    ("slidegen.cli", "slidegen.pipeline.watch"):
        "watchfiles (a compiled extension) is loaded by --watch only",
    ("slidegen.pptx.writer", "slidegen.pptx.deck"):
        "python-pptx, lxml, Pillow and Pygments: a third of a second, for processes that make "
        "decks",
    ("slidegen.handout.writer", "slidegen.handout.files"):
        "WeasyPrint and pikepdf: half a second, for processes that make handouts",
    ("slidegen.instructor.writer", "slidegen.instructor.script"):
        "the handout engine (WeasyPrint), for processes that write scripts",
    ("slidegen.read.lesson", "slidegen.read.episode"):
        "markdown-it and the syntax rules, a tenth of a second, for builds with an episode to read "
        "(a rebuild with nothing to do reads none)",
    ("slidegen.read.dialects", "slidegen.read.jekyll"):
        "python-liquid, half a second, only for episodes that use Liquid",
    ("slidegen.read.dialects", "slidegen.read.liquid"):
        "python-liquid, half a second, only for episodes that use Liquid",
    ("slidegen.pipeline.jobs", "slidegen.pipeline.pool"):
        "multiprocessing, for builds with episodes to build (a rebuild with nothing to do has "
        "none)",
    ("slidegen.pipeline.runner", "slidegen.workshop.knit"):
        "knitting (concurrent.futures), for --knit only",
}
MAX_LAZY = 20


def modules():
    for base, dirs, files in os.walk(PACKAGE):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for f in files:
            if f.endswith(".py"):
                yield os.path.relpath(os.path.join(base, f), REPO)


def test_no_package_folder_is_named_build():
    assert not [base for base, dirs, _ in os.walk(PACKAGE) if "build" in dirs]


def test_modules_and_functions_are_small_and_only_the_cli_prints():
    problems = []
    for rel in modules():
        with open(os.path.join(REPO, rel), encoding="utf-8") as f:
            source = f.read()
        if source.count("\n") > MAX_MODULE_LINES:
            problems.append(f"{rel}: {source.count(chr(10))} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    problems.append(f"{rel}:{node.lineno} {node.name}() is {length} lines")
            if os.path.basename(rel) != "cli.py" and isinstance(node, ast.Call) and (
                    isinstance(node.func, ast.Name) and node.func.id == "print"
                    or isinstance(node.func, ast.Attribute)
                       and node.func.attr in ("echo", "secho")):
                problems.append(f"{rel}:{node.lineno} prints (only cli.py does)")
    assert problems == []


def module_name(path: str) -> str:
    rel = os.path.relpath(path, REPO)[:-3].replace(os.sep, ".")
    return rel[: -len(".__init__")] if rel.endswith(".__init__") else rel


def package_modules() -> dict[str, str]:
    return {module_name(os.path.join(REPO, rel)): os.path.join(REPO, rel) for rel in modules()}


def own_imports(files: dict[str, str], mod: str) -> list[tuple[str, bool]]:
    """(imported slidegen module, whether the import is inside a function) for every import
    statement of `mod`, names imported from a package counted as its submodules where they
    are ones."""
    with open(files[mod], encoding="utf-8") as f:
        tree = ast.parse(f.read())
    package = mod if files[mod].endswith("__init__.py") else mod.rpartition(".")[0]
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inside.update(id(n) for n in ast.walk(node) if n is not node)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [f"{target}.{a.name}" for a in node.names]
            targets = [n for n in names if n in files] or [target]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            continue
        found += [(t, id(node) in inside) for t in targets if t in files]
    return found


def import_graph(files: dict[str, str]) -> dict[str, set[str]]:
    """Module -> the modules importing it runs: what it names, and the packages those are in
    (their __init__ runs first), but not its own packages, which are already running."""
    graph = {}
    for mod in files:
        own = {".".join(mod.split(".")[:i]) for i in range(1, mod.count(".") + 1)}
        edges = set()
        for target, _ in own_imports(files, mod):
            parts = target.split(".")
            edges |= {p for p in (".".join(parts[:i]) for i in range(2, len(parts) + 1))
                      if p in files and p not in own and p != mod}
        graph[mod] = edges
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circle():
    assert circles(import_graph(package_modules())) == []


def test_imports_go_downwards_only():
    """Readers, the model and the shared services know no writer and no pipeline; writers and
    the pipeline know each other only through writer.py; only the CLI names the writers."""
    problems = []
    for mod, edges in import_graph(package_modules()).items():
        here = mod.split(".")[1] if "." in mod else ""
        for target in edges:
            there = target.split(".")[1]
            if here == there or mod == "slidegen.__main__" and target == "slidegen.cli":
                continue
            if there in ("cli", "__main__") or there == "writers" and here != "cli":
                problems.append(f"{mod} imports the entry point {target}")
            elif there == "pipeline" and here != "cli":
                problems.append(f"{mod} imports the pipeline ({target})")
            elif there in WRITERS and here not in WRITERS | {"writers"}:
                problems.append(f"{mod} imports the writer {target}")
    assert problems == []


def test_function_level_imports_are_few_and_each_saves_start_up():
    files = package_modules()
    lazy = sorted((mod, target) for mod in files for target, inside in own_imports(files, mod)
                  if inside)
    assert len(lazy) <= MAX_LAZY
    assert set(lazy) <= set(LAZY), sorted(set(lazy) - set(LAZY))
    assert set(LAZY) <= set(lazy), f"no longer imported in a function: {set(LAZY) - set(lazy)}"


def test_the_package_root_shows_the_parts():
    root = [f for f in os.listdir(PACKAGE) if f.endswith(".py")
            and f not in ("__init__.py", "__main__.py")]
    assert len(root) <= MAX_ROOT_MODULES, sorted(root)


def test_every_package_is_in_the_wheel_and_the_themes_are_at_the_top():
    with open(os.path.join(REPO, "pyproject.toml"), "rb") as f:
        setuptools = tomllib.load(f)["tool"]["setuptools"]
    folders = {module_name(os.path.join(REPO, rel)) for rel in modules()
               if rel.endswith("__init__.py")}
    assert set(setuptools["packages"]) == folders | {"slidegen.themes"}
    assert setuptools["package-dir"] == {"slidegen.themes": "themes"}
    assert os.path.isfile(os.path.join(REPO, "themes", "carpentries", "theme.toml"))
    assert not os.path.exists(os.path.join(PACKAGE, "themes"))
