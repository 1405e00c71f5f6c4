"""python -m buzzsim ARGS runs the buzzsim command line that came with this package."""

import os
import sys
from pathlib import Path


def executable() -> Path:
    here = Path(__file__).resolve().parent
    # Installed by pip: buzzsim/bin/buzzsim. In a CMake build tree: build/bin/buzzsim.
    for candidate in (here / "bin" / "buzzsim", here.parent.parent / "bin" / "buzzsim"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise SystemExit(
        f"buzzsim: the command line is not beside this package ({here / 'bin' / 'buzzsim'}); "
        "reinstall it with `pip install --no-build-isolation .`")


def main() -> None:
    exe = executable()
    os.execv(exe, ["buzzsim", *sys.argv[1:]])


if __name__ == "__main__":
    main()
