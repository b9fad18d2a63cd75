"""A minimal HTTP browser for the benchmark: its own cookies, one connection per request,
redirects not followed. Only the standard library (the portal does not depend on requests)."""

import http.client
import re
import time
from urllib.parse import urlencode

# A little over gunicorn's --timeout (bench/server.py), so the server gives up first and says so.
TIMEOUT_S = 125
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    def __init__(self, port: int, host: str = "127.0.0.1"):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.csrf: str | None = None

    def request(self, method, path, form=None, headers=None):
        """Returns (status, headers, body text, seconds from sending to the full answer); the size of
        the body as sent (compressed if it was) is left in self.last_bytes."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_S)
        headers = {"Connection": "close", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        elapsed = time.perf_counter() - started
        self.last_bytes = len(data)
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and "Max-Age=0" not in header and "01 Jan 1970" not in header:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return response.status, response.headers, data.decode("utf-8", "replace"), elapsed

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def fetch_csrf(self, path):
        status, _, page, _ = self.get(path)
        match = _CSRF.search(page)
        if status != 200 or not match:
            raise RuntimeError(f"GET {path}: {status}, no CSRF token")
        self.csrf = match.group(1)

    def log_in(self, email, password, then):
        self.fetch_csrf("/login")
        status, _, _, _ = self.request("POST", "/login", {"csrf_token": self.csrf, "email": email,
                                                           "password": password})
        if status != 302:
            raise RuntimeError(f"login of {email}: {status}")
        self.fetch_csrf(then)
