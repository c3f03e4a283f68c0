"""Ship the top-level resources/ folder inside wheels, as annotator/_resources.

A checkout and an editable install read resources/ where it is; a regular (or pipx) install has no
checkout beside it, so the wheel must carry its own copy (see annotator/resources.py).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # editable installs use the checkout's resources/ directly
        target = Path(self.build_lib) / "annotator" / "_resources"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(
            Path(__file__).parent / "resources",
            target,
            ignore=shutil.ignore_patterns("__pycache__", "*.py[cod]"),
        )


setup(cmdclass={"build_py": BuildWithResources})
