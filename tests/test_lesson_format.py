"""The lesson-format rules catch each way an exercise can break CONTRIBUTING.md."""

from __future__ import annotations

from embedkit.lesson_format import format_problems, with_solutions


def _lesson(exercise: str, solution: str, wrong=("x = 1",)) -> dict:
    return {"cells": [
        {"cell_type": "code", "source": exercise,
         "metadata": {"tags": ["exercise"], "embedkit": {"exercise": "demo", "wrong_answers": list(wrong)}}},
        {"cell_type": "markdown", "metadata": {},
         "source": f"**Hint:** look.\n\n<details><summary>Solution</summary>\n\n```python\n{solution}\n```\n</details>"},
        {"cell_type": "code", "source": "# Check your answer\ncheck(x == 2, 'two')",
         "metadata": {"tags": ["check"]}},
        {"cell_type": "code", "source": "# Lesson check: sums\nassert 1 + 1 == 2",
         "metadata": {"tags": ["lesson-check"]}},
    ]}


def test_a_well_formed_exercise_has_no_problems():
    assert format_problems(_lesson("base = 1\nx = ...", "base = 1\nx = base + 1")) == []


def test_a_given_line_may_lose_its_comment_in_the_solution():
    assert format_problems(_lesson("base = 1   # given\nx = ...", "base = 1\nx = base + 1")) == []


def test_a_solution_that_drops_a_given_line_is_flagged():
    # Run alone (nbval, or a learner pasting it), this solution would raise NameError on `base`.
    problems = format_problems(_lesson("base = 1\nx = ...", "x = base + 1"))
    assert len(problems) == 1 and "missing: 'base = 1'" in problems[0]


def test_a_pre_typed_solution_and_a_blank_solution_are_flagged():
    assert any("holds the solution itself" in p for p in format_problems(_lesson("x = 2", "x = 2")))
    assert any("still holds a blank" in p for p in format_problems(_lesson("x = ...", "x = ...")))


def test_with_solutions_gives_a_cell_that_runs_alone():
    solved = with_solutions(_lesson("base = 1\nx = ...", "base = 1\nx = base + 1"))
    scope: dict = {}
    exec(solved["cells"][0]["source"], scope)
    assert scope["x"] == 2
