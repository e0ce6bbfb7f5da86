"""collective.easyform integration: the "Create service request" action and its pages."""
