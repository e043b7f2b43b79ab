"""“My annotated copy”: the original PDF with one person's annotations written as real PDF annotations.

The PDF work runs in a child process (`python export.py < spec.json`), never in the process that holds
the sockets: a long document can take seconds and must not stall the live room. This file runs as a
plain script there, so it imports nothing from the app.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

TIMEOUT_SECONDS = 120


def _rgb(color: str) -> tuple[float, float, float]:
    """#rrggbb as PyMuPDF's 0..1 floats."""
    return tuple(int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def write_annotated(src: str, dst: str, author: str, annotations: list[dict[str, Any]]) -> int:
    """Copy `src` to `dst` adding the annotations (display coordinates of page.rect); returns how many were written."""
    import pymupdf

    written = 0
    with pymupdf.open(src) as doc:
        for a in annotations:
            page = doc.load_page(a["page"] - 1)
            # Stored coordinates are as the page is shown (rotation applied); PDF annotations live on the unrotated page.
            derotate = page.derotation_matrix
            geometry, color = a["geometry"], _rgb(a["color"])
            if a["kind"] == "highlight":
                quads = [pymupdf.Rect(*r).transform(derotate).normalize().quad for r in geometry["rects"]]
                annot = page.add_highlight_annot(quads=quads)
                annot.set_colors(stroke=color)
            elif a["kind"] == "ink":
                strokes = [[tuple(pymupdf.Point(x, y) * derotate) for x, y in stroke] for stroke in geometry["strokes"]]
                annot = page.add_ink_annot(strokes)
                annot.set_colors(stroke=color)
                annot.set_border(width=a.get("width") or 2.0)
            else:
                point = pymupdf.Point(*geometry["point"]) * derotate
                annot = page.add_text_annot(point, a.get("text") or "", icon="Note")
                annot.set_colors(stroke=color)
            if a.get("text") and a["kind"] != "note":
                annot.set_info(content=a["text"])
            annot.set_info(title=author)
            annot.update()
            written += 1
        doc.save(dst, garbage=1, deflate=True)
    return written


def run_export(src: Path, author: str, annotations: list[dict[str, Any]], tmp_dir: Path) -> Path:
    """Write the annotated copy in a child process; returns the path of the new file (the caller deletes it)."""
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, dst = tempfile.mkstemp(dir=tmp_dir, suffix=".annotated.pdf")
    os.close(fd)
    spec = json.dumps({"src": str(src), "dst": dst, "author": author, "annotations": annotations})
    try:
        # Under gevent, subprocess is cooperative: the server keeps serving while the child works.
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve())], input=spec.encode(),
                              capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        os.unlink(dst)
        raise RuntimeError(f"the annotated copy took longer than {TIMEOUT_SECONDS} s")
    if proc.returncode != 0:
        os.unlink(dst)
        raise RuntimeError("the annotated copy could not be written: " + proc.stderr.decode(errors="replace")[-500:])
    return Path(dst)


def main() -> int:
    """Child process entry: read the spec from stdin, write the file, print how many annotations went in."""
    spec = json.loads(sys.stdin.buffer.read())
    count = write_annotated(spec["src"], spec["dst"], spec["author"], spec["annotations"])
    print(json.dumps({"written": count}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
