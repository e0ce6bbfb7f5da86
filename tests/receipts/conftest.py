from tests.forms.conftest import form_desk  # noqa: F401 - a service with its easyform form
