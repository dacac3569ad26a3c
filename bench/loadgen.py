"""A small asyncio load generator that fills in the citizen survey like a browser.

Each simulated client loops until the time is up: GET the unit's form, read the signed ticket,
the CSRF token and the choices from the HTML, then POST a complete, valid set of answers (nine
scores, service, age, sex, education, occupation, sometimes a suggestion) and expect the
redirect to the thank-you page. Every loop is a new citizen with its own User-Agent string, so
the app's per-client rate limit (address + browser) treats them as different people, as it would
50 phones behind one mobile-network address; the limit itself stays on (see bench/README.md).

The baseline flow is the same shape against a minimal view (GET a tiny form, POST one row).
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field

import aiohttp

TICKET = re.compile(r'name="t" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RADIO = re.compile(r'type="radio" name="([A-Za-z_0-9]+)" value="([^"]*)"')
SUGGESTIONS = [
    "Antrean cukup cepat, terima kasih.",
    "Mohon ruang tunggu diberi kipas angin.",
    "Petugas ramah dan jelas menjelaskan persyaratan.",
    "Sebaiknya ada nomor antrean daring.",
]


@dataclass
class Stats:
    ok: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    post_latency: list[float] = field(default_factory=list)
    get_latency: list[float] = field(default_factory=list)
    cycle_latency: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class FormShape:
    """The radio choices a unit's form offers (read once per unit from its HTML)."""

    choices: dict[str, list[str]]


def parse_shape(html: str) -> FormShape:
    choices: dict[str, list[str]] = {}
    for name, value in RADIO.findall(html):
        choices.setdefault(name, []).append(value)
    return FormShape(choices)


def _cookie(response: aiohttp.ClientResponse, name: str) -> str | None:
    for header in response.headers.getall("Set-Cookie", []):
        if header.startswith(name + "="):
            return header.split(";", 1)[0].split("=", 1)[1]
    return None


def survey_answers(shape: FormShape, rng: random.Random) -> dict[str, str]:
    data: dict[str, str] = {}
    for name, values in shape.choices.items():
        if name.startswith("element_"):
            data[name] = rng.choice(["2", "3", "3", "4", "4"])
        elif name == "service":
            real = [value for value in values if value != "lainnya"] or values
            data[name] = rng.choice(real)
            if data[name] == "lainnya":
                data["service_other"] = "Legalisir"
        elif name == "occupation":
            data[name] = rng.choice([value for value in values if value != "lainnya"] or values)
        else:
            data[name] = rng.choice(values)
    data["age"] = str(rng.randint(17, 75))
    data["suggestion"] = rng.choice(SUGGESTIONS) if rng.random() < 0.3 else ""
    data["website"] = ""  # the honeypot, left empty as a person would
    return data


async def _survey_cycle(
    session: aiohttp.ClientSession, base: str, path: str, agent: str, shapes: dict[str, FormShape], rng: random.Random
) -> tuple[bool, str, float, float]:
    headers = {"User-Agent": agent}
    began = time.perf_counter()
    async with session.get(base + path, headers=headers, allow_redirects=False) as response:
        html = await response.text()
        if response.status != 200:
            return False, f"GET {response.status}", time.perf_counter() - began, 0.0
        csrf_cookie = _cookie(response, "csrftoken")
    got = time.perf_counter()
    ticket = TICKET.search(html)
    token = CSRF.search(html)
    if ticket is None or token is None or csrf_cookie is None:
        return False, "GET without ticket or CSRF token", got - began, 0.0
    shape = shapes.get(path)
    if shape is None:
        shape = shapes[path] = parse_shape(html)
    data = survey_answers(shape, rng)
    data["t"] = ticket.group(1)
    data["csrfmiddlewaretoken"] = token.group(1)
    headers = {"User-Agent": agent, "Cookie": f"csrftoken={csrf_cookie}", "Referer": base + path}
    async with session.post(base + path, data=data, headers=headers, allow_redirects=False) as response:
        await response.read()
        posted = time.perf_counter()
        location = response.headers.get("Location", "")
        if response.status == 302 and "terima-kasih" in location:
            return True, "", got - began, posted - got
        return False, f"POST {response.status}", got - began, posted - got


async def _baseline_cycle(
    session: aiohttp.ClientSession, base: str, path: str, agent: str, shapes: dict[str, FormShape], rng: random.Random
) -> tuple[bool, str, float, float]:
    headers = {"User-Agent": agent}
    began = time.perf_counter()
    async with session.get(base + path, headers=headers) as response:
        html = await response.text()
        csrf_cookie = _cookie(response, "csrftoken")
        if response.status != 200:
            return False, f"GET {response.status}", time.perf_counter() - began, 0.0
    got = time.perf_counter()
    token = CSRF.search(html)
    if token is None or csrf_cookie is None:
        return False, "GET without CSRF token", got - began, 0.0
    data = {"csrfmiddlewaretoken": token.group(1), "payload": rng.choice(SUGGESTIONS)}
    headers = {"User-Agent": agent, "Cookie": f"csrftoken={csrf_cookie}", "Referer": base + path}
    async with session.post(base + path, data=data, headers=headers, allow_redirects=False) as response:
        await response.read()
        posted = time.perf_counter()
        if response.status == 302:
            return True, "", got - began, posted - got
        return False, f"POST {response.status}", got - began, posted - got


async def run_load(
    *,
    bases: list[str],
    paths: list[str],
    clients: int,
    duration: float,
    baseline: bool = False,
    seed: int = 1,
    timeout: float = 30.0,
) -> tuple[Stats, float]:
    """Run `clients` concurrent loops for `duration` seconds; client i uses bases[i % len] and
    paths[i % len]. Returns the statistics and the wall time actually taken."""
    stats = Stats()
    shapes: dict[str, FormShape] = {}
    cycle = _baseline_cycle if baseline else _survey_cycle
    deadline = time.perf_counter() + duration
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    session_timeout = aiohttp.ClientTimeout(total=timeout)

    async def client(number: int) -> None:
        rng = random.Random(seed * 100_003 + number)
        base = bases[number % len(bases)]
        path = paths[number % len(paths)]
        loop = 0
        while time.perf_counter() < deadline:
            loop += 1
            agent = f"Mozilla/5.0 (Linux; Android 14; bench-citizen-{seed}-{number}-{loop}) Mobile"
            started = time.perf_counter()
            try:
                ok, error, get_s, post_s = await cycle(session, base, path, agent, shapes, rng)
            except (TimeoutError, aiohttp.ClientError) as exc:
                ok, error, get_s, post_s = False, type(exc).__name__, 0.0, 0.0
            if ok:
                stats.ok += 1
                stats.get_latency.append(get_s)
                stats.post_latency.append(post_s)
                stats.cycle_latency.append(time.perf_counter() - started)
            else:
                stats.errors[error] += 1

    async with aiohttp.ClientSession(
        connector=connector, timeout=session_timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as session:
        began = time.perf_counter()
        await asyncio.gather(*(client(number) for number in range(clients)))
        wall = time.perf_counter() - began
    return stats, wall
