"""``ipt/`` is the bottom layer: no module of it imports one of the apps when it is loaded.

Read from the source (ast), so that an import hidden under ``if``/``try`` or in a class body counts too;
imports inside a function (run on call, once every app is loaded) are allowed.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Every folder with an apps.py is an app; ipt is the one below them all.
APPS = {p.parent.name for p in ROOT.glob("*/apps.py")} - {"ipt"}


def imports_au_chargement(source: str) -> list[tuple[int, str]]:
    """``(line, module)`` of each import run when the module is loaded (not inside a function)."""
    trouves = []

    def parcourir(noeuds):
        for noeud in noeuds:
            if isinstance(noeud, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            if isinstance(noeud, ast.Import):
                trouves.extend((noeud.lineno, alias.name) for alias in noeud.names)
            elif isinstance(noeud, ast.ImportFrom) and noeud.level == 0 and noeud.module:
                trouves.append((noeud.lineno, noeud.module))
            else:
                parcourir(ast.iter_child_nodes(noeud))

    parcourir(ast.parse(source).body)
    return trouves


def _vers_une_app(module: str) -> bool:
    return module.split(".")[0] in APPS


def test_the_check_sees_imports_at_load_time_only():
    source = (
        "import os\n"
        "from quartiers.models import Quartier\n"
        "try:\n    import votes.models\nexcept ImportError:\n    pass\n"
        "if True:\n    from charges import services\n"
        "class A:\n    from logements.models import Logement\n"
        "def f():\n    from demo.ville import construire_ville\n"
    )
    modules = [m for _, m in imports_au_chargement(source)]
    assert modules == ["os", "quartiers.models", "votes.models", "charges", "logements.models"]
    assert {"quartiers", "logements", "votes", "charges", "demo"} <= APPS


def test_no_ipt_module_imports_an_app_when_loaded():
    fautes = []
    for chemin in sorted((ROOT / "ipt").rglob("*.py")):
        for ligne, module in imports_au_chargement(chemin.read_text(encoding="utf-8")):
            if _vers_une_app(module):
                fautes.append(f"{chemin.relative_to(ROOT)}:{ligne} imports {module}")
    assert fautes == []
