"""scripts/bootstrap.sh installs once per pyproject.toml, then starts directly."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _tree(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the scripts and pyproject with a venv whose python, pip and
    uv only log what they were asked to do."""
    root = tmp_path / "touchpoint"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "bootstrap.sh", root / "scripts")
    shutil.copy(REPO / "scripts" / "run.sh", root / "scripts")
    shutil.copy(REPO / "pyproject.toml", root)
    bin_dir = root / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    log = tmp_path / "calls.log"
    python = bin_dir / "python"
    python.write_text(
        f'#!/bin/sh\nif [ "$1" = "-m" ]; then echo "python $*" >>{log}; exit 0; fi\n'
        f'exec {sys.executable} "$@"\n'
    )
    (bin_dir / "uv").write_text(f'#!/bin/sh\necho "uv $*" >>{log}\n')
    (bin_dir / "touchpoint").write_text(f'#!/bin/sh\necho "touchpoint $*" >>{log}\n')
    for tool in ("python", "uv", "touchpoint"):
        (bin_dir / tool).chmod(0o755)
    return root, log


def _run(root: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TOUCHPOINT_REINSTALL"}
    subprocess.run(
        ["bash", str(root / "scripts" / "run.sh"), *args], check=True, env=env, timeout=60
    )


def test_run_installs_once_then_starts_directly(tmp_path: Path) -> None:
    root, log = _tree(tmp_path)
    _run(root, "clients", "list")
    first = log.read_text().splitlines()
    assert any(line.startswith("uv pip install") for line in first)
    assert first[-1] == "touchpoint clients list"
    log.write_text("")
    _run(root, "--version")
    assert log.read_text().splitlines() == ["touchpoint --version"]
    # A changed pyproject.toml (new dependency) installs again, once.
    with (root / "pyproject.toml").open("a") as f:
        f.write("\n# changed\n")
    log.write_text("")
    _run(root)
    assert sum(line.startswith("uv pip install") for line in log.read_text().splitlines()) == 1
    log.write_text("")
    _run(root)
    assert log.read_text().splitlines() == ["touchpoint "]
