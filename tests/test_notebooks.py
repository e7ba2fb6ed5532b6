"""The example notebooks: paired with their scripts, committed clean, and they run.

For every ``notebooks/NN_name.ipynb``: (a) it has the same cells as its jupytext script
``NN_name.py`` (the source of truth); (b) it is committed without outputs, execution
counts or extra metadata (exactly what ``notebooks/sync.py`` writes); (c) it runs top to
bottom in a fresh ``python3`` kernel of this virtualenv (nbclient, in memory: nothing is
written back) without any error or warning. Warnings are turned into errors by a cell
added in front at test time (``warnings.simplefilter("error")``), and any stderr output
that mentions a warning fails the test too.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import time
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.notebooks

FOLDER = Path(__file__).resolve().parent.parent / "notebooks"

#: Longest a single cell may run (a hang guard; the whole notebook should take < 2 min).
CELL_TIMEOUT = 120

_spec = importlib.util.spec_from_file_location("notebooks_sync", FOLDER / "sync.py")
assert _spec is not None
assert _spec.loader is not None
sync = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sync)

NOTEBOOKS = sorted(FOLDER.glob("[0-9][0-9]_*.ipynb"))
SCRIPTS = sync.scripts(FOLDER)
IDS = [p.stem for p in NOTEBOOKS]

#: Prepended at test time: every warning becomes an error, and the kernel must be this venv's.
PRELUDE = f"""\
import sys
import warnings

assert sys.prefix == {sys.prefix!r}, (
    f"the python3 kernel runs {{sys.executable}}, not this virtualenv's Python: "
    "install ipykernel in the virtualenv (make test does)"
)
_test_warnings = warnings.catch_warnings()
_test_warnings.__enter__()
warnings.simplefilter("error")
"""

#: Appended at test time: restores the kernel's own warning filters before it shuts down.
EPILOGUE = "_test_warnings.__exit__(None, None, None)"


def test_readme_lists_every_notebook() -> None:
    """The README's list of notebooks and the notebooks in the folder are the same."""
    listed = set(re.findall(r"\(([0-9]{2}_\w+)\.ipynb\)", (FOLDER / "README.md").read_text()))
    assert listed, "notebooks/README.md lists no notebook"
    assert {p.stem for p in SCRIPTS} == listed
    assert {p.stem for p in NOTEBOOKS} == listed


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_script_has_its_notebook(script: Path) -> None:
    """(a) Every script has its .ipynb, with the same cells in the same order."""
    notebook = script.with_suffix(".ipynb")
    assert notebook.exists(), f"{notebook.name} is missing: run .venv/bin/python notebooks/sync.py"
    assert sync.cells_of(notebook) == sync.cells_of(script), (
        f"{notebook.name} and {script.name} have different cells: edit the .py, then run "
        ".venv/bin/python notebooks/sync.py"
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_notebook_is_committed_clean(notebook: Path) -> None:
    """(b) No outputs, no execution counts, only the minimal metadata sync.py writes."""
    nb = nbformat.read(notebook, as_version=4)
    dirty = [
        i
        for i, cell in enumerate(nb.cells, start=1)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, f"{notebook.name}: cells {dirty} have outputs; run notebooks/sync.py"
    assert dict(nb.metadata) == sync.METADATA, f"{notebook.name}: extra notebook metadata"
    assert sync.problems(notebook.with_suffix(".py")) == []


def test_sync_examples() -> None:
    """The examples in notebooks/sync.py hold (it is outside the doctest paths)."""
    import doctest

    assert doctest.testmod(sync).failed == 0


def test_sync_writes_checks_and_protects_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """sync.py writes a clean notebook, --check finds drift, newer notebook edits are kept."""
    monkeypatch.setattr(sync, "FOLDER", tmp_path)
    script = tmp_path / "01_demo.py"
    script.write_text("# %% [markdown]\n# # Demo\n\n# %%\nx = 1\nx\n", encoding="utf-8")
    notebook = script.with_suffix(".ipynb")

    assert sync.main(["--check"]) == 1  # the notebook is missing
    assert sync.main([]) == 0
    assert notebook.read_text(encoding="utf-8") == sync.render(script)
    assert sync.main(["--check"]) == 0
    first = notebook.read_text(encoding="utf-8")
    assert sync.main([]) == 0
    assert notebook.read_text(encoding="utf-8") == first  # deterministic, nothing rewritten

    # An executed notebook (outputs, counts) is out of step and is cleaned.
    nb = nbformat.read(notebook, as_version=4)
    nb.cells[1].execution_count = 1
    nb.cells[1].outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "1"})]
    nbformat.write(nb, notebook)
    assert sync.main(["--check"]) == 1
    assert "outputs" in capsys.readouterr().out
    assert sync.main(["01_demo"]) == 0
    assert notebook.read_text(encoding="utf-8") == first

    # Cells edited in the notebook after the script: refused, unless --force.
    nb = nbformat.read(notebook, as_version=4)
    nb.cells[1].source = "x = 2"
    nbformat.write(nb, notebook)
    os.utime(script, (1_000_000_000, 1_000_000_000))
    assert sync.main([]) == 1
    assert "not overwritten" in capsys.readouterr().err
    assert sync.cells_of(notebook)[1] == ("code", "x = 2")
    assert sync.main(["--force"]) == 0
    assert notebook.read_text(encoding="utf-8") == first

    # A notebook without its script is reported.
    (tmp_path / "02_orphan.ipynb").write_text(first, encoding="utf-8")
    assert sync.main(["--check"]) == 1
    assert "02_orphan.ipynb has no script" in capsys.readouterr().out


def _stderr_warnings(nb: nbformat.NotebookNode) -> list[str]:
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            text = out.get("text", "") if out.get("name") == "stderr" else ""
            if out.get("output_type") == "error":
                text = f"{out.get('ename')}: {out.get('evalue')}"
            if "warn" in text.lower() or out.get("output_type") == "error":
                found.append(f"cell {i} (counting from 1): {text.strip()[:500]}")
    return found


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_notebook_runs_without_errors_or_warnings(
    notebook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(c) Runs top to bottom in a fresh kernel, in a scratch folder, with warnings as errors."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    # Find this virtualenv's python3 kernel before any user-wide one of the same name.
    jupyter_path = [str(Path(sys.prefix) / "share" / "jupyter"), os.environ.get("JUPYTER_PATH")]
    monkeypatch.setenv("JUPYTER_PATH", os.pathsep.join(p for p in jupyter_path if p))
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(PRELUDE, id="test-prelude"))
    nb.cells.append(nbformat.v4.new_code_cell(EPILOGUE, id="test-epilogue"))
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    env = {**os.environ, "TZ": "UTC"}
    env.pop("PYTHONWARNINGS", None)  # the prelude handles warnings (in the kernel's code only)
    started = time.perf_counter()
    try:
        client.execute(env=env)
    except CellExecutionError as exc:
        pytest.fail(f"{notebook.name} failed:\n{exc}", pytrace=False)
    seconds = time.perf_counter() - started
    warned = _stderr_warnings(nb)
    assert not warned, f"{notebook.name} printed warnings or errors:\n" + "\n".join(warned)
    print(f"{notebook.name}: {seconds:.1f} s")
