"""The live red-line explorer (``redline explore``): a local web app on 127.0.0.1.

:mod:`.app` the Starlette routes, :mod:`.compute` the computations per request (cached, each
under a time budget), :mod:`.params` the checks on a request's values, :mod:`.tree` the tree
drawing, :mod:`.serve` the socket and uvicorn; ``static/`` the page (plain HTML, JS and CSS, with
Vega, Vega-Lite and vega-embed vendored: nothing is loaded from the network).
"""
