"""The translators' review page (`tilmash review`)."""
