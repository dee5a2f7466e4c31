"""``python -m desktop`` and the PyInstaller entry: the same as ``touchpoint``.

The mail import parses letters in a worker process started with ``spawn``
(``services.mail.parse_worker``): the worker imports this module again as
``__mp_main__``, so the command runs only under ``__main__``, and in the
packaged app ``freeze_support`` turns the worker's start into the worker.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from desktop.cli import main

    sys.exit(main())
