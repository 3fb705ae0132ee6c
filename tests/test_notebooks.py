"""Every notebook follows the lesson format: objectives and a time estimate, key points, no outputs.

Running the notebooks is in tests/test_exercises.py: each notebook runs once,
in one kernel, and there every exercise's check is proven to fail on the
placeholder and on wrong answers and to pass on the solution; its lesson checks
(cells tagged `lesson-check`) must pass. The executed copies are kept in
test-artifacts/notebooks/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IDS = [path.stem for path in NOTEBOOKS]


def test_there_are_notebooks():
    assert [p.stem[:2] for p in NOTEBOOKS][:2] == ["00", "01"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_follows_the_lesson_format(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = notebook["cells"]
    first, last = "".join(cells[0]["source"]), "".join(cells[-1]["source"])
    assert cells[0]["cell_type"] == "markdown" and "objectives" in first.lower(), f"{path.name}: open with objectives"
    assert re.search(r"\d+\s*min", first), f"{path.name}: state a time estimate in the first cell"
    assert cells[-1]["cell_type"] == "markdown" and "key points" in last.lower(), f"{path.name}: end with key points"
    code = [c for c in cells if c["cell_type"] == "code"]
    assert any("lesson-check" in c.get("metadata", {}).get("tags", []) for c in code), \
        f"{path.name}: assert what the lesson claims in at least one cell tagged `lesson-check`"
    dirty = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))]
    assert not dirty, f"{path.name}: commit without outputs (cells {dirty} have some)"
