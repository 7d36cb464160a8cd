"""Test root of tests/test_incremental_recover.py: the real configuration plus two hooks.

The tests switch the hooks on through the environment, not the configuration: a changed
configuration would itself make Sphinx read everything again and hide what is tested.
"""

import os
import signal
import time

from rawa_test_conf import *  # noqa: F403


def _while_writing(app, doctree, docname):
    """Crash on one page, or pause on every page, while the pages are written."""
    if docname == os.environ.get("RAWA_TEST_CRASH_WRITING"):
        raise RuntimeError(f"test: crash while writing {docname}")
    if pause := os.environ.get("RAWA_TEST_PAUSE_WRITING"):
        # said at once (not buffered): the test stops the build while it sleeps here
        print(f"rawa-test: pausing while writing {docname}", flush=True)
        time.sleep(float(pause))


def setup(app):
    app.connect("doctree-resolved", _while_writing)
    if os.environ.get("RAWA_TEST_PAUSE_WRITING"):
        # Ctrl-C as in a terminal, also when the test run was started in the background
        # (a shell starts background jobs with SIGINT ignored, and Python keeps that)
        signal.signal(signal.SIGINT, signal.default_int_handler)
