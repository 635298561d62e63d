"""synth: labelled copies of corpus posts (verbatim, spun, partial, quoted, syndicated) for tests and training.

Everything is built from ../shared/corpus, honouring its HOLDOUT split, and is
deterministic given a seed, so benchmarks and tests can rebuild the same set.
"""

from .chrome import Block, Quote, clean_blog, content_farm, find_article_node, into_real_page, render_blocks
from .copies import KINDS, SPIN_RATES, Example, make_set, work_paragraphs, work_url
from .corpus import SPLITS, CorpusPage, CorpusPost, default_corpus_root, list_pages, list_posts, sample_pages
from .spinner import load_synonyms, spin

__all__ = [
    "KINDS",
    "SPIN_RATES",
    "SPLITS",
    "Block",
    "CorpusPage",
    "CorpusPost",
    "Example",
    "Quote",
    "clean_blog",
    "content_farm",
    "default_corpus_root",
    "find_article_node",
    "into_real_page",
    "list_pages",
    "list_posts",
    "load_synonyms",
    "make_set",
    "render_blocks",
    "sample_pages",
    "spin",
    "work_paragraphs",
    "work_url",
]
