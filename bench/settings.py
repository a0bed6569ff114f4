"""The product's settings, plus the bare view the submission benchmark compares against."""

from vinculo.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
