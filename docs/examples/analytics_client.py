#!/usr/bin/env python3
"""A typed Python client of the analytics API (analytics/src/main/resources/openapi.json), standard library only.

Answers are read into dataclasses that mirror the API's schemas field by field: a field the API sends that a class
lacks, or a field a class expects that the API leaves out, is an error, so the client notices when the API changes.

    python docs/examples/analytics_client.py --url http://localhost:7070 [--token TOKEN] [--view short]

prints, for every device type, the latest window's frames, accuracy and end-to-end p99 latency.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import typing
import urllib.error
import urllib.parse
import urllib.request
from typing import Optional


@dataclasses.dataclass(frozen=True)
class Device:
    deviceId: str
    engine: str
    precision: str
    lastHeartbeat: int
    framesProcessed: int
    framesFailed: int
    consumerLag: int
    heartbeatIntervalMillis: int
    online: bool


@dataclasses.dataclass(frozen=True)
class DeviceTypeEntry:
    deviceType: str
    devices: list[Device]


@dataclasses.dataclass(frozen=True)
class DeviceTypes:
    deviceTypes: list[DeviceTypeEntry]
    instances: list[str]


@dataclasses.dataclass(frozen=True)
class PercentileValue:
    name: str
    percentile: float
    micros: Optional[int]
    verdict: str
    samplesNeeded: int


@dataclasses.dataclass(frozen=True)
class LatencySummary:
    samples: int
    minMicros: int
    maxMicros: int
    percentiles: list[PercentileValue]


@dataclasses.dataclass(frozen=True)
class LatencyBoundCheck:
    percentile: float
    boundMillis: float
    observedMillis: Optional[float]
    samples: int
    samplesNeeded: int
    verdict: str


@dataclasses.dataclass(frozen=True)
class WindowStats:
    dimension: str
    key: str
    view: str
    windowStart: int
    windowEnd: int
    frames: int
    framesWithGroundTruth: int
    correct: int
    accuracy: Optional[float]
    throughputPerSecond: float
    deadLetters: int
    errors: int
    rejected: int
    inference: LatencySummary
    onDevice: LatencySummary
    endToEnd: LatencySummary
    latencyBound: Optional[LatencyBoundCheck]

    def percentile_micros(self, name: str) -> Optional[int]:
        """The end-to-end latency at a percentile (e.g. 'p99'), or None when the samples do not support it."""
        return next((p.micros for p in self.endToEnd.percentiles if p.name == name), None)


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


def decode(cls, value):
    """JSON into a dataclass (recursively), refusing unknown and missing fields."""
    origin = typing.get_origin(cls)
    if origin is typing.Union:  # Optional[X]
        inner = next(a for a in typing.get_args(cls) if a is not type(None))
        return None if value is None else decode(inner, value)
    if origin is list:
        (item,) = typing.get_args(cls)
        return [decode(item, v) for v in value]
    if dataclasses.is_dataclass(cls):
        hints = typing.get_type_hints(cls)
        unknown = set(value) - set(hints)
        missing = set(hints) - set(value)
        if unknown or missing:
            raise ValueError(f"{cls.__name__}: fields the client does not know {sorted(unknown)}, "
                             f"fields the answer lacks {sorted(missing)}")
        return cls(**{name: decode(hint, value[name]) for name, hint in hints.items()})
    if cls is float and isinstance(value, int):
        return float(value)
    if not isinstance(value, cls):
        raise ValueError(f"expected {cls.__name__}, got {value!r}")
    return value


class AnalyticsClient:
    def __init__(self, url: str, token: Optional[str] = None, timeout: float = 10):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _get(self, path: str, **query) -> object:
        params = urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        request = urllib.request.Request(self.url + path + ("?" + params if params else ""))
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:  # the API answers errors as ApiError JSON
            body = error.read().decode("utf-8", "replace")
            try:
                message = json.loads(body).get("message", body)
            except ValueError:
                message = body
            raise ApiError(error.code, message) from None

    def device_types(self, view: Optional[str] = None) -> DeviceTypes:
        return decode(DeviceTypes, self._get("/api/device-types", view=view))

    def stats(self, dimension: str, key: str, view: Optional[str] = None, window: Optional[str] = None) -> WindowStats:
        path = f"/api/stats/{dimension}/{urllib.parse.quote(key, safe='')}"
        return decode(WindowStats, self._get(path, view=view, window=window))


def main() -> int:
    parser = argparse.ArgumentParser(description="Print the latest window of every device type.")
    parser.add_argument("--url", default="http://localhost:7070")
    parser.add_argument("--token", help="the API's bearer token, when it requires one")
    parser.add_argument("--view", help="short (default) or long, or a view's name")
    args = parser.parse_args()
    client = AnalyticsClient(args.url, args.token)
    for entry in client.device_types(args.view).deviceTypes:
        try:
            stats = client.stats("device-type", entry.deviceType, args.view)
        except ApiError as error:
            if error.status != 404:  # 404: no predictions in the view's retention, only heartbeats
                raise
            print(f"{entry.deviceType}: no predictions")
            continue
        accuracy = "n/a" if stats.accuracy is None else f"{stats.accuracy:.3f}"
        p99 = stats.percentile_micros("p99")
        print(f"{entry.deviceType}: {stats.frames} frames, accuracy {accuracy}, "
              f"p99 end to end {'n/a' if p99 is None else f'{p99} us'}, "
              f"devices {', '.join(sorted(d.deviceId for d in entry.devices)) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
