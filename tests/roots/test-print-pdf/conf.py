from rawa_test_conf import *  # noqa: F403

# a small book with a part and an annex, built by the PDF/UA builder (issue 19)
rawa_latex_appendix = "bijlage"
