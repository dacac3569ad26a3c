"""The hypothesis profile of the URL fuzz tests: enough examples to walk every URL and parameter
in a few seconds, no deadline (a request's time depends on the machine and the database), and
no health checks that fail on a slow machine rather than on a bug."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "url-fuzz",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
URL_FUZZ = settings.get_profile("url-fuzz")
