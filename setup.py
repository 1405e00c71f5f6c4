"""Builds buzzsim's Python package with CMake for `pip install .` (pyproject.toml).

The extension module, the command line and the plugins they load are built by the
project's own CMake (targets buzzsim_core and buzzsim) and copied into the package:

    buzzsim/_core*.so, buzzsim/libbuzz_graphml.so
    buzzsim/bin/buzzsim (python -m buzzsim), buzzsim/bin/libbuzz_*.so

BUZZSIM_BUILD_DIR names a configured build tree to reuse (scripts/build.sh's build/);
otherwise a Release tree is configured under setuptools' temporary folder.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def version() -> str:
    text = (ROOT / "CMakeLists.txt").read_text()
    found = re.search(r"project\(buzzsim VERSION ([0-9.]+)", text)
    if not found:
        raise RuntimeError("CMakeLists.txt: no `project(buzzsim VERSION x.y.z` line")
    return found.group(1)


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        given = os.environ.get("BUZZSIM_BUILD_DIR")
        build = Path(given).resolve() if given else Path(self.build_temp).resolve() / "cmake"
        if not (build / "CMakeCache.txt").exists():
            subprocess.check_call([
                "cmake", "-S", str(ROOT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                "-DBUZZ_TESTS=OFF", "-DBUZZ_VIEWER=OFF", "-DBUZZ_PYTHON=ON",
                f"-DPython_EXECUTABLE={sys.executable}",
            ])
        jobs = str(os.cpu_count() or 1)
        subprocess.check_call(
            ["cmake", "--build", str(build), "--target", "buzzsim_core", "buzzsim", "-j", jobs])

        package = Path(self.get_ext_fullpath(ext.name)).parent
        package.mkdir(parents=True, exist_ok=True)
        modules = sorted((build / "python" / "buzzsim").glob("_core*.so"))
        if not modules:
            raise RuntimeError(f"{build}: the build made no python/buzzsim/_core*.so")
        shutil.copy2(modules[0], self.get_ext_fullpath(ext.name))
        shutil.copy2(build / "bin" / "libbuzz_graphml.so", package)
        (package / "bin").mkdir(exist_ok=True)
        for tool in sorted((build / "bin").glob("libbuzz_*.so")) + [build / "bin" / "buzzsim"]:
            shutil.copy2(tool, package / "bin")


setup(
    version=version(),
    packages=["buzzsim"],
    package_dir={"": "python"},
    ext_modules=[Extension("buzzsim._core", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
    # Inside the CMake build folder (ignored by git), not a second build/ of setuptools' own.
    options={"build": {"build_base": "build/setuptools"}},
)
