"""Live updates: domain events pushed to the open pages over websockets (Django Channels)."""
