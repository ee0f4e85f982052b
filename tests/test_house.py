"""The house rules a newcomer relies on: each layer looks down only, importing a module does
nothing to the environment, every setting is documented, and the README's layout is the tree."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys

from einclusie import settings
from tests.conftest import PROJECT

PACKAGE = PROJECT / "einclusie"
MODULES = sorted(
    ".".join(path.relative_to(PROJECT).with_suffix("").parts).removesuffix(".__init__")
    for path in PACKAGE.rglob("*.py")
)
README = (PROJECT / "README.md").read_text(encoding="utf-8")


def imported(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_nothing_in_einclusie_imports_the_load_or_the_dashboard():
    for path in PACKAGE.rglob("*.py"):
        upper = {n for n in imported(path) if n.split(".")[0] in {"etl", "dashboard", "pages"}}
        assert not upper, (path, upper)


def test_the_figures_layer_imports_neither_charts_nor_exports():
    for path in (PACKAGE / "figures").rglob("*.py"):
        upper = {
            n for n in imported(path) if n.startswith(("einclusie.charts", "einclusie.exports"))
        }
        assert not upper, (path, upper)
    for path in (PACKAGE / "charts").rglob("*.py"):
        assert not {n for n in imported(path) if n.startswith("einclusie.exports")}, path


def test_the_tree_has_no_import_cycles():
    result = subprocess.run(
        [sys.executable, str(PROJECT.parent / "shared" / "tools" / "import_cycles.py")],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 and "No such file" in result.stderr:
        return  # ../shared is not beside the project; the AST checks above still hold
    assert "no import cycles" in result.stdout, result.stdout + result.stderr


def test_importing_any_module_of_einclusie_sets_no_environment_variable():
    script = (
        "import importlib, json, os, sys\n"
        "before = dict(os.environ)\n"
        "changed = {}\n"
        "for name in json.loads(sys.argv[1]):\n"
        "    importlib.import_module(name)\n"
        "    now = dict(os.environ)\n"
        "    if now != before:\n"
        "        changed[name] = sorted(set(now.items()) ^ set(before.items()))\n"
        "        before = now\n"
        "print(json.dumps(changed))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, json.dumps(MODULES)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout) == {}


def test_every_environment_variable_is_read_in_settings_and_documented_in_the_readme():
    read_elsewhere = []
    for path in [*PACKAGE.rglob("*.py"), *(PROJECT / "dashboard").rglob("*.py")]:
        if path.name == "settings.py":
            continue
        if re.search(r"os\.environ|getenv", path.read_text(encoding="utf-8")):
            read_elsewhere.append(path)
    assert not read_elsewhere
    source = (PACKAGE / "settings.py").read_text(encoding="utf-8")
    used = set(re.findall(r"environ\.get\(\"([A-Z_]+)\"", source))
    assert used == set(settings.ENVIRONMENT)
    table = README.split("## Settings", 1)[1].split("\n## ", 1)[0]
    for name in settings.ENVIRONMENT:
        assert f"`{name}`" in table, f"{name} is missing from the README's Settings table"


def test_the_readme_layout_names_every_folder_and_module_of_the_house():
    layout = README.split("## Layout", 1)[1].split("\n## ", 1)[0]
    top = sorted(
        p.name
        for p in PROJECT.iterdir()
        if p.is_dir() and not p.name.startswith(".") and p.name not in {"__pycache__"}
    )
    for name in top:
        if name in {"data"}:
            for sub in sorted(p.name for p in (PROJECT / "data").iterdir() if p.is_dir()):
                assert f"data/{sub}/" in layout, f"data/{sub}/"
            continue
        assert f"{name}/" in layout, name
    for sub in ("figures", "charts", "exports"):
        assert f"{sub}/" in layout, sub
        for module in sorted((PACKAGE / sub).glob("*.py")):
            if module.name != "__init__.py":
                assert module.name in layout, f"einclusie/{sub}/{module.name}"
    for module in sorted(PACKAGE.glob("*.py")):
        if module.name != "__init__.py":
            assert module.name in layout, f"einclusie/{module.name}"
