"""Upgrade steps of the default profile: one package per profile version (``vNNNN``)."""
