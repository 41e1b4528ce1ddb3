"""Websocket routes of every app, gathered in one list (the live-night issue adds the first)."""

websocket_urlpatterns: list = []
