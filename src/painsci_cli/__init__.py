"""painsci: what the evidence says about treatments for low back pain, offline."""

__version__ = "0.1.0"
KB_SCHEMA_VERSION = 1
"""Version of the knowledge-base YAML format; bump on any incompatible change (it keys the cache)."""
