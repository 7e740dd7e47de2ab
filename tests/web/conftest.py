"""The web app under FastAPI's test client."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from scoring.web.app import create_app


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app(), raise_server_exceptions=False)
