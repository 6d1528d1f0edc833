"""Webhooks: sellers' endpoints, the events sent to them, signing and delivery."""
