"""A browser-like HTTP client for the surge: cookies, the CSRF token read from the page, forms parsed
from the HTML the server sent, multipart uploads. Standard library only; loopback addresses only.

One connection per request, as gunicorn's sync workers close the connection after each answer.
"""

import html
import http.client
import json
import re
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser

TIMEOUT_S = 60
_CSRF_HEADER = re.compile(r"hx-headers='(\{[^']*X-CSRFToken[^']*\})'")
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Answer:
    status: int  # 0 when no HTTP answer came (timeout, refused or reset connection)
    body: str
    location: str
    elapsed_ms: float
    error: str = ""


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)

    def get(self, name: str) -> str:
        return next((v for k, v in self.fields if k == name), "")

    def set(self, name: str, value: str) -> None:
        self.fields = [(k, v) for k, v in self.fields if k != name] + [(name, value)]


class _FormParser(HTMLParser):
    """What a browser would submit: inputs (checked radios and checkboxes only), selected options, textareas."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "option" and self._select is not None:
            self._option(a)
            return
        if tag == "form":
            self.forms.append(Form(action=a.get("action") or a.get("hx-post") or ""))
        if not self.forms or not a.get("name"):
            return
        fields = self.forms[-1].fields
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("radio", "checkbox") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file", "image", "reset"):
                fields.append((a["name"], a.get("value", "on" if kind in ("radio", "checkbox") else "")))
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = a["name"], None, False
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None and self.forms:
            self.forms[-1].fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None and self.forms:
            if not self._select_chosen and self._select_first is not None:
                self.forms[-1].fields.append((self._select, self._select_first))
            self._select = None

    def _option(self, a: dict) -> None:
        value = a.get("value", "")
        if self._select_first is None:
            self._select_first = value
        if "selected" in a and not self._select_chosen and self.forms:
            self.forms[-1].fields.append((self._select, value))
            self._select_chosen = True


def forms_in(page: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(page)
    return parser.forms


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes, str]]) -> tuple[bytes, str]:
    """(body, content type) for a form with file fields: (field, filename, content, content type)."""
    boundary = f"----surge{uuid.uuid4().hex}"
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, content, kind in files:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        parts.append(f"{head}Content-Type: {kind}\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser:
    """One person's browser: a cookie jar (session made for them beforehand) and the page's CSRF token."""

    def __init__(self, port: int, cookies: dict[str, str]):
        self.port = port
        self.cookies = dict(cookies)
        self.csrf = ""

    def request(self, method: str, path: str, *, body: bytes = b"", content_type: str = "", htmx: bool = False):
        headers = {"Host": f"127.0.0.1:{self.port}", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if method == "POST":
            headers.update({"Content-Type": content_type, "X-CSRFToken": self.csrf,
                            "Origin": f"http://127.0.0.1:{self.port}",
                            "Referer": f"http://127.0.0.1:{self.port}{path}"})  # fmt: skip
        if htmx:
            headers["HX-Request"] = "true"
        start = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT_S)
        try:
            connection.request(method, urllib.parse.quote(path, safe="/?=&%"), body=body or None, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            return Answer(0, "", "", (time.perf_counter() - start) * 1000, error=type(error).__name__)
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        self._read_csrf(text)
        elapsed_ms = (time.perf_counter() - start) * 1000
        return Answer(response.status, text, response.getheader("Location") or "", elapsed_ms)

    def _read_csrf(self, page: str) -> None:
        match = _CSRF_HEADER.search(page)
        if match:
            self.csrf = json.loads(html.unescape(match[1]))["X-CSRFToken"]
            return
        match = _CSRF_INPUT.search(page)
        if match:
            self.csrf = match[1]

    def get(self, path: str, *, htmx: bool = False) -> Answer:
        return self.request("GET", path, htmx=htmx)

    def post(self, path: str, fields: list[tuple[str, str]], *, htmx: bool = False, files=None) -> Answer:
        fields = [(k, v) for k, v in fields if k != "csrfmiddlewaretoken"] + [("csrfmiddlewaretoken", self.csrf)]
        if files:
            body, kind = multipart(fields, files)
        else:
            body, kind = urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self.request("POST", path, body=body, content_type=kind, htmx=htmx)
