"""Recoupe: cross-check the news."""
