"""The kit's packaging promises: one dependency list, two README commands, a documented API."""

from __future__ import annotations

import inspect
import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

import embedkit

ROOT = Path(__file__).resolve().parent.parent
# conda-forge names that differ from the PyPI names in pyproject.toml
CONDA_TO_PYPI = {"pytorch-cpu": "torch", "pysoundfile": "soundfile"}


def _pyproject_requirements() -> dict[str, SpecifierSet]:
    """Each dependency's version specifier; an extra repeating a package must repeat its pin."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for name, extra in project["optional-dependencies"].items():
        requirements += [r for r in extra if not r.startswith("embedkit")]
    found: dict[str, SpecifierSet] = {}
    for text in requirements:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert found.get(name, requirement.specifier) == requirement.specifier, (
            f"pyproject.toml gives {name} two different versions: {found[name]} and {requirement.specifier}")
        found[name] = requirement.specifier
    return found


def _pyproject_names() -> set[str]:
    return set(_pyproject_requirements())


def _environment_requirements() -> dict[str, SpecifierSet]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    found = {}
    for entry in environment["dependencies"]:
        specs = entry["pip"] if isinstance(entry, dict) else [entry]
        for spec in specs:
            name, _, version = re.match(r"^([A-Za-z0-9_.\-]+)\s*(([=<>!]=?)\s*(.*))?$", spec).groups()[:3]
            text = spec[len(name):].strip()
            if re.fullmatch(r"=[^=<>!].*", text):  # conda's single "=" is a prefix match: =0.11.0 means 0.11.0.*
                text = "==" + text[1:]
            found[canonicalize_name(CONDA_TO_PYPI.get(name, name))] = SpecifierSet(text)
    return {name: spec for name, spec in found.items() if name not in ("python", "pip")}


def _environment_names() -> set[str]:
    return set(_environment_requirements())


def _constraints() -> dict[str, str]:
    lines = (ROOT / "constraints.txt").read_text().splitlines()
    return {canonicalize_name(line.split("==")[0]): line.split("==")[1].strip() for line in lines if "==" in line}


def test_environment_yml_and_pyproject_name_the_same_dependencies():
    assert _environment_names() == _pyproject_names()


def test_environment_yml_and_pyproject_ask_for_the_same_versions():
    pyproject, environment = _pyproject_requirements(), _environment_requirements()
    differ = {name: (str(pyproject[name]), str(environment[name])) for name in pyproject
              if name in environment and pyproject[name] != environment[name]}
    assert not differ, f"pyproject.toml vs environment.yml: {differ}"
    assert str(environment["torch"]) == "==2.14.1" and str(environment["torchvision"]) == "==0.29.1"


def test_constraints_pin_every_dependency_to_a_version_pyproject_allows():
    pinned = _constraints()
    assert _pyproject_names() <= set(pinned)
    outside = {name: (pinned[name], str(spec)) for name, spec in _pyproject_requirements().items()
               if not spec.contains(pinned[name], prereleases=True)}
    assert not outside, f"constraints.txt pins versions pyproject.toml does not allow: {outside}"
    assert "torchaudio" not in pinned


def test_python_cap_is_explained_and_matches_setup_and_binder():
    pyproject = (ROOT / "pyproject.toml").read_text()
    cap = tomllib.loads(pyproject)["project"]["requires-python"]
    assert cap == ">=3.11,<3.12"
    before_cap = pyproject[: pyproject.index("requires-python")]
    assert "Capped below 3.12 on purpose" in before_cap  # the reason sits next to the cap
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "python=3.11" in environment["dependencies"]
    assert '"3.11"' in (ROOT / "scripts" / "setup").read_text()


def test_postbuild_holds_pip_packages_to_the_constraints():
    post_build = (ROOT / "postBuild").read_text()
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_names = next(entry["pip"] for entry in environment["dependencies"] if isinstance(entry, dict))
    pip_names = {canonicalize_name(re.split(r"[=<>!\s]", spec, maxsplit=1)[0]) for spec in pip_names}
    repinned = set()
    for line in post_build.replace("\\\n", " ").splitlines():
        if line.startswith("pip install --no-deps -c constraints.txt "):
            words = line.removeprefix("pip install --no-deps -c constraints.txt ").split()
            repinned |= {canonicalize_name(word.split("==")[0]) for word in words if word not in ("-e", ".")}
    assert pip_names <= repinned, f"not re-pinned in postBuild: {pip_names - repinned}"
    pinned = _constraints()
    for name, version in re.findall(r"--no-deps -c constraints\.txt ([a-z0-9-]+)==([0-9.]+)", post_build):
        assert pinned[canonicalize_name(name)] == version, f"postBuild pins {name}=={version}, constraints say {pinned[name]}"


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

    import pytest

    if not (ROOT / ".venv" / ".embedkit-installed").exists():
        # Without a stamped .venv, setup would start a full install (minutes) from inside a test.
        pytest.skip("no set-up .venv in this checkout: ./scripts/test runs scripts/setup first")

    result = subprocess.run(["bash", str(ROOT / "scripts" / "setup")], capture_output=True,
                            text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "nothing to install" in result.stdout
