"""The package's shape (docs/architecture.md): layers that only import downwards, no import
cycle, one implementation of each compose-derived fact, and no source kept in strings."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from mlflow_oidc_stack import ROOT

SRC = ROOT / "src"
PACKAGE = "mlflow_oidc_stack"
LAYERS = [  # each may import only from its own and earlier entries
    {PACKAGE, f"{PACKAGE}.probe"},
    {f"{PACKAGE}.config"},
    {f"{PACKAGE}.runtime"},
    {f"{PACKAGE}.keycloak"},
    {f"{PACKAGE}.doctor"},
    {f"{PACKAGE}.ops"},
]


def modules() -> dict[str, Path]:
    out = {}
    for path in (SRC / PACKAGE).rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module of the package that `name` imports, at any depth in the file."""
    is_pkg = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith(PACKAGE)}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith(PACKAGE):
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
    return found - {name}


def layer(module: str) -> int:
    for i, group in enumerate(LAYERS):
        if any(module == g or module.startswith(g + ".") for g in group if g != PACKAGE) or module in group:
            return i
    raise AssertionError(f"{module} belongs to no layer")


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports(name, path, set(mods)) for name, path in mods.items()}


def test_layers_import_only_downwards():
    wrong = [(m, d) for m, deps in graph().items() for d in deps if layer(d) > layer(m)]
    assert wrong == []


def test_no_import_cycle():
    g = graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(m, path):
        state[m] = 1
        for d in sorted(g.get(m, ())):
            if state.get(d) == 1:
                cycles.append(path[path.index(d) :] + [d])
            elif d not in state:
                visit(d, path + [d])
        state[m] = 2

    for m in sorted(g):
        if m not in state:
            visit(m, [m])
    assert cycles == []


def test_no_code_kept_in_strings():
    for path in modules().values():
        calls = [
            n.func.id
            for n in ast.walk(ast.parse(path.read_text()))
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
        ]
        assert not {"exec", "eval", "compile"} & set(calls), f"{path} runs source kept in a string"


def test_compose_derived_facts_have_one_implementation():
    """Placeholders, provenance and ports are worked out in config/facts.py only."""
    owners = {
        r"\\\$\\\{\(\[A-Za-z_\]": "config/facts.py",  # the ${VAR} pattern
        r"\"--no-interpolate\"": "config/render.py",
        r"yaml\.safe_load": None,  # nobody reads the compose YAML by hand
    }
    for pattern, owner in owners.items():
        hits = {str(p.relative_to(SRC / PACKAGE)) for p in modules().values() if re.search(pattern, p.read_text())}
        assert hits == ({owner} if owner else set()), (pattern, hits)
