from rawa_test_conf import *  # noqa: F403

rawa_standards_peildatum = "2026-11-29"
