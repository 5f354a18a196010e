"""Large worlds switch the allocator to reusing freed memory (experiments.memory)."""

from __future__ import annotations

import platform
import subprocess
import sys

import experiments.api as api
from experiments import memory


def test_retain_freed_memory_works_where_glibc_runs():
    # in a child: the switch is for the whole process, and the test process should keep its own
    code = "from experiments.memory import retain_freed_memory as r; print(r(), r())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert out == [str(glibc)] * 2


def test_only_worlds_too_large_for_the_start_cache_switch_it(monkeypatch):
    calls = []
    monkeypatch.setattr(api, "retain_freed_memory", lambda: calls.append(1))
    api.build_model("baseline", {"population_scale": 9000}, seed=1)
    assert calls == []
    monkeypatch.setattr(api, "START_CACHE_MAX_CITIZENS", 100)
    model = api.build_model("baseline", {"population_scale": 9000}, seed=1)
    assert calls == [1] and model.quarter == 0
    assert memory.M_MMAP_MAX == -4  # glibc's malloc.h
