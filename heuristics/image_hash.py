"""Perceptual hashes of one picture: a PIL image in, hash values out (no file I/O).

Provisional scheme (phash + dhash of the whole picture); the final choice is made by
`benchmarks/image_quality.py`.
"""

from __future__ import annotations

import imagehash
from PIL import Image

#: The hash kind stored beside the values; a change of scheme changes it, so old hashes
#: are recomputed instead of being compared with incompatible ones.
KIND = "phash64+dhash64"

#: The smallest size the hashes need: callers may decode JPEGs in draft mode down to this.
DRAFT_SIZE = (128, 128)


def _as_int(h: imagehash.ImageHash) -> int:
    return int("".join("1" if b else "0" for b in h.hash.flatten()), 2)


def hash_image(img: Image.Image) -> tuple[int, ...]:
    """The hash values of `img`, in the order `KIND` names them."""
    grey = img.convert("L")
    return (_as_int(imagehash.phash(grey)), _as_int(imagehash.dhash(grey)))
