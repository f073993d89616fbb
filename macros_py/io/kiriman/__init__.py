"""The submission reader: one untrusted .xlsx/.xlsm from a bidang, read safely into plain values.

Split by concern, in the order a file goes through them:

- ``file_type``: read the bytes under the size cap; name the real format of anything that is not an OOXML zip;
- ``package``: the zip as a whole, inflation in chunks under caps, each sheet's part found as calamine finds it;
- ``xml_checks``: UTF-8, no DOCTYPE/ENTITY, well-formed, nesting depth, for every XML part;
- ``sheet_scan``: every cell position calamine will use inside the limits, and the hidden rows;
- ``values``: python-calamine on a clean copy of the checked parts;
- ``reader``: the entry point ``read_kiriman``; ``model``: the result types, ``Batas`` and ``FileRejected``.
"""

from macros_py.io.kiriman.model import BATAS_BAKU, Batas, FileRejected, KirimanFile, KirimanSheet
from macros_py.io.kiriman.reader import read_kiriman

__all__ = ["BATAS_BAKU", "Batas", "FileRejected", "KirimanFile", "KirimanSheet", "read_kiriman"]
