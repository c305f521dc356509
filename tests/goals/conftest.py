"""The web tests' logged-in-as-a-role helper, for the goals pages."""
from tests.web.conftest import as_role  # noqa: F401
