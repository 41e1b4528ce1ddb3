"""Files served with HTTP Range support (RFC 9110 §14), which Django's FileResponse lacks: an <audio> element asks
for byte ranges to seek, and for the end of a file to read its length."""

import re
from pathlib import Path

from django.http import FileResponse, HttpRequest, HttpResponse

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class _Slice:
    """`length` bytes of an open file from where it stands (FileResponse reads it in blocks and closes it)."""

    def __init__(self, file, length: int):
        self.file, self.left = file, length

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = self.file.read(size)
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.file.close()


def ranged_file_response(request: HttpRequest, path: Path, *, content_type: str) -> HttpResponse:
    """The file, whole (200), or the one byte range asked for (206), or 416 for a range past its end. Several
    ranges in one request are answered with the whole file, as the RFC allows."""
    size = path.stat().st_size
    match = _RANGE.match(request.headers.get("Range", "").strip())
    if match is None or match.group(1) == match.group(2) == "":
        response = FileResponse(path.open("rb"), content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = match.group(1), match.group(2)
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    else:  # the last N bytes
        start, end = max(0, size - int(last)), size - 1
    if start >= size or start > end:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    file = path.open("rb")
    file.seek(start)
    response = FileResponse(_Slice(file, end - start + 1), status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    return response
