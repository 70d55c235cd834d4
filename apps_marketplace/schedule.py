"""Periodic work of this app, merged into the beat schedule by config/celery.py."""

BEAT_SCHEDULE: dict = {}
