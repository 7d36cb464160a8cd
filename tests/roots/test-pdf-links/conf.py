from rawa_test_conf import *  # noqa: F403

# this small book has an annex part
rawa_latex_appendix = "bijlage"
