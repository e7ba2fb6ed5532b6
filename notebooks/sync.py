"""Write each example notebook's ``.ipynb`` from its jupytext percent script, or check them.

The ``NN_name.py`` script (jupytext "percent" format: ``# %%`` starts a code cell,
``# %% [markdown]`` a prose cell) is the source of truth; ``NN_name.ipynb`` is generated
from it with no outputs, no execution counts, minimal metadata and cell ids derived from
the cells' text, so the same script always gives the same bytes and diffs stay reviewable.

Usage (from the repository root)::

    .venv/bin/python notebooks/sync.py             # rewrite every notebooks/NN_*.ipynb
    .venv/bin/python notebooks/sync.py 03_networking_takes_time.py   # one notebook
    .venv/bin/python notebooks/sync.py --check     # exit 1 and say which are out of step

If a ``.ipynb`` holds edits that are newer than its script (you edited the notebook in
JupyterLab without the jupytext extension), the script is left alone and the notebook is
not overwritten: copy the edits into the script first (``jupytext --to py:percent
notebooks/NN_name.ipynb``) or pass ``--force`` to discard them.

Examples:
    >>> from pathlib import Path
    >>> text = render_text("# %% [markdown]\\n# # Hello\\n\\n# %%\\nx = 1\\n")
    >>> '"outputs": []' in text and '"execution_count": null' in text
    True
    >>> render_text("# %%\\nx = 1\\n") == render_text("# %%\\nx = 1\\n")
    True
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import jupytext
import nbformat

__all__ = ["FOLDER", "cells_of", "main", "problems", "render", "render_text", "scripts"]

#: The folder that holds the notebooks (this file's folder).
FOLDER = Path(__file__).resolve().parent

#: Scripts that are notebooks: ``NN_name.py`` (two digits, an underscore, a name).
PATTERN = "[0-9][0-9]_*.py"

#: The only notebook-level metadata written: the kernel to run and its language.
METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}

#: Cell metadata kept (everything else, e.g. "collapsed" or "ExecuteTime", is dropped).
CELL_METADATA = ("tags",)


def scripts(folder: Path | None = None) -> list[Path]:
    """The notebook scripts in ``folder`` (default :data:`FOLDER`), in reading order."""
    return sorted((folder or FOLDER).glob(PATTERN))


def _cell_id(cell_type: str, source: str, seen: dict[str, int]) -> str:
    """A short id from the cell's text: unchanged cells keep their id when others change."""
    digest = hashlib.sha1(f"{cell_type}\n{source}".encode()).hexdigest()[:12]
    seen[digest] = seen.get(digest, 0) + 1
    return digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"


def render_text(script_text: str) -> str:
    """The ``.ipynb`` text (nbformat 4.5 JSON) for a percent script's text."""
    parsed = jupytext.reads(script_text, fmt="py:percent")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = json.loads(json.dumps(METADATA))
    seen: dict[str, int] = {}
    for cell in parsed.cells:
        metadata = {k: cell.metadata[k] for k in CELL_METADATA if k in cell.metadata}
        cell_id = _cell_id(cell.cell_type, cell.source, seen)
        if cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(cell.source, metadata=metadata, id=cell_id)
        elif cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(cell.source, metadata=metadata, id=cell_id)
        else:
            new = nbformat.v4.new_raw_cell(cell.source, metadata=metadata, id=cell_id)
        notebook.cells.append(new)
    nbformat.validate(notebook)
    return nbformat.writes(notebook, version=4) + "\n"


def render(script: Path) -> str:
    """The ``.ipynb`` text for a script file."""
    return render_text(script.read_text(encoding="utf-8"))


def cells_of(path: Path) -> list[tuple[str, str]]:
    """``(cell_type, source)`` of every cell of a script or a notebook file."""
    if path.suffix == ".py":
        cells = jupytext.reads(path.read_text(encoding="utf-8"), fmt="py:percent").cells
    else:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [
        (c["cell_type"], c["source"] if isinstance(c["source"], str) else "".join(c["source"]))
        for c in cells
    ]


def problems(script: Path) -> list[str]:
    """What is out of step between a script and its notebook ([] when nothing is)."""
    notebook = script.with_suffix(".ipynb")
    name = f"notebooks/{notebook.name}"
    if not notebook.exists():
        return [f"{name} is missing: run `.venv/bin/python notebooks/sync.py`."]
    out = []
    if cells_of(script) != cells_of(notebook):
        out.append(
            f"{name} has different cells than {script.name}: edit the .py, then run "
            "`.venv/bin/python notebooks/sync.py`."
        )
    if notebook.read_text(encoding="utf-8") != render(script):
        out.append(
            f"{name} has outputs, execution counts or metadata that are not committed: run "
            "`.venv/bin/python notebooks/sync.py` to strip them."
        )
    return out


def _orphans(folder: Path) -> list[str]:
    return [
        f"notebooks/{nb.name} has no script {nb.with_suffix('.py').name}: write the notebook "
        f"as a script (`jupytext --to py:percent notebooks/{nb.name}`)."
        for nb in sorted(folder.glob(PATTERN.replace(".py", ".ipynb")))
        if not nb.with_suffix(".py").exists()
    ]


def main(argv: list[str] | None = None) -> int:
    """Command line: rewrite the notebooks (default) or check them (``--check``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="scripts to sync (default: all NN_*.py)")
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if stale")
    parser.add_argument("--force", action="store_true", help="overwrite newer .ipynb edits")
    args = parser.parse_args(argv)
    chosen = [FOLDER / Path(n).with_suffix(".py").name for n in args.names] or scripts()
    missing = [p.name for p in chosen if not p.exists()]
    if missing:
        print(f"no such notebook script in notebooks/: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.check:
        found = [p for s in chosen for p in problems(s)] + (
            _orphans(FOLDER) if not args.names else []
        )
        for line in found:
            print(line)
        return 1 if found else 0
    status = 0
    for script in chosen:
        notebook = script.with_suffix(".ipynb")
        text = render(script)
        if notebook.exists() and notebook.read_text(encoding="utf-8") == text:
            continue
        edited = (
            notebook.exists()
            and cells_of(notebook) != cells_of(script)
            and notebook.stat().st_mtime > script.stat().st_mtime
        )
        if edited and not args.force:
            print(
                f"notebooks/{notebook.name} has edits newer than {script.name}; not overwritten. "
                f"Copy them into the script (`jupytext --to py:percent notebooks/{notebook.name}`) "
                "or pass --force to discard them.",
                file=sys.stderr,
            )
            status = 1
            continue
        notebook.write_text(text, encoding="utf-8")
        print(f"wrote notebooks/{notebook.name}")
    return status


if __name__ == "__main__":
    sys.exit(main())
