"""painsci: what the evidence says about treatments for low back pain, offline."""

__version__ = "0.1.0"
