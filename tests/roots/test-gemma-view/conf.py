import os

from rawa_test_conf import *  # noqa: F403

# a copy of the snapshot the test may change (``RAWA_TEST_GEMMA``)
rawa_gemma_snapshot = os.environ["RAWA_TEST_GEMMA"]
