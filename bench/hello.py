"""The yardstick for `/tasks` throughput (issue 9): a Flask hello world, served by the same
gunicorn settings as the portal, so the ratio says how far the portal is from what the machine,
the server and Flask itself allow."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
