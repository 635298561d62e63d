"""detector: find scraped and spun copies of registered blog posts, and build takedown evidence."""

__version__ = "0.1.0"
