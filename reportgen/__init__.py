"""reportgen: provincial briefings from the documents of the National Committee on Digital Transformation."""

__version__ = "0.1.0"
