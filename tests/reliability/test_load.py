"""The bounded load test (bench/load.py) over the seed index: no errors, memory growth under 20 %."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_sixteen_clients_for_sixty_seconds(seed_index: Path):
    from load import run

    report = run(seed_index, clients=16, seconds=60, port=_free_port())
    assert report["requests"] > 100
    assert report["errors"] == 0, report["error_examples"]
    assert report["rss_growth"] < 0.2, report


def test_a_short_burst_of_eight_clients(seed_index: Path):
    from load import run

    report = run(seed_index, clients=8, seconds=3, port=_free_port())
    assert report["requests"] > 8 and report["errors"] == 0, report["error_examples"]
