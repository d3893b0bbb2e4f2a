"""schemathesis generates requests from the OpenAPI document (/schema/openapi.json) and sends them to the
app over ASGI, with the demo network behind it: no answer is a 5xx, and every answer's status, content
type and body match what the document says. Bounded (a few examples per operation): seconds, not minutes.

Its own site: schemathesis runs the app's lifespan again around its calls, which closes the store the
other tests of a module would still use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from tests.security.conftest import Site, start_site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with ExitStack() as stack:
        yield start_site(tmp_path_factory.mktemp("open-data-schema"), stack)


@pytest.fixture(scope="module")
def api_schema(site: Site) -> schemathesis.schemas.BaseSchema:
    return schemathesis.openapi.from_asgi("/schema/openapi.json", site.client.app)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(autouse=True)
def node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """schemathesis 4.32 renames the test node through ``_nodeid``, which pytest 9 no longer has."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_generated_request_gets_an_answer_its_schema_describes(case: schemathesis.Case) -> None:
    case.call_and_validate(
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    )


