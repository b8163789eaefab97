"""Execute the teaching notebooks headless (nbclient) and keep them, with their outputs.

Used by ``tadmur demo`` (the main job writes ``build/notebooks/``) and by the tests.
A notebook that raises, or that leaves an error output, fails the run with its name and
the cell; the executed copy is still written so the failure can be read. Each executed
notebook also gets a reading copy in ``reading/`` beside it (``.ipynb`` and ``.html``),
its charts drawn as static SVG: readable with no kernel and offline.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from engine.domain.errors import TadmurError

#: Seconds a single cell may run before the notebook fails.
CELL_TIMEOUT = 300


@dataclass(frozen=True)
class ExecutedNotebook:
    """One executed notebook: where it was written and how long it took."""

    source: Path
    output: Path
    seconds: float
    reading: Path | None = None


def notebooks_in(src_dir: Path | str) -> list[Path]:
    """The numbered notebooks of ``src_dir`` (``01_….ipynb``), in order."""
    return sorted(p for p in Path(src_dir).glob("[0-9][0-9]_*.ipynb") if p.is_file())


def error_outputs(nb: nbformat.NotebookNode) -> list[str]:
    """'cell N: Ename: evalue' for every error output of an executed notebook.

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1/0")])
    >>> nb.cells[0].outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError",
    ...     evalue="division by zero", traceback=[])]
    >>> error_outputs(nb)
    ['cell 1: ZeroDivisionError: division by zero']
    """
    return [
        f"cell {number}: {out.get('ename')}: {out.get('evalue')}"
        for number, cell in enumerate(nb.cells, start=1)
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]


def execute_notebook(
    source: Path, output: Path, *, timeout: int = CELL_TIMEOUT
) -> ExecutedNotebook:
    """Run ``source`` top to bottom in a fresh kernel (cwd: its folder); write ``output``."""
    nb = nbformat.read(source, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        # the kernel's own start-up notes ("running over TCP without encryption") are
        # noise in `tadmur demo`; its errors still show
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        resources={"metadata": {"path": str(source.parent.resolve())}},
    )
    started = time.perf_counter()
    failure: CellExecutionError | None = None
    try:
        client.execute()
    except CellExecutionError as exc:
        failure = exc
    seconds = time.perf_counter() - started
    output.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, output)
    errors = error_outputs(nb)
    if failure is not None or errors:
        first = errors[0] if errors else str(failure).strip().splitlines()[-1]
        raise TadmurError(
            f"notebook {source.name} failed: {first}",
            where=str(output),
            hint="open the executed copy to see the traceback; run the notebook top to bottom",
        )
    from engine.reading_copies import write_reading_copy

    _, page = write_reading_copy(output, output.parent / "reading")
    return ExecutedNotebook(source, output, seconds, page)


def execute_notebooks(
    src_dir: Path | str, out_dir: Path | str, *, timeout: int = CELL_TIMEOUT
) -> list[ExecutedNotebook]:
    """Execute every numbered notebook of ``src_dir`` into ``out_dir``, with outputs.

    Raises:
        TadmurError: a notebook raised or left an error output (the others still run,
            so one failure does not hide another; the first failure is raised at the end).
    """
    src_dir, out_dir = Path(src_dir), Path(out_dir)
    found = notebooks_in(src_dir)
    if not found:
        raise TadmurError(
            f"no numbered notebooks (NN_name.ipynb) in {src_dir}",
            where=str(src_dir),
            hint="run from the project root, or pass notebooks/",
        )
    done, failures = [], []
    for source in found:
        try:
            done.append(execute_notebook(source, out_dir / source.name, timeout=timeout))
        except TadmurError as exc:
            failures.append(exc)
    if failures:
        if len(failures) > 1:
            raise TadmurError(
                f"{len(failures)} notebooks failed: " + "; ".join(f.what for f in failures),
                where=str(out_dir),
                hint=failures[0].hint,
            )
        raise failures[0]
    return done
