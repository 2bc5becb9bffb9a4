"""The web UI and JSON API: `recoupe.web.app.create_app(store, token=...)`."""
