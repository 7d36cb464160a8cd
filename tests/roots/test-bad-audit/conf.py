from rawa_test_conf import *  # noqa: F403
from rawa_test_conf import _real

# this root tests the audit fields themselves: no defaults, as in the publication
needs_types = _real["needs_types"]
