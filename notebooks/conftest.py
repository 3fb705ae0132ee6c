"""nbval runs the lessons with their hidden solutions: `pytest --nbval-lax notebooks/`.

Each exercise cell (tagged `exercise`) holds a blank `...` for the learner, so
run as it is, its check cell would fail. When nbval collects a notebook, this
hook puts the solution (the first ```python block inside <details> of the next
markdown cell, see CONTRIBUTING.md) in its place, as tests/test_exercises.py does.
"""

from __future__ import annotations

from embedkit.lesson_format import find_exercises


def pytest_collection_modifyitems(session, config, items):
    solved = set()
    for item in items:
        notebook = getattr(item.parent, "nb", None)
        cell = getattr(item, "cell", None)
        if notebook is None or cell is None or id(notebook) in solved:
            continue
        solved.add(id(notebook))
        for exercise in find_exercises(notebook):
            if exercise.solution is not None:
                notebook.cells[exercise.cell].source = exercise.solution
