"""The websocket URLs, wired into the ASGI application by messagecenter/asgi.py."""

from __future__ import annotations

from django.urls import path

from messagecenter.live.consumers import LiveConsumer

websocket_urlpatterns = [path("ws/live/", LiveConsumer.as_asgi())]
