"""The spec's EXCLUDES, checked without building the bundle: every import statement in desktop_app (those
inside functions too, which the frozen runs may not reach) and every desktop_app module, imported in a fresh
interpreter where the excluded modules cannot be found, as in the bundle. A library that imports an excluded
module only under try/except ImportError (httpx and its command-line client) or inside a function Hearth
never calls passes; one that needs it at import time fails here instead of in a user's hands."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "hearth.spec"

PROBE = textwrap.dedent(
    """
    import ast, json, pkgutil, sys
    from pathlib import Path

    blocked, root = json.loads(sys.argv[1]), Path(sys.argv[2])

    class Excluded:
        # every finder, blind to the excluded modules: importing one fails, importlib.util.find_spec says None

        def __init__(self, finder):
            self.finder = finder

        def find_spec(self, name, path=None, target=None):
            if any(name == b or name.startswith(b + ".") for b in blocked):
                return None
            find = getattr(self.finder, "find_spec", None)
            return find(name, path, target) if find else None

        def __getattr__(self, name):  # find_distributions (importlib.metadata), invalidate_caches, ...
            return getattr(self.finder, name)

    sys.meta_path[:] = [Excluded(finder) for finder in sys.meta_path]
    statements = set()
    for path in sorted((root / "desktop_app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                statements |= {f"import {a.name}" for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                statements |= {f"from {node.module} import {a.name}" for a in node.names if a.name != "*"}
    import desktop_app

    for module in pkgutil.walk_packages(desktop_app.__path__, "desktop_app."):
        if not module.name.endswith("__main__"):  # __main__ runs the app
            statements.add(f"import {module.name}")
    failed = {}
    for statement in sorted(statements):
        try:
            exec(statement, {})
        except Exception as exc:
            failed[statement] = f"{type(exc).__name__}: {exc}"
    print(json.dumps({"tried": len(statements), "failed": failed}))
    """
)
# desktop_app's own imports that cannot work here or in the bundle, by design: Windows-only modules
EXPECTED_FAILURES = {"import msvcrt"}


def spec_excludes() -> list[str]:
    """EXCLUDES as the spec computes it (a list of names and comprehensions over literal names)."""
    for node in ast.parse(SPEC.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "EXCLUDES" for t in node.targets):
            return eval(compile(ast.Expression(node.value), str(SPEC), "eval"), {})  # noqa: S307 - our own spec
    raise AssertionError("no EXCLUDES in packaging/hearth.spec")


def import_everything(blocked: list[str]) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(blocked), str(ROOT)], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_spec_excludes_reads_the_list():
    excludes = spec_excludes()
    assert {"tkinter", "rich", "networkx", "PySide6.QtWebEngineCore"} <= set(excludes)


def test_everything_desktop_app_imports_still_imports_without_the_excluded_modules():
    result = import_everything(spec_excludes())
    assert result["tried"] > 300  # every module of desktop_app and every import statement in it
    broken = {s: why for s, why in result["failed"].items() if s not in EXPECTED_FAILURES}
    assert not broken, (
        "these imports fail in the bundle, where the spec's EXCLUDES are missing; take the module they need "
        f"out of EXCLUDES in packaging/hearth.spec: {json.dumps(broken, indent=1, ensure_ascii=False)}"
    )
