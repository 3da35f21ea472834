#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Make the test images of tests/unit/test_attach.c and tests/api/checks.py, and
the golden cleaned copy of each: what domain/attach must turn it into, written
from what this script put in, not from the cleaner's output.

    python3 tests/data/attach/make_images.py [DIR]     (default: this directory)

Python stdlib only; deterministic. The JPEGs are real baseline JPEGs (a tiny
encoder below: flat 8x8 blocks, so only DC coefficients); the PNGs real PNGs.
The WebP files wrap a 2x2 lossless bitstream made once with libwebp (below, as
bytes) -- no encoder is needed to run this."""
import os
import struct
import sys
import zlib

# ---- JPEG --------------------------------------------------------------------

DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]  # ITU-T T.81 K.3, luminance DC
DC_VALS = list(range(12))
AC_BITS = [1] + [0] * 15  # one code: EOB ("0"); every block is flat
AC_VALS = [0x00]


def huff_codes(bits, vals):
    codes, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            codes[vals[k]] = (code, length)
            code, k = code + 1, k + 1
        code <<= 1
    return codes


class BitWriter:
    def __init__(self):
        self.out, self.acc, self.n = bytearray(), 0, 0

    def put(self, value, length):
        for i in range(length - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> i) & 1)
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0)  # byte stuffing
                self.acc, self.n = 0, 0

    def flush(self):
        if self.n:
            self.put((1 << (8 - self.n)) - 1, 8 - self.n)
        return bytes(self.out)


def segment(marker, body):
    return bytes([0xFF, marker]) + struct.pack('>H', len(body) + 2) + body


JFIF = segment(0xE0, b'JFIF\0' + bytes([1, 1, 0, 0, 72, 0, 72, 0, 0]))


def jpeg_parts(width, height, blocks):
    """Segments from DQT to the end of the scan, for a YCbCr 4:4:4 image of flat
    8x8 blocks; blocks[(bx, by)] = (y, cb, cr) sample values 0..255."""
    dqt = segment(0xDB, b'\x00' + bytes([1] * 64))
    comps = b''.join(bytes([c, 0x11, 0]) for c in (1, 2, 3))
    sof = segment(0xC0, struct.pack('>BHHB', 8, height, width, 3) + comps)
    dht = segment(0xC4, b'\x00' + bytes(DC_BITS) + bytes(DC_VALS)
                  + b'\x10' + bytes(AC_BITS) + bytes(AC_VALS))
    sos = segment(0xDA, bytes([3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]))
    dc, ac = huff_codes(DC_BITS, DC_VALS), huff_codes(AC_BITS, AC_VALS)
    w, pred = BitWriter(), [0, 0, 0]
    for by in range((height + 7) // 8):
        for bx in range((width + 7) // 8):
            for c, sample in enumerate(blocks[(bx, by)]):
                coef = 8 * (sample - 128)  # the DC of a flat block, quantised by 1
                diff, pred[c] = coef - pred[c], coef
                size = abs(diff).bit_length()
                w.put(*dc[size])
                if size:
                    w.put(diff if diff > 0 else diff + (1 << size) - 1, size)
                w.put(*ac[0])
    return dqt + sof + dht + sos + w.flush()


def rgb_to_ycc(r, g, b):
    y = 0.299 * r + 0.587 * g + 0.114 * b
    cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b
    cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b
    return tuple(max(0, min(255, round(v))) for v in (y, cb, cr))


def sample_blocks(width, height, seed):
    colours = [(200, 40, 40), (40, 160, 60), (30, 60, 200), (230, 200, 50), (128, 128, 128)]
    return {(bx, by): rgb_to_ycc(*colours[(bx + 2 * by + seed) % len(colours)])
            for by in range((height + 7) // 8) for bx in range((width + 7) // 8)}


def tiff(entries_ifd0, gps_entries):
    """A big-endian TIFF block: IFD0 with 'entries_ifd0' and a GPS IFD."""
    def ifd(entries, offset):
        # entries: (tag, type, count, raw value bytes); values over 4 bytes go after the IFD
        head, tail = b'', b''
        data_at = offset + 2 + 12 * len(entries) + 4
        for tag, typ, count, raw in entries:
            if len(raw) <= 4:
                head += struct.pack('>HHI', tag, typ, count) + raw.ljust(4, b'\0')
            else:
                head += struct.pack('>HHII', tag, typ, count, data_at + len(tail))
                tail += raw + (b'\0' if len(raw) % 2 else b'')
        return struct.pack('>H', len(entries)) + head + b'\0\0\0\0' + tail

    ifd0_len = len(ifd(entries_ifd0 + [(0x8825, 4, 1, b'\0\0\0\0')], 8))
    gps_at = 8 + ifd0_len
    ifd0 = ifd(entries_ifd0 + [(0x8825, 4, 1, struct.pack('>I', gps_at))], 8)
    return b'MM\0*' + struct.pack('>I', 8) + ifd0 + ifd(gps_entries, gps_at)


def rational(*pairs):
    return b''.join(struct.pack('>II', a, b) for a, b in pairs)


GPS = [(1, 2, 2, b'N\0'), (2, 5, 3, rational((34, 1), (31, 1), (4711, 100))),
       (3, 2, 2, b'E\0'), (4, 5, 3, rational((113, 1), (22, 1), (4242, 100)))]


def exif_app1(orientation):
    ifd0 = [(0x010F, 2, 8, b'TestCam\0'), (0x0110, 2, 9, b'Model-GPS\0'[:9])]
    if orientation:
        ifd0.append((0x0112, 3, 1, struct.pack('>H', orientation)))
    ifd0.append((0x0132, 2, 20, b'2024:05:01 08:30:00\0'))
    return segment(0xE1, b'Exif\0\0' + tiff(ifd0, GPS))


XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
       b'22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
       b'exif:GPSLatitude="34,31.785N" exif:GPSLongitude="113,22.707E"/></rdf:RDF></x:xmpmeta>')
XMP_APP1 = segment(0xE1, b'http://ns.adobe.com/xap/1.0/\0' + XMP)
IPTC_APP13 = segment(0xED, b'Photoshop 3.0\08BIM\x04\x04\0\0\0\0\0\x0e\x1c\x02\x5a\0\x09Zhengzhou')
COMMENT = segment(0xFE, b'<script>alert(1)</script> GPS 34.53N')
ICC = segment(0xE2, b'ICC_PROFILE\0\x01\x01' + b'fake-icc-profile-bytes')
MPF = segment(0xE2, b'MPF\0' + b'II*\0' + b'\0' * 8)
ADOBE = segment(0xEE, b'Adobe\0\x64\0\0\0\0\x01')
JFIF_THUMB = segment(0xE0, b'JFIF\0' + bytes([1, 1, 0, 0, 72, 0, 72, 1, 1]) + bytes([9, 9, 9]))
ZIP_TAIL = b'PK\x03\x04' + b'\0' * 26 + b'<html><script>alert(2)</script></html>'
ORIENT_6 = bytes([0xFF, 0xE1, 0, 0x22]) + b'Exif\0\0MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03' \
    + b'\0\0\0\x01\0\x06\0\0\0\0\0\0'


def jpegs():
    body = jpeg_parts(16, 8, sample_blocks(16, 8, 0))
    soi, eoi = b'\xff\xd8', b'\xff\xd9'
    yield 'plain.jpg', soi + JFIF + body + eoi
    # A phone photo: Exif with GPS and orientation 6, XMP, IPTC, a comment, an
    # MPF block, a JFIF thumbnail, ICC and Adobe blocks, fill bytes, a ZIP after EOI.
    camera = (soi + JFIF_THUMB + exif_app1(6) + XMP_APP1 + IPTC_APP13 + ICC + MPF + ADOBE
              + COMMENT + b'\xff\xff' + body + eoi + ZIP_TAIL)
    yield 'gps.jpg', camera
    yield 'gps.clean.jpg', soi + JFIF + ORIENT_6 + ICC + ADOBE + body + eoi
    # Exif with GPS but no orientation: the whole block goes.
    yield 'gps-upright.jpg', soi + exif_app1(0) + body + eoi
    yield 'gps-upright.clean.jpg', soi + body + eoi
    other = jpeg_parts(24, 16, sample_blocks(24, 16, 3))
    yield 'other.jpg', soi + JFIF + other + eoi


# ---- PNG ---------------------------------------------------------------------

def chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))


def png_parts(width, height, seed):
    ihdr = chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0))
    rows = b''.join(b'\0' + b''.join(bytes(((x * 40 + y * 70 + seed * 50) % 256,
                                            (x * 90 + seed) % 256, (y * 60) % 256))
                                     for x in range(width))
                    for y in range(height))
    return ihdr, chunk(b'IDAT', zlib.compress(rows, 9)), chunk(b'IEND', b'')


SIG = b'\x89PNG\r\n\x1a\n'


def pngs():
    ihdr, idat, iend = png_parts(5, 3, 0)
    yield 'plain.png', SIG + ihdr + idat + iend
    exif = b'MM\0*' + tiff([(0x010F, 2, 8, b'TestCam\0')], GPS)[4:]
    gamma, phys = chunk(b'gAMA', struct.pack('>I', 45455)), chunk(b'pHYs', struct.pack('>IIB',
                                                                                     2835, 2835, 1))
    meta = (chunk(b'eXIf', exif) + chunk(b'tEXt', b'Comment\0<script>alert(1)</script>')
            + chunk(b'zTXt', b'Author\0\0' + zlib.compress(b'GPS 34.53N'))
            + chunk(b'iTXt', b'XML:com.adobe.xmp\0\0\0\0\0' + XMP)
            + chunk(b'tIME', struct.pack('>HBBBBB', 2024, 5, 1, 8, 30, 0))
            + chunk(b'prVt', b'private location 34.53N'))
    yield 'gps.png', SIG + ihdr + gamma + meta + phys + idat + chunk(b'tEXt', b'k\0v') + iend \
        + ZIP_TAIL
    yield 'gps.clean.png', SIG + ihdr + gamma + phys + idat + iend
    ihdr2, idat2, iend2 = png_parts(7, 4, 1)
    yield 'other.png', SIG + ihdr2 + idat2 + iend2


# ---- WebP --------------------------------------------------------------------

# 2x2 lossless (VP8L), made once with libwebp's WebPEncodeLosslessRGBA.
VP8L_2X2 = bytes.fromhex('2f014000001f201048de1f3a8df9171014fc1fddfc47640fe0060c11fd0f01')


def riff(chunks):
    body = b'WEBP' + b''.join(chunks)
    return b'RIFF' + struct.pack('<I', len(body)) + body


def wchunk(fourcc, data):
    return fourcc + struct.pack('<I', len(data)) + data + (b'\0' if len(data) % 2 else b'')


def webps():
    image = wchunk(b'VP8L', VP8L_2X2)
    yield 'plain.webp', riff([image])

    def vp8x(flags):
        return wchunk(b'VP8X', bytes([flags, 0, 0, 0]) + (1).to_bytes(3, 'little')
                      + (1).to_bytes(3, 'little'))
    exif = b'MM\0*' + tiff([(0x010F, 2, 8, b'TestCam\0')], GPS)[4:]
    yield 'gps.webp', riff([vp8x(0x08 | 0x04), image, wchunk(b'EXIF', exif),
                            wchunk(b'XMP ', XMP)]) + ZIP_TAIL
    yield 'gps.clean.webp', riff([vp8x(0), image])


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for make in (jpegs, pngs, webps):
        for name, data in make():
            with open(os.path.join(out, name), 'wb') as f:
                f.write(data)


main()
