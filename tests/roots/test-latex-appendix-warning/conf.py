from rawa_test_conf import *  # noqa: F403

# the PDF's annexes start at a document this project does not have
rawa_latex_appendix = "bijlagen/index"
