"""``touchpoint selftest`` reads cleanly: no Qt noise, a weak keyring is a warning."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _selftest(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ,
        TOUCHPOINT_DB=str(tmp_path / "st.sqlite3"),
        PYTHONPATH=str(ROOT),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",  # no keyring at all
    )
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)  # selftest picks offscreen itself
    return subprocess.run(
        [sys.executable, "-m", "desktop", "selftest", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=180,
        check=False,
    )


def test_selftest_without_a_keyring_warns_and_prints_no_qt_noise(tmp_path: Path) -> None:
    proc = _selftest(tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr == ""  # no "This plugin does not support propagateSizeHints()"
    lines = proc.stdout.splitlines()
    [keyring] = [line for line in lines if "keyring:" in line]
    assert keyring.startswith("WARN keyring: No OS keyring")
    assert any(line.startswith("ok   window: main window") for line in lines)
    # the mail import's parser process (spawn: the packaged app's own
    # executable started again) answered with the letter's Cyrillic text
    assert "ok   mail parser process: the mail parser process started and parsed a letter" in lines
    # read from phonenumbers' own file, which the bundle must carry
    assert "ok   country names: DE in Russian: Германия" in lines
    assert lines[-1] == "selftest passed"
    report = json.loads(_selftest(tmp_path, "--json").stdout)
    [check] = [c for c in report["checks"] if c["name"] == "keyring"]
    assert (check["ok"], check["warning"]) == (True, True)
    assert report["ok"] is True
