"""fingerprints: a pure text-fingerprinting library (no network, no database).

Normalize text, cut it into blocks, MinHash the blocks (word shingles and a
spin-resistant skeleton), look candidates up in an LSH index, and align a copy
with its original to get the matched passages with character offsets.
"""
