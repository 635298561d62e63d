"""Scan web archives (WARC and WET files) for copies of the registered works.

``read_archive`` reads the records, a :class:`Scanner` matches and classifies
one page as ``check`` does, ``scan_archives`` runs a process pool on one
machine and stores the results as ``crawl`` does, and :mod:`.spark` runs the
same scanner as a Spark job whose Parquet output ``import_results`` loads.
Nothing here imports pyspark until the Spark engine is asked for.
"""

from .engine import Bundle, Hit, Scanner
from .local import ScanSummary, scan_archives
from .paths import expand_paths
from .results import hit_rows, hits_from_rows, store_hit
from .warc import ArchivedPage, Corrupt, WarcError, read_archive
from .writer import Capture, write_warc

__all__ = [
    "Bundle", "Hit", "Scanner", "ScanSummary", "scan_archives", "expand_paths", "hit_rows", "hits_from_rows",
    "store_hit", "ArchivedPage", "Corrupt", "WarcError", "read_archive", "Capture", "write_warc",
]
