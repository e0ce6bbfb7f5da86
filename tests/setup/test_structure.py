"""The import structure of uni.servicedesk: no import loop, and no import inside a function
unless a comment on its line or the line above says why.

Self-contained: the modules under src/uni/servicedesk are read with ``ast`` (nothing is
imported). ``import a.b.c`` and ``from a.b.c import x`` depend on the package
``__init__`` modules Python runs on the way (``a.b``, ``a.b.c``), except the importing
module's own packages, which Python has started before it; imports inside functions count
too (a loop held by a late import is still a loop, only hidden until that call).
"""

from pathlib import Path

import ast
import io
import re
import tokenize


SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = "uni.servicedesk"


def module_paths(src, package):
    """{dotted module name: path} of every module of ``package`` under ``src``."""
    modules = {}
    for path in sorted((src / package.replace(".", "/")).rglob("*.py")):
        parts = path.relative_to(src).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _prefixes(name):
    """'a.b.c' -> ['a', 'a.b', 'a.b.c']."""
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def _base(node, current, is_package):
    """The module an ImportFrom names, with relative imports resolved."""
    if not node.level:
        return node.module
    package = current.split(".") if is_package else current.split(".")[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join(package + ([node.module] if node.module else []))


def dependencies(node, current, is_package, modules):
    """The modules of ``modules`` that running the import statement ``node`` depends on."""
    ancestors = set(_prefixes(current)[:-1]) | ({current} if is_package else set())
    found = set()
    if isinstance(node, ast.Import):
        for alias in node.names:
            *passed, target = _prefixes(alias.name)
            found.add(target)
            found.update(p for p in passed if p not in ancestors)
    else:
        base = _base(node, current, is_package)
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            if submodule in modules:  # `from a.b import c`, c a module: a.b is passed through
                found.add(submodule)
                found.update(p for p in _prefixes(base) if p not in ancestors)
            else:  # a name from a.b's namespace: a.b must have run to its end
                found.add(base)
                found.update(p for p in _prefixes(base)[:-1] if p not in ancestors)
    return {name for name in found if name in modules and name != current}


def _comments(source):
    """({line: comment} after code, {line: comment} alone on its line), of the comments
    that say something (not only ``noqa``)."""
    after_code, alone = {}, {}
    lines = source.splitlines()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            text = re.sub(r"#\s*noqa(:\s*[A-Z]+[0-9]+(,\s*[A-Z]+[0-9]+)*)?", "", token.string)
            text = text.strip("#-: \t")
            if text:
                line = token.start[0]
                own_line = not lines[line - 1][: token.start[1]].strip()
                (alone if own_line else after_code)[line] = text
    return after_code, alone


def _inside_functions(tree):
    """The import statements inside function bodies (lambdas included)."""
    functions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
    return [
        node
        for function in ast.walk(tree)
        if isinstance(function, functions)
        for node in ast.walk(function)
        if isinstance(node, (ast.Import, ast.ImportFrom))
    ]


def import_structure(src, package):
    """(graph {module: modules it depends on}, imports inside functions: [(module, line,
    the comment saying why or None)])."""
    modules = module_paths(src, package)
    graph = {name: set() for name in modules}
    inside = []
    for name, path in modules.items():
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source, filename=str(path))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                graph[name] |= dependencies(node, name, is_package, modules)
        after_code, alone = _comments(source)
        for node in _inside_functions(tree):
            why = after_code.get(node.lineno) or alone.get(node.lineno - 1)
            inside.append((name, node.lineno, why))
    return graph, sorted(set(inside))


def loops(graph):
    """The strongly connected components of more than one module (Tarjan), sorted."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    for root in sorted(graph):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(sorted(graph[root])))]
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return sorted(found)


def check(src, package):
    """(loops, imports inside functions without a reason), and what was checked, printed."""
    graph, inside = import_structure(src, package)
    found = loops(graph)
    unexplained = [f"{module}:{line}" for module, line, why in inside if why is None]
    print(
        f"{package}: {len(graph)} modules, {sum(map(len, graph.values()))} import edges, "
        f"{len(found)} loops; {len(inside)} imports inside functions, "
        f"{len(unexplained)} without a reason"
    )
    for module, line, why in inside:
        print(f"  inside a function: {module}:{line}  # {why}")
    return found, unexplained


# -- the package -------------------------------------------------------------------------


def test_no_import_loop():
    found, _ = check(SRC, PACKAGE)
    assert found == []


def test_imports_inside_functions_say_why():
    _, unexplained = check(SRC, PACKAGE)
    assert unexplained == []


def test_the_graph_has_the_package():
    graph, _ = import_structure(SRC, PACKAGE)
    assert len(graph) > 50
    assert f"{PACKAGE}.api.requests" in graph[f"{PACKAGE}.setuphandlers"]


# -- the checker, on a copy of the package with one import added ----------------------------


def copy_with(tmp_path, module, added):
    """The package's modules copied under tmp_path, the lines ``added`` put at the start
    of ``module``'s first function; (the copy's src, the line number of the first added)."""
    line = None
    for name, path in module_paths(SRC, PACKAGE).items():
        target = tmp_path / path.relative_to(SRC)
        target.parent.mkdir(parents=True, exist_ok=True)
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        if name == module:
            # after the first def's line (its signature on one line, as ours are)
            line = next(i for i, text in enumerate(lines) if text.startswith("def ")) + 2
            lines[line - 1 : line - 1] = added
        target.write_text("".join(lines), encoding="utf-8")
    return tmp_path, line


def test_clock_importing_requests_in_a_function_fails(tmp_path):
    # clock already imports requests at module level (no loop: requests never imports
    # the SLA); a second import, inside a function and unexplained, is caught as such.
    clock = f"{PACKAGE}.api.sla.clock"
    src, line = copy_with(tmp_path, clock, [f"    from {PACKAGE}.api.requests import state\n"])
    found, unexplained = check(src, PACKAGE)
    assert found == []
    assert f"{clock}:{line}" in unexplained


def test_requests_importing_the_sla_in_a_function_is_a_loop_even_explained(tmp_path):
    timeline = f"{PACKAGE}.api.requests.timeline"
    src, line = copy_with(
        tmp_path,
        timeline,
        [
            "    # the clock, late (a reason does not make a loop right)\n",
            f"    from {PACKAGE}.api.sla import clock\n",
        ],
    )
    found, unexplained = check(src, PACKAGE)
    assert f"{timeline}:{line + 1}" not in unexplained
    assert len(found) == 1
    assert {f"{PACKAGE}.api.requests", timeline, f"{PACKAGE}.api.sla.clock"} <= set(found[0])


# -- the checker, on small packages --------------------------------------------------------


def write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


CLOCK = "def start(request):\n    return request\n"
PKG = {
    "pkg/__init__.py": "",
    "pkg/api/__init__.py": "",
    "pkg/api/requests/__init__.py": "from pkg.api.requests.submission import submit\n",
    "pkg/api/requests/records.py": "RECORDS = 1\n",
    "pkg/api/requests/submission.py": (
        "from pkg.api.requests.records import RECORDS\nfrom pkg.api.sla.clock import start\n"
        "def submit():\n    return start(RECORDS)\n"
    ),
    "pkg/api/sla/__init__.py": "from pkg.api.sla.clock import start\n",
    "pkg/api/sla/clock.py": CLOCK,
}


def test_a_package_without_loops(tmp_path):
    assert check(write(tmp_path, PKG), "pkg") == ([], [])


def test_an_import_inside_a_function_makes_a_loop(tmp_path):
    clock = CLOCK.replace("    return", "    from pkg.api.requests import submit\n    return")
    write(tmp_path, {**PKG, "pkg/api/sla/clock.py": clock})
    found, unexplained = check(tmp_path, "pkg")
    assert found == [
        ["pkg.api.requests", "pkg.api.requests.submission", "pkg.api.sla", "pkg.api.sla.clock"]
    ]
    assert unexplained == ["pkg.api.sla.clock:2"]


def test_a_relative_import_of_a_module_makes_the_same_loop(tmp_path):
    write(tmp_path, {**PKG, "pkg/api/sla/clock.py": "from ..requests import records\n" + CLOCK})
    found, _ = check(tmp_path, "pkg")
    # records imports nothing, but Python runs pkg.api.requests' __init__ to reach it.
    assert found == [
        ["pkg.api.requests", "pkg.api.requests.submission", "pkg.api.sla", "pkg.api.sla.clock"]
    ]


def test_import_of_a_dotted_name_runs_the_packages_on_the_way(tmp_path):
    clock = "import pkg.api.requests.records\n" + CLOCK
    found, _ = check(write(tmp_path, {**PKG, "pkg/api/sla/clock.py": clock}), "pkg")
    assert len(found) == 1 and "pkg.api.requests" in found[0]


def test_a_module_under_its_own_package_is_no_loop(tmp_path):
    # submission imports records through pkg.api.requests, which is importing submission:
    # Python has started that package already and does not run it again.
    graph, _ = import_structure(write(tmp_path, PKG), "pkg")
    assert graph["pkg.api.requests.submission"] == {
        "pkg.api.requests.records",
        "pkg.api.sla",
        "pkg.api.sla.clock",
    }
    assert loops(graph) == []


def test_a_name_from_its_own_package_is_a_loop(tmp_path):
    records = "from pkg.api.requests import submit\nRECORDS = 1\n"
    found, _ = check(write(tmp_path, {**PKG, "pkg/api/requests/records.py": records}), "pkg")
    assert found == [
        ["pkg.api.requests", "pkg.api.requests.records", "pkg.api.requests.submission"]
    ]


def test_a_comment_says_why(tmp_path):
    clock = (
        "def start(request):\n"
        "    # icalendar is slow to import and rarely needed\n"
        "    import json\n"
        "    import csv  # the export only\n"
        "    import html  # noqa: F401\n"
        "    return request\n"
    )
    found, unexplained = check(write(tmp_path, {**PKG, "pkg/api/sla/clock.py": clock}), "pkg")
    assert found == []
    assert unexplained == ["pkg.api.sla.clock:5"]
