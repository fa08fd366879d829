"""The repost test set: real photos, the edits tact promises to survive, and look-alikes.

Shared by `benchmarks/image_quality.py` and `tests/test_image_repost.py`. Pictures are
built in memory (re-encoded as JPEG where the edit says so); nothing is written to disk.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageEnhance, ImageFont

PHOTOS = Path(__file__).resolve().parent.parent / "tests" / "data" / "photos"

Edit = Callable[[Image.Image], Image.Image]


def photo_paths() -> list[Path]:
    return sorted(PHOTOS.glob("*.jpg"))


def load(path: Path) -> Image.Image:
    with Image.open(path) as img:
        return img.convert("RGB")


def jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality)
    buf.seek(0)
    out = Image.open(buf)
    out.load()
    out.info["jpeg bytes"] = buf.getvalue()  # the upload itself, for Sample.data
    return out


def recompress(quality: int) -> Edit:
    return lambda img: jpeg(img, quality)


def resize(scale: float) -> Edit:
    def edit(img: Image.Image) -> Image.Image:
        w, h = img.size
        return jpeg(
            img.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.LANCZOS), 85
        )

    return edit


def crop(edge: str, share: float) -> Edit:
    """Cut `share` of the picture away at one edge ("left", "right", "top", "bottom")."""

    def edit(img: Image.Image) -> Image.Image:
        w, h = img.size
        dx, dy = round(w * share), round(h * share)
        box = {
            "left": (dx, 0, w, h),
            "right": (0, 0, w - dx, h),
            "top": (0, dy, w, h),
            "bottom": (0, 0, w, h - dy),
        }[edge]
        return jpeg(img.crop(box), 85)

    return edit


def brightness(factor: float) -> Edit:
    return lambda img: jpeg(ImageEnhance.Brightness(img).enhance(factor), 85)


def banner(where: str, share: float, text: str = "Share if you love cats! Partagez !") -> Edit:
    """A solid caption bar with text covering `share` of the height, at the top or bottom."""

    def edit(img: Image.Image) -> Image.Image:
        out = img.convert("RGB")
        w, h = out.size
        bar = round(h * share)
        top = 0 if where == "top" else h - bar
        draw = ImageDraw.Draw(out)
        draw.rectangle((0, top, w, top + bar), fill=(255, 255, 255) if where == "top" else (0, 0, 0))
        font = ImageFont.load_default(size=max(8, bar * 6 // 10))
        draw.text(
            (w // 20, top + bar // 5), text, font=font, fill=(0, 0, 0) if where == "top" else (255, 255, 0)
        )
        return jpeg(out, 85)

    return edit


def chain(*edits: Edit) -> Edit:
    def edit(img: Image.Image) -> Image.Image:
        for one in edits:
            img = one(img)
        return img

    return edit


#: Every edit of the issue, over its whole range, plus a few combined ones (real reposts
#: are usually screenshot + recompressed + captioned at once).
EDITS: dict[str, Edit] = {
    **{f"jpeg q{q}": recompress(q) for q in (30, 45, 60, 75, 90)},
    **{f"resize {round(s * 100)}%": resize(s) for s in (0.25, 0.4, 0.6, 0.8, 1.3, 1.6, 2.0)},
    **{
        f"crop {c * 100:g}% {e}": crop(e, c)
        for e in ("left", "right", "top", "bottom")
        for c in (0.03, 0.05, 0.075, 0.1)
    },
    **{f"brightness {round((f - 1) * 100):+d}%": brightness(f) for f in (0.8, 0.9, 1.1, 1.2)},
    **{f"banner {round(s * 100)}% {w}": banner(w, s) for w in ("top", "bottom") for s in (0.08, 0.15)},
    "resize 50% + jpeg q30": chain(resize(0.5), recompress(30)),
    "crop 10% left + brightness +20%": chain(crop("left", 0.1), brightness(1.2)),
    "banner 15% bottom + resize 40%": chain(banner("bottom", 0.15), resize(0.4)),
    "crop 7% top + banner 10% bottom": chain(crop("top", 0.07), banner("bottom", 0.1)),
    "brightness -20% + jpeg q40": chain(brightness(0.8), recompress(40)),
}


def shots(img: Image.Image) -> Iterator[tuple[str, Image.Image, Image.Image]]:
    """Two shots of one scene: two heavily overlapping but different windows of one photo.

    Each window is 70% x 85% of the picture, the second shifted by 25-30% of the window
    (so they share 70-75% of their content), both scaled back to the same size as a
    camera would.
    """
    w, h = img.size
    ww, wh = round(w * 0.7), round(h * 0.85)

    def window(x: float, y: float) -> Image.Image:
        left, top = round(w * x), round(h * y)
        return jpeg(img.crop((left, top, left + ww, top + wh)).resize((w, h), Image.Resampling.LANCZOS), 85)

    yield "shift 25% right", window(0.0, 0.05), window(0.25 * 0.7, 0.05)
    yield "shift 30% right", window(0.05, 0.1), window(0.05 + 0.3 * 0.7, 0.1)
    yield "shift 25% down-right", window(0.1, 0.0), window(0.1 + 0.2 * 0.7, 0.25 * 0.85)


@dataclass(frozen=True, slots=True)
class Sample:
    photo: str
    edit: str
    """"original", an EDITS name, or "shot A/B <shift>"."""
    data: bytes
    """The picture as a JPEG file, as a member would upload it."""

    def open(self) -> Image.Image:
        return Image.open(io.BytesIO(self.data))


def _bytes(img: Image.Image) -> bytes:
    data = img.info.get("jpeg bytes")
    if isinstance(data, bytes):
        return data
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def test_set(photos: list[Path] | None = None, edits: dict[str, Edit] | None = None) -> list[Sample]:
    """Every photo, each of its edits, and its pairs of shots."""
    samples: list[Sample] = []
    for path in photos or photo_paths():
        original = load(path)
        samples.append(Sample(path.stem, "original", path.read_bytes()))
        for name, edit in (EDITS if edits is None else edits).items():
            samples.append(Sample(path.stem, name, _bytes(edit(original))))
        for name, a, b in shots(original):
            samples.append(Sample(path.stem, f"shot A {name}", _bytes(a)))
            samples.append(Sample(path.stem, f"shot B {name}", _bytes(b)))
    return samples


def label(a: Sample, b: Sample) -> bool | None:
    """True: must join (the original and its edit); False: must not join (different photos,
    or the two shots of one scene); None: not judged (two edits of one photo, a shot
    against its own photo, which is partly the same picture)."""
    if a.photo != b.photo:
        return False
    kinds = {a.edit.split(" ")[0], b.edit.split(" ")[0]}
    if a.edit.startswith("shot") and b.edit.startswith("shot"):
        same_pair = a.edit[7:] == b.edit[7:]
        return False if same_pair else None
    if "shot" in kinds:
        return None
    if "original" in {a.edit, b.edit}:
        return True
    return None
