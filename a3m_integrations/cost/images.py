"""Image input tokens, the way each provider family bills them.

Rules, from the providers' published vision/pricing docs (2025):

- OpenAI tile models (gpt-4o, gpt-4.1, gpt-4.5, o1, o3): `detail=low` is a flat base; otherwise
  the image is fitted within 2048x2048, then scaled so its short side is 768 px, and billed
  base + per-tile for each 512 px tile. gpt-4o: 85 + 170/tile; gpt-4o-mini: 2833 + 5667/tile
  (same price as gpt-4o, more tokens); o1/o3: 75 + 150/tile.
- OpenAI patch models (gpt-4.1-mini, gpt-4.1-nano, o4-mini): 32 px patches, capped at 1536
  (the image is scaled down to fit), times a model multiplier (1.62, 2.46, 1.72).
- Anthropic: about width*height/750, after scaling to a long edge of at most 1568 px
  (so at most ~1600 tokens).
- Google Gemini: 258 tokens for an image up to 384x384; larger images are cut into 768x768
  tiles of 258 tokens each.

Dimensions are read from a data: URL's PNG, GIF, JPEG or WebP header. Remote URLs (https://)
cannot be measured offline; they are assumed 1024x1024, and `auto` detail is treated as high,
so reservations err on the safe side.
"""

from __future__ import annotations

import base64
import binascii
import math
import struct

from a3m_integrations.types import ImagePart

__all__ = ["DEFAULT_IMAGE_SIZE", "image_size", "image_tokens"]

#: Assumed size of an image whose dimensions cannot be read (a remote URL).
DEFAULT_IMAGE_SIZE: tuple[int, int] = (1024, 1024)

# family -> (base, per_tile) for OpenAI's 512 px tile scheme
_TILE_RATES: dict[str, tuple[int, int]] = {
    "gpt-4o-mini": (2833, 5667),
    "gpt-4o": (85, 170),
    "gpt-4.1": (85, 170),
    "gpt-4.5": (85, 170),
    "o1": (75, 150),
    "o3": (75, 150),
}
# family -> multiplier for OpenAI's 32 px patch scheme
_PATCH_MULTIPLIERS: dict[str, float] = {"gpt-4.1-mini": 1.62, "gpt-4.1-nano": 2.46, "o4-mini": 1.72}


def _decode_data_url(url: str) -> bytes | None:
    if not url.startswith("data:"):
        return None
    head, _, data = url.partition(",")
    if ";base64" not in head:
        return None
    try:
        return base64.b64decode(data, validate=False)
    except (binascii.Error, ValueError):
        return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    n = len(data)
    while i + 9 < n:
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return None


def image_size(image: ImagePart) -> tuple[int, int] | None:
    """(width, height) read from a data: URL's image header; None if it cannot be read."""
    data = _decode_data_url(image.url)
    if not data or len(data) < 26:
        return None
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if data[:6] in (b"GIF87a", b"GIF89a"):
        width, height = struct.unpack("<HH", data[6:10])
        return width, height
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        chunk = data[12:16]
        if chunk == b"VP8X" and len(data) >= 30:
            width = 1 + int.from_bytes(data[24:27], "little")
            height = 1 + int.from_bytes(data[27:30], "little")
            return width, height
        if chunk == b"VP8L" and len(data) >= 25:
            bits = int.from_bytes(data[21:25], "little")
            return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
        if chunk == b"VP8 " and len(data) >= 30:
            width, height = struct.unpack("<HH", data[26:30])
            return width & 0x3FFF, height & 0x3FFF
    return None


def _openai_tiles(width: int, height: int) -> int:
    scale = min(1.0, 2048 / max(width, height))
    w, h = width * scale, height * scale
    short = min(w, h)
    if short > 768:
        w, h = w * 768 / short, h * 768 / short
    return math.ceil(w / 512) * math.ceil(h / 512)


def _openai_patches(width: int, height: int) -> int:
    patches = math.ceil(width / 32) * math.ceil(height / 32)
    if patches <= 1536:
        return patches
    shrink = math.sqrt(1536 * 32 * 32 / (width * height))
    w, h = width * shrink, height * shrink
    # shrink a little more so whole patches fit along the width, as OpenAI describes
    w_fit = math.floor(w / 32) / (w / 32)
    w, h = w * w_fit, h * w_fit
    return min(1536, math.ceil(w / 32) * math.ceil(h / 32))


def _family_key(name: str, table: dict[str, object]) -> str | None:
    """Longest key of `table` that `name` starts with (so gpt-4o-mini wins over gpt-4o)."""
    best = None
    for key in table:
        if name.startswith(key) and (best is None or len(key) > len(best)):
            best = key
    return best


def image_tokens(image: ImagePart, family: str = "openai", model_name: str = "") -> int:
    """Input tokens one image costs on a model.

    Args:
        image: the image part (its detail level and, for data: URLs, its header are used).
        family: billing family: "openai", "anthropic", "google", or anything else (the OpenAI
            gpt-4o rule is then used as a neutral estimate).
        model_name: the model's name without provider (e.g. "gpt-4o-mini"), to pick OpenAI's rates.
    """
    width, height = image_size(image) or DEFAULT_IMAGE_SIZE
    width, height = max(1, width), max(1, height)
    name = model_name.lower().rsplit("/", 1)[-1]
    if family == "anthropic":
        scale = min(1.0, 1568 / max(width, height))
        return max(1, math.ceil(width * scale * height * scale / 750))
    if family == "google":
        if width <= 384 and height <= 384:
            return 258
        return 258 * math.ceil(width / 768) * math.ceil(height / 768)
    patch = _family_key(name, dict.fromkeys(_PATCH_MULTIPLIERS))
    if family == "openai" and patch is not None:
        return math.ceil(_openai_patches(width, height) * _PATCH_MULTIPLIERS[patch])
    tile = _family_key(name, dict.fromkeys(_TILE_RATES))
    base, per_tile = _TILE_RATES[tile] if family == "openai" and tile is not None else _TILE_RATES["gpt-4o"]
    if image.detail == "low":
        return base
    return base + per_tile * _openai_tiles(width, height)
