"""Periodic work of elections, merged into the beat schedule by config/celery.py."""

BEAT_SCHEDULE: dict = {}
