#!/usr/bin/env python3
"""Writes the small pictures under Tests/DNNTests/Fixtures that the image tests read.
Needs Pillow. Run again only to add cases."""
import pathlib

from PIL import Image

out = pathlib.Path(__file__).resolve().parent.parent / "Tests/DNNTests/Fixtures"
# 3 wide, 2 high: known pixels, row by row.
pixels = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (10, 20, 30), (40, 50, 60), (70, 80, 90)]
rgb = Image.new("RGB", (3, 2))
rgb.putdata(pixels)
rgb.save(out / "rgb_3x2.png")
grey = Image.new("L", (2, 2))
grey.putdata([0, 85, 170, 255])
grey.save(out / "grey_2x2.png")
rgba = Image.new("RGBA", (2, 1))
rgba.putdata([(1, 2, 3, 0), (4, 5, 6, 255)])
rgba.save(out / "rgba_2x1.png")
Image.new("CMYK", (8, 8), (0, 128, 255, 0)).save(out / "cmyk.jpg")
photo = Image.new("RGB", (64, 48), (200, 100, 50))
photo.save(out / "photo.jpg", quality=90)
data = (out / "photo.jpg").read_bytes()
(out / "truncated.jpg").write_bytes(data[: len(data) // 2])
png = (out / "rgb_3x2.png").read_bytes()
(out / "truncated.png").write_bytes(png[: len(png) - 20])
(out / "text.jpg").write_text("not a picture\n")
