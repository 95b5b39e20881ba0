"""The live red-line explorer (``redline explore``): a local web app on 127.0.0.1."""
