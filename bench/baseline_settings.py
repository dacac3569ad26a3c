"""The real app's settings with one bench-only URL added (the baseline view); nothing else changes."""

from survey_site.settings import *  # noqa: F403

ROOT_URLCONF = "bench.baseline_urls"
