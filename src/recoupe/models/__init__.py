"""Fitted models shipped with Recoupe, as small versioned JSON files (refit: `recoupe fit events`)."""
