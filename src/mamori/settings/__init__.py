"""Settings modules: ``base`` (default), ``production`` and ``test``."""
