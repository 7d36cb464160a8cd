from rawa_test_conf import *  # noqa: F403
from rawa_test_conf import _real

# scenarios and components that disagree: no audit defaults, as in the publication
needs_types = _real["needs_types"]
