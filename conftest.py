"""Root pytest configuration: shared fixtures live in vinculo/test.py."""

import os

os.environ.setdefault("VINCULO_TESTING", "1")

pytest_plugins = ["vinculo.test"]
