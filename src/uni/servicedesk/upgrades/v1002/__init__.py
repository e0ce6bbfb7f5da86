"""1002: appointment calendars (profile steps only, no handlers)."""
