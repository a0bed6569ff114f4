"""Root pytest configuration: shared fixtures live in vinculo/test.py."""

pytest_plugins = ["vinculo.test", "vinculo.browser", "vinculo.testservers"]
