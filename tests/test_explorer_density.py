"""Density contours on the Explorer's map (embedkit/explorer/_density.py): real lines, real blobs."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from matplotlib.path import Path

import embedkit as ek
from embedkit.errors import InputError
from embedkit.explorer._density import DENSITY_AUTO_POINTS, density_lines

CENTRES = np.array([[-6.0, -6.0], [6.0, -6.0], [0.0, 6.0], [9.0, 9.0]])


def mixture(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return CENTRES[rng.integers(0, len(CENTRES), n)] + rng.normal(size=(n, 2))


def inside_any(lines: list[np.ndarray], points: np.ndarray) -> np.ndarray:
    inside = np.zeros(len(points), dtype=bool)
    for line in lines:
        inside |= Path(line).contains_points(points)
    return inside


def test_contours_enclose_each_dense_blob_and_nothing_between_them():
    coords = mixture(40_000)
    inner = density_lines(coords, fractions=(0.5,))
    assert len(inner) == len(CENTRES)  # one closed line around each blob's core
    assert all(np.allclose(line[0], line[-1]) for line in inner)
    assert inside_any(inner, CENTRES).all()
    gaps = np.array([[0.0, -6.0], [-3.0, 0.0], [3.0, 0.0], [4.5, 7.5], [-9.0, 9.0]])
    assert not inside_any(inner, gaps).any()
    # Each level holds about its fraction of the points (the smoothing widens it a little).
    assert 0.45 < inside_any(inner, coords).mean() < 0.7
    outer = density_lines(coords, fractions=(0.9,))
    assert inside_any(outer, coords).mean() > inside_any(inner, coords).mean() + 0.2


def test_one_blob_gets_nested_lines_and_the_vertex_budget_holds():
    coords = np.random.default_rng(1).normal(size=(20_000, 2))
    lines = density_lines(coords, fractions=(0.25, 0.5, 0.9), max_vertices=300)
    assert len(lines) == 3
    assert sum(len(line) for line in lines) <= 300 + 3  # each thinned line keeps its closing vertex
    radii = sorted(float(np.median(np.hypot(*line.T))) for line in lines)
    assert radii[0] < radii[1] < radii[2]  # nested rings around the centre


def test_bad_fractions_and_coordinates_get_clear_errors():
    with pytest.raises(InputError, match="between 0 and 1"):
        density_lines(mixture(100), fractions=(1.5,))
    with pytest.raises(InputError, match="at least 2 points"):
        density_lines(np.full((10, 2), np.nan))


def test_small_maps_have_no_contours_unless_asked():
    X = np.random.default_rng(0).normal(size=(300, 6)).astype(np.float32)
    items = [f"item {i}" for i in range(300)]
    plain = ek.Explorer(X, items, method="pca", k=3)
    assert plain.map.contour_lines == []
    assert not any(type(a).__name__ == "Line" for a in plain.map.widget.annotations or [])
    asked = ek.Explorer(X, items, method="pca", k=3, density_contours=True)
    lines = [a for a in asked.map.widget.annotations if type(a).__name__ == "Line"]
    assert len(lines) == len(asked.map.contour_lines) > 0
    asked.select(0)  # the chosen point's rectangle joins the lines, which stay
    kinds = [type(a).__name__ for a in asked.map.widget.annotations]
    assert kinds.count("Line") == len(lines) and kinds.count("Rect") == 1


def test_large_maps_get_contours_automatically_and_they_can_be_turned_off():
    n = DENSITY_AUTO_POINTS
    rng = np.random.default_rng(0)
    X = np.hstack([mixture(n), rng.normal(scale=0.01, size=(n, 2))]).astype(np.float32) + 20
    items = [f"item {i}" for i in range(n)]
    auto = ek.Explorer(X, items, method="pca", k=3)
    assert len(auto.map.contour_lines) >= len(CENTRES)
    # Drawn on the map's own coordinates: the blobs' PCA positions are inside the inner lines.
    blob = rng.integers(0, n, 200)
    assert inside_any(auto.map.contour_lines, auto.coords[blob]).mean() > 0.9
    off = ek.Explorer(X, items, method="pca", k=3, density_contours=False)
    assert off.map.contour_lines == []


def test_contours_follow_a_new_map():
    X = np.random.default_rng(0).normal(size=(400, 4)).astype(np.float32)
    explorer = ek.Explorer(X, [str(i) for i in range(400)], method="pca", k=3, density_contours=True)
    before = np.vstack(explorer.map.contour_lines)
    explorer.map.move(explorer.coords + 100.0)
    after = np.vstack(explorer.map.contour_lines)
    assert np.allclose(after.mean(axis=0), before.mean(axis=0) + 100.0, atol=0.5)


@pytest.mark.parametrize("value", ["yes", 1, 0.5, [True]])
def test_density_contours_rejects_anything_but_true_false_none(value):
    X = np.random.default_rng(0).normal(size=(20, 3))
    with pytest.raises(InputError, match="density_contours must be True, False or None"):
        ek.Explorer(X, [str(i) for i in range(20)], method="pca", k=2, density_contours=value)


def test_the_html_export_carries_the_contours(tmp_path):
    X = np.random.default_rng(0).normal(size=(200, 4)).astype(np.float32)
    explorer = ek.Explorer(X, [str(i) for i in range(200)], method="pca", k=3, density_contours=True)
    page = explorer.to_html(tmp_path / "map.html").read_text()
    figure = json.loads(re.search(r'id="ek-figure">(.*?)</script>', page, re.S).group(1))
    names = [trace.get("name") for trace in figure["data"]]
    assert names == ["points", "neighbours", "chosen point", "density"]
    plain = ek.Explorer(X, [str(i) for i in range(200)], method="pca", k=3)
    page = plain.to_html(tmp_path / "plain.html").read_text()
    assert '"name":"density"' not in page.replace(" ", "")


def test_annotations_sit_where_jscatter_would_put_them():
    """Lines and marks are normalised here in one vectorised step, as jscatter does per vertex."""
    from jscatter import Line, Rect
    from jscatter.jscatter import normalize_annotations

    X = np.random.default_rng(2).normal(size=(500, 4)).astype(np.float32) * 7 + 3
    explorer = ek.Explorer(X, [str(i) for i in range(500)], method="pca", k=3, density_contours=True)
    explorer.select(5)
    view = explorer.map
    r = float(max(np.ptp(explorer.coords[:, 0]), np.ptp(explorer.coords[:, 1]))) * 0.012
    x, y = explorer.coords[5]
    theirs = normalize_annotations(
        [Line([tuple(v) for v in view.contour_lines[0]]),
         Rect(x_start=x - r, x_end=x + r, y_start=y - r, y_end=y + r)],
        view.scatter._x_scale, view.scatter._y_scale)
    ours = view.widget.annotations
    assert np.allclose(ours[0].vertices, theirs[0].vertices, atol=2e-4)
    rect = ours[-1]
    assert np.allclose([rect.x_start, rect.x_end, rect.y_start, rect.y_end],
                       [theirs[1].x_start, theirs[1].x_end, theirs[1].y_start, theirs[1].y_end],
                       atol=1e-5)
