"""`make bench ARGS=--variant ...`: what it accepts, and the message for what it does not."""

from __future__ import annotations

import argparse

import pytest

from mlflow_oidc_stack.ops.bench import parse_variant


def test_a_variant_is_a_name_and_env_settings_with_spaces_kept():
    name, values = parse_variant("before:KEYCLOAK_JAVA_HEAP=-Xms64m -Xmx512m;POSTGRES_SHARED_BUFFERS=128MB")
    assert name == "before"
    assert values == {"KEYCLOAK_JAVA_HEAP": "-Xms64m -Xmx512m", "POSTGRES_SHARED_BUFFERS": "128MB"}


@pytest.mark.parametrize("bad", ["before", "before:", ":A=1", "before:A", "before:lower=1"])
def test_a_malformed_variant_is_refused_with_the_form_to_use(bad):
    with pytest.raises(argparse.ArgumentTypeError) as err:
        parse_variant(bad)
    assert "--variant" in str(err.value)
    assert "NAME:KEY=VALUE" in str(err.value) or "not a .env variable name" in str(err.value)
