"""Notifications: timeline events -> messages (``messages``) in the words of ``templates``,
kept in a transactional ``outbox``, sent after commit (``delivery``), or gathered in daily
``digests`` for staff who prefer them."""
