"""Synthetic "cat photos" for the demo community, and the edits of a repost.

Each base picture is drawn from its own seed (a gradient room, furniture blocks, a floor
texture, a cat of random coat, pose and size, sensor noise), so any one can be drawn again
later to make a repost of it without keeping pictures in memory. Reposts are what members
really do to a picture they pass on: recompress it, resize it, crop a little, change the
brightness, or add a caption banner.
"""

from __future__ import annotations

import io
import random
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

_COATS = (
    ((20, 20, 22), (60, 60, 64)),  # black
    ((235, 232, 225), (200, 196, 190)),  # white
    ((214, 120, 40), (160, 80, 20)),  # ginger
    ((128, 128, 132), (80, 80, 86)),  # grey
    ((120, 80, 50), (70, 45, 25)),  # brown tabby
    ((230, 210, 170), (190, 160, 120)),  # cream
    ((240, 240, 240), (40, 30, 25)),  # tuxedo-ish
)


def _colour(rng: random.Random, lo: int = 30, hi: int = 230) -> tuple[int, int, int]:
    return (rng.randint(lo, hi), rng.randint(lo, hi), rng.randint(lo, hi))


def base_picture(seed: str, size: tuple[int, int] = (320, 240)) -> Image.Image:
    """The base picture of `seed`: the same seed always draws the same picture."""
    rng = random.Random(seed)
    w, h = size
    # The room is smooth: draw it at a quarter of the size and let resize interpolate.
    img = Image.fromarray(_room(rng, max(8, w // 4), max(6, h // 4))).resize(
        (w, h), Image.Resampling.BILINEAR
    )
    draw = ImageDraw.Draw(img)
    # Furniture and objects: a few blocks and discs, strong low-frequency structure so base
    # pictures differ clearly to a perceptual hash.
    for _ in range(rng.randint(2, 5)):
        x0, y0 = rng.randint(-w // 4, w), rng.randint(-h // 4, h)
        x1, y1 = x0 + rng.randint(w // 8, w // 2), y0 + rng.randint(h // 8, h // 2)
        if rng.random() < 0.5:
            draw.rectangle((x0, y0, x1, y1), fill=_colour(rng, 10, 245))
        else:
            draw.ellipse((x0, y0, x1, y1), fill=_colour(rng, 10, 245))
    # Floor with a texture of stripes (parquet, rug).
    floor = int(h * rng.uniform(0.55, 0.85))
    base = _colour(rng, 40, 200)
    draw.rectangle((0, floor, w, h), fill=base)
    step = max(2, int(w / rng.randint(6, 24)))
    shade = tuple(max(0, c - 35) for c in base)
    for x in range(rng.randint(0, step), w, step):
        draw.line((x, floor, x + rng.randint(-w // 6, w // 6), h), fill=shade, width=max(1, w // 160))
    # The cat: body, head, ears, tail, eyes; a coat, maybe tabby stripes.
    fur, dark = _COATS[rng.randrange(len(_COATS))]
    scale = rng.uniform(0.25, 0.6)
    bw, bh = int(w * scale), int(h * scale * rng.uniform(0.5, 0.8))
    cx = rng.randint(bw // 2, max(bw // 2 + 1, w - bw // 2))
    cy = min(h - bh // 2, floor + rng.randint(-bh // 2, bh // 3))
    draw.ellipse((cx - bw // 2, cy - bh // 2, cx + bw // 2, cy + bh // 2), fill=fur)
    facing = 1 if rng.random() < 0.5 else -1
    hr = max(3, int(bh * rng.uniform(0.45, 0.65)))
    hx, hy = cx + facing * bw // 2, cy - bh // 2
    draw.ellipse((hx - hr, hy - hr, hx + hr, hy + hr), fill=fur)
    for side in (-1, 1):
        ex = hx + side * hr // 2
        draw.polygon(
            [(ex - hr // 3, hy - hr // 2), (ex + hr // 3, hy - hr // 2), (ex, hy - hr - hr // 2)], fill=fur
        )
    tx = cx - facing * bw // 2
    draw.line((tx, cy, tx - facing * bw // 3, cy - bh), fill=fur, width=max(2, bh // 6))
    if rng.random() < 0.5:
        for k in range(rng.randint(3, 7)):
            sx = cx - bw // 2 + (k + 1) * bw // 8
            draw.line(
                (sx, cy - bh // 2, sx + rng.randint(-4, 4), cy + bh // 2), fill=dark, width=max(1, bw // 25)
            )
    eye = _colour(rng, 120, 255)
    er = max(1, hr // 5)
    for side in (-1, 1):
        ex, ey = hx + side * hr // 3, hy - hr // 6
        draw.ellipse((ex - er, ey - er, ex + er, ey + er), fill=eye)
        draw.ellipse((ex - er // 3, ey - er, ex + er // 3, ey + er), fill=(10, 10, 10))
    # Sensor noise and a touch of blur, like a phone photo.
    noisy = np.asarray(img, dtype=np.int16) + _noise(rng, w, h)
    img = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))
    return img.filter(ImageFilter.SMOOTH) if rng.random() < 0.7 else img


@lru_cache(maxsize=4)
def _grid(w: int, h: int) -> tuple[np.ndarray, np.ndarray]:
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    return xs / max(w - 1, 1), ys / max(h - 1, 1)


def _room(rng: random.Random, w: int, h: int) -> np.ndarray:
    """A room lit from one side: a gradient in a random direction times a light spot."""
    xs, ys = _grid(w, h)
    angle = rng.uniform(0, 2 * np.pi)
    t = xs * np.cos(angle) + ys * np.sin(angle)
    t = (t - t.min()) / max(float(t.max() - t.min()), 1e-6)
    c1 = np.array(_colour(rng, 10, 245), dtype=np.float32)
    c2 = np.array(_colour(rng, 10, 245), dtype=np.float32)
    room = c1 * (1 - t[..., None]) + c2 * t[..., None]
    lx, ly, spread = rng.random(), rng.random(), rng.uniform(0.05, 0.3)
    light = 1 + rng.uniform(-0.6, 0.8) * np.exp(-((xs - lx) ** 2 + (ys - ly) ** 2) / spread)
    return np.clip(room * light[..., None], 0, 255).astype(np.uint8)


def _noise(rng: random.Random, w: int, h: int) -> np.ndarray:
    gen = np.random.default_rng(rng.getrandbits(64))
    amp = rng.randint(4, 16)
    return gen.integers(-amp, amp + 1, (h, w, 1), dtype=np.int16)


EDITS = ("recompress", "resize", "crop", "brightness", "banner")


def repost(img: Image.Image, edits: tuple[str, ...], rng: random.Random, caption: str = "") -> Image.Image:
    """`img` as a member who passes it on would: each edit within the bounds tact must see through."""
    out = img
    w, h = out.size
    for edit in edits:
        if edit == "resize":
            f = rng.uniform(0.5, 0.85) if rng.random() < 0.7 else rng.uniform(1.2, 1.6)
            out = out.resize((max(8, int(w * f)), max(6, int(h * f))), Image.Resampling.LANCZOS)
        elif edit == "crop":  # at most 10% off in total, split between the sides
            cw, ch = out.size
            dx, dy = int(cw * rng.uniform(0.02, 0.1)), int(ch * rng.uniform(0.02, 0.1))
            left, top = rng.randint(0, dx), rng.randint(0, dy)
            out = out.crop((left, top, cw - (dx - left), ch - (dy - top)))
        elif edit == "brightness":
            factor = rng.choice((rng.uniform(0.8, 0.9), rng.uniform(1.1, 1.2)))
            out = ImageEnhance.Brightness(out).enhance(factor)
        elif edit == "banner":  # a caption band of at most 15% of the height
            cw, ch = out.size
            band = max(4, int(ch * rng.uniform(0.08, 0.15)))
            canvas = Image.new("RGB", (cw, ch + band), (255, 255, 255) if rng.random() < 0.5 else (0, 0, 0))
            top = rng.random() < 0.5
            canvas.paste(out, (0, band if top else 0))
            if caption:
                fill = (
                    (0, 0, 0)
                    if canvas.getpixel((1, 1 if top else ch + 1)) == (255, 255, 255)
                    else (255, 255, 255)
                )
                ImageDraw.Draw(canvas).text((4, 2 if top else ch + 2), caption, fill=fill)
            out = canvas
    return out


def jpeg_bytes(img: Image.Image, quality: int = 85) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, optimize=False)
    return buf.getvalue()


def save_jpeg(img: Image.Image, path: Path, quality: int = 85) -> None:
    path.write_bytes(jpeg_bytes(img, quality))
