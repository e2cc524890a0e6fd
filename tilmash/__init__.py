"""Tilmash: CLI, configuration and orchestration of the sources → i18n → translate → render pipeline."""
