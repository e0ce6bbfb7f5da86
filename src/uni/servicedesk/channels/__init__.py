"""Outbound channels for notifications: SMS gateways (the outbox decides what and when)."""
