"""The seed example's HTML 自评表, rendered by headless Chromium to an A4-shaped PNG that is not blank.

Skipped when no Chromium is installed. On Debian: `apt-get install -y chromium fonts-noto-cjk`
(without a CJK font the page still renders, but every Chinese character is a box).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from scoring.engine.score import score
from scoring.load.facts import load_facts
from scoring.load.rulesets import load_ruleset
from scoring.render import render_html
from tests.conftest import EXAMPLES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WIDTH, HEIGHT = 1240, 1754  # A4 at 150 dpi
SEED = EXAMPLES / "xinfang-wangcheng-2022.yaml"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium binary found (apt-get install -y chromium fonts-noto-cjk to run it)",
)


def screenshot(page: Path, png: Path) -> None:
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--hide-scrollbars",
            f"--user-data-dir={png.parent / 'profile'}",
            f"--screenshot={png}",
            f"--window-size={WIDTH},{HEIGHT}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def read_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the unfiltered rows of an 8-bit RGB or RGBA PNG (standard library only)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    offset, idat = 8, b""
    chunks: dict[bytes, bytes] = {}
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IDAT":
            idat += body
        chunks.setdefault(kind, body)
        offset += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, colour, interlace) in ((8, 2, 0), (8, 6, 0)), "expected 8-bit RGB(A)"
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                predictor = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + predictor) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, [row if channels == 3 else _rgb(row) for row in rows]


def _rgb(row: bytes) -> bytes:
    return b"".join(row[i : i + 3] for i in range(0, len(row), 4))


def test_the_seed_example_renders_to_a_printable_page(tmp_path: Path):
    ruleset = load_ruleset("xinfang.wangcheng-relief@2022.1")
    page = tmp_path / "report.html"
    page.write_text(render_html(score(ruleset, load_facts(SEED, ruleset))), encoding="utf-8")
    png = tmp_path / "report.png"

    screenshot(page, png)

    assert png.exists()
    width, height, rows = read_png(png.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    pixels = width * height
    dark = [
        sum(1 for i in range(0, len(row), 3) if row[i] + row[i + 1] + row[i + 2] < 3 * 128)
        for row in rows
    ]
    colours = {row[i : i + 3] for row in rows[::7] for i in range(0, len(row), 3 * 7)}
    assert sum(dark) > pixels // 200, f"only {sum(dark)} dark pixels: the page looks blank"
    assert sum(dark) < pixels // 3, f"{sum(dark)} dark pixels: the page looks filled in"
    assert len(colours) > 16, "too few colours for text, borders and the chart"
    assert sum(dark[30:130]) > 1000, "no title at the top of the page"
    assert sum(dark[HEIGHT // 2 :]) > 1000, "nothing on the lower half (the chart)"
