"""The kit's packaging promises: one dependency list, two README commands, a documented API."""

from __future__ import annotations

import inspect
import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import embedkit

ROOT = Path(__file__).resolve().parent.parent
# conda-forge names that differ from the PyPI names in pyproject.toml
CONDA_TO_PYPI = {"pytorch-cpu": "torch", "pysoundfile": "soundfile"}


def _pyproject_names() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for name, extra in project["optional-dependencies"].items():
        requirements += [r for r in extra if not r.startswith("embedkit")]
    return {canonicalize_name(Requirement(r).name) for r in requirements}


def _environment_names() -> set[str]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    names = set()
    for entry in environment["dependencies"]:
        specs = entry["pip"] if isinstance(entry, dict) else [entry]
        for spec in specs:
            name = re.split(r"[=<>!\s]", spec, maxsplit=1)[0]
            names.add(canonicalize_name(CONDA_TO_PYPI.get(name, name)))
    return names - {"python", "pip"}


def test_environment_yml_and_pyproject_name_the_same_dependencies():
    assert _environment_names() == _pyproject_names()


def test_constraints_pin_every_dependency():
    pinned = {canonicalize_name(line.split("==")[0]) for line in
              (ROOT / "constraints.txt").read_text().splitlines() if "==" in line}
    assert _pyproject_names() - {"webrtcvad-wheels"} <= pinned | {"webrtcvad-wheels"}
    assert "torchaudio" not in pinned


def test_readme_has_exactly_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```bash\n(.*?)```", readme, flags=re.S)
    assert [c.strip() for c in commands] == ["./scripts/lab", "./scripts/test"]
    ci_lines = [line.strip() for line in (ROOT / ".ci/run").read_text().splitlines()
                if line.strip() and not line.startswith(("#", "set", "cd"))]
    assert ci_lines[-1].removeprefix("./") == "scripts/test"


def test_every_public_name_has_a_docstring_with_an_example():
    for name in embedkit.__all__:
        obj = getattr(embedkit, name)
        if inspect.isclass(obj) and issubclass(obj, Exception):
            continue
        doc = inspect.getdoc(obj) or ""
        if inspect.isclass(obj):
            doc += inspect.getdoc(inspect.getmodule(obj)) or ""
        assert ">>>" in doc, f"embedkit.{name} needs a docstring with a runnable example"


def test_importing_embedkit_loads_no_heavy_library():
    import subprocess
    import sys

    code = "import sys, embedkit; print(sorted(m for m in ('torch', 'umap', 'gensim', 'librosa', 'open_clip', 'sentence_transformers') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


def test_setup_installs_nothing_when_nothing_changed():
    import subprocess

    result = subprocess.run(["bash", str(ROOT / "scripts" / "setup")], capture_output=True,
                            text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "nothing to install" in result.stdout
