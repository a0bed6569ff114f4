"""Loaded by pytest as an early plugin (see pyproject), before Django reads its settings."""

import os

os.environ["VINCULO_TESTING"] = "1"
