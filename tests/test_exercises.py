"""Run every notebook once, and prove each exercise's check can fail and can pass.

One kernel per notebook, cell by cell (nbclient). At each exercise cell the
suite runs, in the same kernel:

1. the placeholder (the cell as the learner gets it), then the check: it must
   fail with ``ExerciseError`` and the "Fill in ..." message, not a NameError;
2. each wrong answer from metadata ``embedkit.wrong_answers``, then the check:
   it must fail with ``ExerciseError``;
3. the hidden solution, then the check: it must pass;

and goes on with the lesson, whose ``lesson-check`` cells must pass too. The
executed copy (solutions in place) is kept in test-artifacts/notebooks/, each
notebook's wall time, CPU time and peak RSS of its kernel in
test-artifacts/notebook-costs.csv, and every exercise case tried in
test-artifacts/exercise-cases.csv. Times are recorded, never asserted.
"""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from embedkit.lesson_format import find_exercises, format_problems

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IDS = [path.stem for path in NOTEBOOKS]
ARTIFACTS = ROOT / "test-artifacts"
CELL_TIMEOUT = 1200   # seconds per cell: generous, CI machines are busy; never a timing test
PLACEHOLDER_MESSAGE = "Fill in"


def _read(path: Path):
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_exercises_and_lesson_checks_follow_the_convention(path):
    problems = format_problems(_read(path))
    assert not problems, f"{path.name} breaks CONTRIBUTING.md:\n- " + "\n- ".join(problems)


class _Kernel:
    """Runs cells one at a time in a started NotebookClient and reports what each raised."""

    def __init__(self, client: NotebookClient, notebook_name: str):
        self.client, self.notebook_name = client, notebook_name

    def run(self, cell, index: int) -> CellExecutionError | None:
        try:
            self.client.execute_cell(cell, index)
        except CellExecutionError as error:
            return error
        return None

    def run_source(self, source: str, index: int) -> tuple[nbformat.NotebookNode, CellExecutionError | None]:
        cell = nbformat.v4.new_code_cell(source)
        return cell, self.run(cell, index)


def _summary(error: CellExecutionError | None) -> str:
    if error is None:
        return "passed"
    return f"{error.ename}: {str(error.evalue).strip()[:300]}"


def _kernel_costs(pid: int) -> dict:
    """CPU seconds (the kernel and its waited-for children) and peak RSS of the kernel process."""
    process = psutil.Process(pid)
    times = process.cpu_times()
    cpu = times.user + times.system + times.children_user + times.children_system
    peak_mb = None
    status = Path(f"/proc/{pid}/status")
    if status.exists():   # Linux: the kernel's own high-water mark, exact, no sampling
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak_mb = int(line.split()[1]) / 1024
    if peak_mb is None:   # elsewhere: the RSS at the end, a lower bound
        peak_mb = process.memory_info().rss / 2**20
    return {"cpu_s": round(cpu, 1), "peak_rss_mb": round(peak_mb)}


def _record(filename: str, key: str, rows: list[dict]) -> None:
    """Replace this notebook's rows in a CSV kept across test runs (other notebooks' rows stay)."""
    target = ARTIFACTS / filename
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    kept = []
    if target.exists():
        with target.open(newline="") as handle:
            kept = [row for row in csv.DictReader(handle) if row.get("notebook") != key]
    fields = list(rows[0]) if rows else (list(kept[0]) if kept else ["notebook"])
    merged = sorted(kept + rows, key=lambda row: row["notebook"])
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    with temporary.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(merged)
    temporary.replace(target)


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs_and_its_exercise_checks_fail_and_pass(path):
    notebook = _read(path)
    exercises = {exercise.cell: exercise for exercise in find_exercises(notebook)}
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, startup_timeout=300,
                            kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    failures, cases = [], []
    costs = {}
    start = time.perf_counter()
    try:
        with client.setup_kernel():
            kernel = _Kernel(client, path.name)
            pid = client.km.provisioner.pid
            skip = set()
            for index, cell in enumerate(notebook.cells):
                if index in skip or cell.cell_type != "code":
                    continue
                if index not in exercises:
                    error = kernel.run(cell, index)
                    if error is not None:
                        failures.append(f"cell {index} failed:\n{error}")
                        break
                    continue
                exercise = exercises[index]
                check = notebook.cells[exercise.check_cell]
                where = f"{path.name}, exercise {exercise.name!r}"
                trials = [("placeholder", exercise.placeholder)]
                trials += [(f"wrong answer {n + 1}: {w!r}", w) for n, w in enumerate(exercise.wrong_answers)]
                for case, source in trials:
                    _, error = kernel.run_source(source, index)
                    if error is not None and error.ename != "ExerciseError":
                        failures.append(f"{where}, {case}: the exercise cell itself raised "
                                        f"{_summary(error)}")
                    _, verdict = kernel.run_source(check.source, exercise.check_cell)
                    cases.append({"notebook": path.stem, "exercise": exercise.name, "case": case,
                                  "check": _summary(verdict)})
                    if verdict is None:
                        failures.append(f"{where}, {case}: the check passed, it must fail")
                    elif verdict.ename != "ExerciseError":
                        failures.append(f"{where}, {case}: the check raised {_summary(verdict)}; "
                                        "it must raise ExerciseError with a helpful message")
                    elif case == "placeholder" and PLACEHOLDER_MESSAGE not in str(verdict.evalue):
                        failures.append(f"{where}, placeholder: the check must say "
                                        f"'{PLACEHOLDER_MESSAGE} `name` first' (use require_answer), "
                                        f"got {_summary(verdict)}")
                # The solution goes into the kept copy, so the artifact reads as a solved lesson.
                cell.source = exercise.solution or ""
                cell.metadata.setdefault("embedkit", {})["solution_injected"] = True
                error = kernel.run(cell, index)
                if error is not None:
                    failures.append(f"{where}, solution: the exercise cell raised {_summary(error)}")
                verdict = kernel.run(check, exercise.check_cell)
                cases.append({"notebook": path.stem, "exercise": exercise.name, "case": "solution",
                              "check": _summary(verdict)})
                if verdict is not None:
                    failures.append(f"{where}, solution: the check must pass, got {_summary(verdict)}")
                    break
                skip.add(exercise.check_cell)
            wall = time.perf_counter() - start
            if psutil.pid_exists(pid):
                costs = _kernel_costs(pid)
    finally:
        # The executed copy, outputs and all, is kept for reading after a CI run.
        (ARTIFACTS / "notebooks").mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, ARTIFACTS / "notebooks" / path.name)
    wrong = [c for c in cases if c["case"].startswith("wrong")]
    _record("exercise-cases.csv", path.stem, cases)
    if costs:
        _record("notebook-costs.csv", path.stem, [{
            "notebook": path.stem, "exercises": len(exercises),
            "wrong_answers_tried": len(wrong),
            "wrong_answers_caught": sum(c["check"].startswith("ExerciseError") for c in wrong),
            "wall_s": round(wall, 1), **costs, "ok": not failures}])
    if failures:
        pytest.fail(f"{path.name}:\n" + "\n\n".join(failures), pytrace=False)
