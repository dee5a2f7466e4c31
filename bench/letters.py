"""Hostile letters: how long each keeps the GUI thread, unbounded and bounded.

For each letter (generated here: nested tables, 100k nested elements, a
million-row table, a ~29M-character body) times, in this process,
``sanitize_html`` and the display bound (both run off the GUI thread in the
app) and then ``SafeMailBrowser.show_message`` plus layout (the GUI thread's
share), and reports it as a ratio to a plain 10 KB letter shown the same way.
``--unbounded`` also shows the raw HTML the way the viewer did before the
bounds (expect minutes: each case runs under an alarm of ``--limit`` seconds).

    .venv/bin/python bench/letters.py
    .venv/bin/python bench/letters.py --unbounded --limit 120 tables20
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _nested(tag: str, count: int, inner: str = "x") -> str:
    return f"<{tag}>" * count + inner + f"</{tag}>" * count


CASES = {
    "plain10k": "<p>" + "Добрый день, коллеги. " * 450 + "</p>",
    "tables20": "<table><tr><td>" * 20 + "x" + "</td></tr></table>" * 20,
    "tables2000": "<table><tr><td>" * 2000 + "x" + "</td></tr></table>" * 2000,
    "div100k": _nested("div", 100_000),
    "span100k": _nested("span", 100_000),
    "blockquote100k": _nested("blockquote", 100_000),
    "ol100k": _nested("ol", 100_000, "<li>x</li>"),
    "font100k": _nested("font", 100_000),
    "rows1M": "<table>" + "<tr><td>a</td><td>b</td></tr>" * 1_000_000 + "</table>",
    "body29M": "<p>" + ("Привет мир " * 10 + "<br>\n") * 250_000 + "</p>",
    "unclosed_p": "<p>a" * 400_000,
}


class _Late(Exception):
    pass


def _alarm(_signum: int, _frame: object) -> None:
    raise _Late


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", default=list(CASES))
    parser.add_argument("--unbounded", action="store_true")
    parser.add_argument("--limit", type=int, default=120, help="seconds per unbounded case")
    args = parser.parse_args()

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from services.mail import mime_html
    from services.mail.html_bounds import bound_html
    from ui.mail.safe_browser import SafeMailBrowser

    def show(html: str) -> float:
        view = SafeMailBrowser()
        view.resize(800, 600)
        view.show()
        start = time.perf_counter()
        view.show_message(html, "")
        view.document().size()
        QCoreApplication.processEvents()
        took = time.perf_counter() - start
        view.close()
        view.deleteLater()
        return took

    plain = bound_html(mime_html.sanitize_html(CASES["plain10k"]), for_display=True).html
    show(plain)  # warm-up: the first widget pays for fonts and styles
    base = min(show(plain) for _ in range(3))
    print(f"baseline plain10k: GUI {base * 1000:.0f} ms")
    signal.signal(signal.SIGALRM, _alarm)
    for name in args.cases:
        html = CASES[name]
        start = time.perf_counter()
        clean = mime_html.sanitize_html(html)
        shown = bound_html(clean, for_display=True)
        worker = time.perf_counter() - start
        gui = show(shown.html)
        line = (
            f"{name}: {len(html) / 1e6:.2f} M chars; worker {worker:.2f} s; "
            f"GUI {gui:.2f} s = {gui / base:.1f}x baseline; simplified {shown.simplified}"
        )
        if args.unbounded:
            signal.alarm(args.limit)
            try:
                line += f"; unbounded GUI {show(mime_html._CLEANER.clean(html)):.2f} s"
            except _Late:
                line += f"; unbounded GUI > {args.limit} s"
            finally:
                signal.alarm(0)
        print(line, flush=True)
    app.quit()


if __name__ == "__main__":
    main()
