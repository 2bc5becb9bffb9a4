"""Recoupe's exceptions, one tree:

    RecoupeError
    ├── InputError(source, reason)   one file or URL could not be read; the batch goes on
    ├── StoreError                   the store could not be opened, migrated or written
    ├── ConfigError                  a setting is out of range or a resource is missing
    │   └── UnsupportedLanguageError(language, supported)
    └── GoldError                    a gold file is malformed (evaluation only)
"""

from __future__ import annotations


class RecoupeError(Exception):
    """Base of every error Recoupe raises on purpose."""


class InputError(RecoupeError):
    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StoreError(RecoupeError):
    pass


class ConfigError(RecoupeError):
    pass


class UnsupportedLanguageError(ConfigError):
    def __init__(self, language: str, supported: list[str]) -> None:
        super().__init__(f"language {language!r} is not supported; supported: {sorted(supported)}")
        self.language = language
        self.supported = sorted(supported)


class GoldError(RecoupeError):
    pass
