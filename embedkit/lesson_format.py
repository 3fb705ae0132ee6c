"""Read the lesson format of a notebook: its exercises, their hidden solutions, its lesson checks.

The convention is in CONTRIBUTING.md. An exercise is three cells in a row: the
exercise cell (code, tagged ``exercise``, holding a blank ``...``), a markdown
cell with a hint and the solution in a collapsed ``<details>`` block, and the
check cell (code, tagged ``check``). The test suite and the nbval hook in
``notebooks/conftest.py`` use these functions to swap a solution in; an
instructor can use :func:`with_solutions` to get a solved copy of a lesson.

>>> from embedkit.lesson_format import find_exercises
>>> lesson = {"cells": [
...     {"cell_type": "code", "source": "answer = ...",
...      "metadata": {"tags": ["exercise"],
...                   "embedkit": {"exercise": "00-sum", "wrong_answers": ["answer = 4"]}}},
...     {"cell_type": "markdown", "metadata": {},
...      "source": "**Hint:** add.\\n<details><summary>Solution</summary>\\n\\n"
...                "```python\\nanswer = 1 + 2\\n```\\n</details>"},
...     {"cell_type": "code", "source": "# Check your answer\\ncheck(answer == 3, 'add')",
...      "metadata": {"tags": ["check"]}}]}
>>> [(e.name, e.solution, e.wrong_answers) for e in find_exercises(lesson)]
[('00-sum', 'answer = 1 + 2', ['answer = 4'])]
"""

from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Exercise", "find_exercises", "solution_in", "format_problems", "with_solutions",
           "EXERCISE_TAG", "CHECK_TAG", "LESSON_CHECK_TAG"]

EXERCISE_TAG = "exercise"
CHECK_TAG = "check"
LESSON_CHECK_TAG = "lesson-check"
CHECK_FIRST_LINE = "# Check your answer"
LESSON_CHECK_FIRST_LINE = "# Lesson check:"

_DETAILS = re.compile(r"<details>(.*?)</details>", re.S | re.I)
_PYTHON_BLOCK = re.compile(r"```python[ \t]*\n(.*?)```", re.S)


@dataclass
class Exercise:
    """One exercise of a notebook: where its cells are, its blank, wrong answers and solution."""

    name: str
    cell: int                    # index of the exercise cell among all cells
    check_cell: int              # index of its check cell
    placeholder: str             # the exercise cell's source, as the learner gets it
    solution: str | None         # first ```python block inside <details> of the next cell
    wrong_answers: list[str] = field(default_factory=list)


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _tags(cell: dict) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def solution_in(markdown: str) -> str | None:
    """The first ```python block inside a ``<details>`` block of ``markdown``, or None.

    >>> solution_in("Hint: think.\\n<details>\\n\\n```python\\nx = 1\\n```\\n</details>")
    'x = 1'
    >>> solution_in("```python\\nx = 1\\n```") is None    # not hidden: not a solution
    True
    """
    for details in _DETAILS.findall(markdown):
        block = _PYTHON_BLOCK.search(details)
        if block:
            return block.group(1).strip("\n")
    return None


def find_exercises(notebook: dict) -> list[Exercise]:
    """Every exercise of ``notebook`` (nbformat node or plain JSON dict), in order.

    A missing solution or check cell is reported by :func:`format_problems`;
    here it shows as ``solution=None`` or ``check_cell=-1``.

    >>> find_exercises({"cells": []})
    []
    """
    cells = notebook["cells"]
    found = []
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code" or EXERCISE_TAG not in _tags(cell):
            continue
        meta = cell.get("metadata", {}).get("embedkit", {})
        following = cells[index + 1] if index + 1 < len(cells) else None
        solution = (solution_in(_source(following))
                    if following is not None and following["cell_type"] == "markdown" else None)
        check_cell = next((i for i in range(index + 1, min(index + 3, len(cells)))
                           if cells[i]["cell_type"] == "code" and CHECK_TAG in _tags(cells[i])), -1)
        found.append(Exercise(name=str(meta.get("exercise", f"cell {index}")), cell=index,
                              check_cell=check_cell, placeholder=_source(cell), solution=solution,
                              wrong_answers=list(meta.get("wrong_answers", []))))
    return found


def _has_blank(source: str) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return "..." in source
    return any(isinstance(node, ast.Constant) and node.value is Ellipsis for node in ast.walk(tree))


def _given_lines_missing(placeholder: str, solution: str) -> list[str]:
    """Lines of the exercise cell that the learner does not edit (code, no blank) and the solution lacks."""
    kept = {_code_of(line) for line in solution.splitlines()}
    given = [line.strip() for line in placeholder.splitlines()
             if line.strip() and not line.strip().startswith("#") and not _has_blank(line.strip())]
    return [line for line in given if _code_of(line) not in kept]


def _code_of(line: str) -> str:
    """One line's code with comments and spacing normalised (the line itself if it is not a statement)."""
    try:
        return ast.unparse(ast.parse(line.strip()))
    except SyntaxError:
        return line.strip()


def _has_assert(source: str) -> bool:
    # IPython magics and shell escapes are not Python: drop them before parsing.
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return re.search(r"^\s*assert\b", source, re.M) is not None
    return any(isinstance(node, ast.Assert) for node in ast.walk(tree))


def format_problems(notebook: dict) -> list[str]:
    """Every way ``notebook`` breaks the exercise and lesson-check convention, as sentences.

    An empty list means the notebook follows CONTRIBUTING.md.

    >>> format_problems({"cells": [{"cell_type": "code", "metadata": {}, "source": "assert 1"}]})
    ['cell 0 asserts but is tagged neither `lesson-check` nor `check`', 'no cell is tagged `lesson-check`']
    """
    cells = notebook["cells"]
    problems = []
    names = []
    for exercise in find_exercises(notebook):
        where = f"exercise {exercise.name!r} (cell {exercise.cell})"
        names.append(exercise.name)
        if "exercise" not in cells[exercise.cell].get("metadata", {}).get("embedkit", {}):
            problems.append(f"{where}: name it in metadata embedkit.exercise")
        if not _has_blank(exercise.placeholder):
            problems.append(f"{where}: the exercise cell needs a blank `...` for the learner to fill in")
        if exercise.solution is None:
            problems.append(f"{where}: the next cell must be markdown with the solution as a "
                            "```python block inside <details>")
        elif _has_blank(exercise.solution):
            problems.append(f"{where}: the solution still holds a blank `...`")
        elif exercise.solution.strip() == exercise.placeholder.strip():
            problems.append(f"{where}: the exercise cell holds the solution itself")
        elif _given_lines_missing(exercise.placeholder, exercise.solution):
            missing = _given_lines_missing(exercise.placeholder, exercise.solution)
            problems.append(f"{where}: the solution replaces the whole cell (nbval, a learner "
                            f"pasting it), so it must keep the cell's given lines; missing: {missing[0]!r}")
        if not exercise.wrong_answers or not all(isinstance(w, str) and w.strip()
                                                 for w in exercise.wrong_answers):
            problems.append(f"{where}: list at least one plausible wrong answer (a full cell "
                            "source) in metadata embedkit.wrong_answers")
        if exercise.check_cell != exercise.cell + 2:
            problems.append(f"{where}: the cell after the solution must be a code cell tagged `check`")
        elif not _source(cells[exercise.check_cell]).startswith(CHECK_FIRST_LINE):
            problems.append(f"{where}: the check cell must start with {CHECK_FIRST_LINE!r}")
    for name in {n for n in names if names.count(n) > 1}:
        problems.append(f"exercise name {name!r} is used twice")
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        tags, source = _tags(cell), _source(cell)
        if CHECK_TAG in tags and not (index >= 2 and EXERCISE_TAG in _tags(cells[index - 2])):
            problems.append(f"cell {index} is tagged `check` but does not follow an exercise "
                            "and its solution")
        if LESSON_CHECK_TAG in tags and not source.startswith(LESSON_CHECK_FIRST_LINE):
            problems.append(f"cell {index} is tagged `lesson-check`: its first line must start "
                            f"with {LESSON_CHECK_FIRST_LINE!r}")
        if (LESSON_CHECK_TAG not in tags and CHECK_TAG not in tags and EXERCISE_TAG not in tags
                and _has_assert(source)):
            problems.append(f"cell {index} asserts but is tagged neither `lesson-check` nor `check`")
    if not any(LESSON_CHECK_TAG in _tags(c) for c in cells if c["cell_type"] == "code"):
        problems.append("no cell is tagged `lesson-check`")
    return problems


def with_solutions(notebook: Any) -> Any:
    """A copy of ``notebook`` with each exercise cell's source replaced by its hidden solution.

    The copy's exercise cells are marked in metadata ``embedkit.solution_injected``.

    >>> from embedkit.lesson_format import with_solutions
    >>> solved = with_solutions({"cells": [
    ...     {"cell_type": "code", "source": "x = ...", "metadata": {"tags": ["exercise"]}},
    ...     {"cell_type": "markdown", "metadata": {},
    ...      "source": "<details>\\n```python\\nx = 2\\n```\\n</details>"}]})
    >>> solved["cells"][0]["source"]
    'x = 2'
    """
    solved = copy.deepcopy(notebook)
    for exercise in find_exercises(solved):
        if exercise.solution is not None:
            cell = solved["cells"][exercise.cell]
            cell["source"] = exercise.solution
            cell.setdefault("metadata", {}).setdefault("embedkit", {})["solution_injected"] = True
    return solved
