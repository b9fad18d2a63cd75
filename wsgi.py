import gc

from portal import create_app

app = create_app()
# What the app holds from start-up (modules, templates, the URL map) lives as long as the worker;
# moved out of the collector's reach, a full collection no longer walks it on some unlucky request.
gc.freeze()
