"""uni.servicedesk: the university single window of services."""

from zope.i18nmessageid import MessageFactory

PACKAGE_NAME = "uni.servicedesk"

_ = MessageFactory(PACKAGE_NAME)
