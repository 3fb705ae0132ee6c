"""JupyterLab or Notebook 7 + headless Debian Chromium, for the browser tests and benchmark.

- :func:`start_server`: JupyterLab (``kind="lab"``) or Jupyter Notebook 7
  (``kind="notebook"``) on 127.0.0.1 with a token, the kernel from this venv;
  :func:`start_lab` is ``start_server(kind="lab")``.
- :func:`open_and_run`: open a notebook, wait for an idle kernel, run all cells,
  wait for a marker the notebook prints (both front ends are built on
  JupyterLab's application object, so one driver serves both).
- :func:`canvas_box` / :func:`pixel_of`: where a point of a jupyter-scatter map is on screen.

Every wait is on a condition, with generous limits (the machine may be busy).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-unsafe-swiftshader"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# kind -> (module run with python -m, the flag that puts the app on window.jupyterapp, URL of a notebook)
SERVERS = {
    "lab": ("jupyterlab", "--LabApp.expose_app_in_browser=True", "lab/tree"),
    "notebook": ("notebook", "--JupyterNotebookApp.expose_app_in_browser=True", "notebooks"),
}


@contextlib.contextmanager
def launch_chromium():
    """Headless Debian Chromium under Playwright, closed afterwards (tests and the benchmark)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def start_lab(folder: Path, start_timeout: float = 120):
    """Run JupyterLab serving ``folder`` (see :func:`start_server`)."""
    return start_server(folder, "lab", start_timeout)


@contextlib.contextmanager
def start_server(folder: Path, kind: str = "lab", start_timeout: float = 120, env: dict | None = None):
    """Run JupyterLab or Notebook 7 serving ``folder``; yield url, token, folder, kind and the process.

    ``env`` adds environment variables for the server and its kernels (e.g. a
    private ``EMBEDKIT_CACHE``). The server (and with it every kernel it started)
    is stopped when the block ends.
    """
    app, expose, _ = SERVERS[kind]
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(folder / ".jupyter-config"),
               JUPYTER_RUNTIME_DIR=str(folder / ".jupyter-runtime"), **(env or {}))
    command = [sys.executable, "-m", app, "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}",
               "--ServerApp.disable_check_xsrf=False"]
    command.append(expose)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log_path = folder / f"{app}.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + start_timeout
            while True:
                try:
                    urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                    break
                except OSError:
                    if server.poll() is not None:
                        raise RuntimeError(f"{app} exited: {log_path.read_text()}") from None
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"{app} did not start within {start_timeout} s") from None
                    time.sleep(0.5)
            yield {"url": url, "token": token, "folder": folder, "server": server, "kind": kind}
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def shutdown_kernels(lab: dict) -> None:
    """Stop every kernel of this server (through its REST API), so the next run starts clean."""
    import json

    base, token = lab["url"], lab["token"]
    with urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=30) as answer:
        kernels = json.loads(answer.read())
    for kernel in kernels:
        request = urllib.request.Request(f"{base}/api/kernels/{kernel['id']}?token={token}",
                                         method="DELETE")
        urllib.request.urlopen(request, timeout=60).close()


KERNEL_IDLE = """() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    return !!(w && w.sessionContext && w.sessionContext.session &&
              w.sessionContext.session.kernel &&
              w.sessionContext.session.kernel.status === 'idle'); }"""


def open_and_run(browser, lab: dict, notebook: str, marker: str, timeout_ms: int = 600_000,
                 viewport=(1500, 1000)):
    """Open ``notebook`` in the server's front end, run every cell; return (page, seconds until ``marker``)."""
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    path = SERVERS[lab.get("kind", "lab")][2]
    page.goto(f"{lab['url']}/{path}/{notebook}?token={lab['token']}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.serviceManager",
                           timeout=180_000)
    # Visible: JupyterLab restores tabs of notebooks opened before, hidden behind this one.
    page.wait_for_selector(".jp-Notebook >> visible=true", timeout=180_000)
    page.wait_for_function(KERNEL_IDLE, timeout=240_000)
    started = time.monotonic()
    # Do not await the command's promise: it resolves only when every cell has run.
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    # In an output, not in the cell's source (which also contains the marker's text).
    page.wait_for_selector(f".jp-OutputArea-output :text('{marker}')", timeout=timeout_ms)
    return page, time.monotonic() - started


def scroll_map_into_view(page, nth: int = 0) -> None:
    """Scroll the ``nth`` map's output to the top of the window (clicks need it on screen)."""
    page.evaluate(
        """(nth) => { const c = Array.from(document.querySelectorAll('canvas')).filter(
                          e => e.width > 100 && e.closest('.jp-OutputArea'))[nth];
                      (c.closest('.jp-OutputArea-child') || c).scrollIntoView({block: 'start'}); }""",
        nth)
    page.wait_for_timeout(300)  # one scroll event turn; positions are re-read afterwards


def canvas_box(page, nth: int = 0) -> dict:
    """The ``nth`` jupyter-scatter map's WebGL canvas on screen: left, top, width, height."""
    return page.evaluate(
        """(nth) => { const c = document.querySelectorAll('.jupyter-scatter canvas, .jscatter canvas')[nth]
                      || Array.from(document.querySelectorAll('canvas')).filter(
                           e => e.width > 100 && e.closest('.jp-OutputArea, .jp-Cell'))[nth];
                      const b = c.getBoundingClientRect();
                      return {left: b.left, top: b.top, width: b.width, height: b.height}; }""",
        nth)


def pixel_of(box: dict, ndc_xy) -> tuple[float, float]:
    """Screen position of a point from its normalised [-1, 1] coordinates (square map, initial view)."""
    x, y = float(ndc_xy[0]), float(ndc_xy[1])
    side = min(box["width"], box["height"])
    cx, cy = box["left"] + box["width"] / 2, box["top"] + box["height"] / 2
    return cx + x * side / 2, cy - y * side / 2
