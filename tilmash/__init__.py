"""Tilmash: CLI, configuration and orchestration of the sources → i18n → translate → render pipeline."""

__version__ = "0.1.0"  # the package's version (pyproject reads it from here); part of every run's fingerprint
