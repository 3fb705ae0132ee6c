"""Execute every notebook top to bottom, and check each follows the lesson format.

Each notebook holds its own assertion cells on what it teaches; a failing
assertion fails its test here with the cell's source and error.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IDS = [path.stem for path in NOTEBOOKS]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "notebooks"


def test_there_are_notebooks():
    assert [p.stem[:2] for p in NOTEBOOKS][:2] == ["00", "01"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_follows_the_lesson_format(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = notebook["cells"]
    first, last = "".join(cells[0]["source"]), "".join(cells[-1]["source"])
    assert cells[0]["cell_type"] == "markdown" and "objectives" in first.lower(), "open with objectives"
    assert re.search(r"\d+\s*min", first), "state a time estimate in the first cell"
    assert cells[-1]["cell_type"] == "markdown" and "key points" in last.lower(), "end with key points"
    code = [c for c in cells if c["cell_type"] == "code"]
    assert any("assert" in "".join(c["source"]) for c in code), "hold at least one assertion cell"
    assert not any(c.get("outputs") or c.get("execution_count") for c in code), "commit without outputs"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs_and_its_checks_pass(path):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"{path.name} failed:\n{error}", pytrace=False)
    finally:
        # The executed copy, outputs and all, is kept for reading after a CI run.
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, ARTIFACTS / path.name)
