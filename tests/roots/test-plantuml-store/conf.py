from rawa_test_conf import *  # noqa: F403
