"""Notifications: what each person is told, in the app and by email (at once or in a daily digest)."""
from app.notifications.service import notify, send_digests, staff_users

__all__ = ["notify", "send_digests", "staff_users"]
