"""tunewise: hyperparameter tuning for PyTorch with a cited optimizer advisor.

This package holds the command line; the layers are the top-level packages ``advisor``
(pure rules), ``service`` (HTTP API and storage) and ``workers`` (PyTorch training).
"""

__version__ = "0.1.0"
