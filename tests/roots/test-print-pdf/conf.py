from rawa_test_conf import *  # noqa: F403

# the test-pdf-links book, built by the prototype PDF/UA builder (issue 19)
rawa_latex_appendix = "bijlage"
extensions = [*extensions, "rawa_print"]  # noqa: F405
