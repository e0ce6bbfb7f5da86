from tests.requests.conftest import desk  # noqa: F401 - the integration desk
