"""The code's layers, read from its imports: `lib` ← `record` ← `news` ← `feeds`/`api`/`search`
← the project (`core`: admin site, login throttling, runstack; settings, URLs, Celery app).
A lower layer never imports a higher one, the three outputs do not import each other, no
module imports itself in a circle, even through an import written inside a function, and no
class or module-level function name is defined twice for different things."""

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

TRACKER = Path(__file__).resolve().parent.parent / "tracker"

# What each app may import from the others ("project": tracker/*.py outside the apps).
MAY_IMPORT = {
    "lib": set(),
    # The project's own shell (admin site, login throttling, runstack) sits on top, with the
    # settings and URLs: it may use every app, and no app imports it.
    "core": {"lib", "record", "news", "feeds", "api", "search"},
    "record": {"lib"},
    "news": {"lib", "record"},
    "feeds": {"lib", "record", "news"},
    "api": {"lib", "record", "news"},
    "search": {"lib", "record", "news"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(TRACKER.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """The tracker modules `path` imports, anywhere in it (names resolved to modules where the
    name is a module, else to the package the name comes from)."""
    own = module_name(path)
    package = own if path.name == "__init__.py" else own.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            found.add(origin)
            found.update(f"{origin}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("tracker.") and name in MODULES} - {own}


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in MAY_IMPORT) else "project"


SOURCES = [path for path in TRACKER.rglob("*.py") if "migrations" not in path.parts]
MODULES = {module_name(path) for path in SOURCES}
GRAPH = {module_name(path): imported_modules(path) for path in SOURCES}


def test_the_graph_sees_the_imports_it_should():
    # The reader below is only worth trusting if it finds imports we know are there.
    assert "tracker.record.models" in GRAPH["tracker.news.models"]
    assert "tracker.lib.languages" in GRAPH["tracker.api.language"]
    assert "tracker.news.queries" in GRAPH["tracker.news.templatetags.news_tags"]


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_an_app_imports_only_the_layers_below_it(app):
    upward = sorted(
        f"{module} imports {imported}"
        for module, imports in GRAPH.items()
        if layer(module) == app
        for imported in imports
        if layer(imported) not in MAY_IMPORT[app] | {app}
    )
    assert upward == []


def test_no_module_imports_itself_in_a_circle():
    """Tarjan's strongly connected components over the module graph; a package's __init__
    that only re-exports its modules counts as the package."""
    index, low, on_stack, stack, cycles = {}, {}, set(), [], []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in GRAPH.get(module, ()):
            if imported.startswith(module + "."):
                continue  # a package importing its own modules (its __init__ re-exports them)
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert cycles == []


# Django finds a management command by its module's name and its class named Command.
SAME_NAME_BY_CONVENTION = {"Command"}


def test_no_class_or_module_level_function_name_is_defined_twice():
    defined: dict[str, list[str]] = {}
    for path in SOURCES:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                defined.setdefault(node.name, []).append(module_name(path))
    twice = {name: modules for name, modules in defined.items() if len(modules) > 1}
    assert set(twice) <= SAME_NAME_BY_CONVENTION, twice


SCRIPTS = sorted((TRACKER.parent / "bench").glob("*.py")) + [
    path
    for path in sorted((TRACKER.parent / "bin").iterdir())
    if path.read_bytes().startswith(b"#!/usr/bin/env python")
]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_name_a_script_takes_from_tracker_exists(script):
    # The benchmarks and bin scripts import inside functions and run outside the suite, so a
    # rename in tracker/ would otherwise break them unnoticed (bench/extraction.py once did).
    missing = []
    for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").startswith("tracker"):
            module = importlib.import_module(node.module)
            for alias in node.names:
                if not hasattr(module, alias.name) and importlib.util.find_spec(f"{node.module}.{alias.name}") is None:
                    missing.append(f"{node.module}.{alias.name}")
    assert missing == []
