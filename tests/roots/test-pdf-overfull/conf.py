from rawa_test_conf import *  # noqa: F403

rawa_latex_appendix = ""
