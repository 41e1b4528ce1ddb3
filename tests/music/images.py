"""Cover images made by the tests with Pillow (no binaries in the repository)."""

import io

from PIL import Image, ImageDraw


def image_bytes(width: int = 1000, height: int = 800, kind: str = "JPEG", colour=(200, 40, 60)) -> bytes:
    """A picture with a diagonal line (so a thumbnail is not a flat colour), encoded as `kind`."""
    image = Image.new("RGB", (width, height), colour)
    ImageDraw.Draw(image).line((0, 0, width, height), fill=(250, 250, 250), width=max(1, width // 50))
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


def size_of(data: bytes) -> tuple[str, tuple[int, int]]:
    with Image.open(io.BytesIO(data)) as image:
        return image.format, image.size
