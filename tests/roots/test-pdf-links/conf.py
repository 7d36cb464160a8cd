from rawa_test_conf import *  # noqa: F403

# the annex part of this small book
rawa_latex_appendix = "bijlage"
