#!/usr/bin/python3
"""Executes a notebook headless and fails on the first error in any cell.

Usage: run_notebook.py NOTEBOOK [OUTPUT]   (OUTPUT: where to save the executed copy)
"""
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")

path = Path(sys.argv[1])
notebook = nbformat.read(path, as_version=4)
for attempt in (1, 2):
    try:
        NotebookClient(notebook, timeout=900, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        break
    except CellExecutionError:
        raise  # a cell failed: that is the test failing
    except Exception as e:  # the kernel did not start (ports taken by a parallel test, ...)
        if attempt == 2:
            raise
        print(f"{path}: kernel failed ({type(e).__name__}: {e}); trying once more", file=sys.stderr)
if len(sys.argv) > 2:
    nbformat.write(notebook, sys.argv[2])
print(f"{path}: all {sum(c.cell_type == 'code' for c in notebook.cells)} code cells ran")
