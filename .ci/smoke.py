"""HTTP smoke test of a running production instance (the README's recipe), over the loopback.

    python .ci/smoke.py http://127.0.0.1:8109   # gunicorn started by .ci/smoke

It talks to 127.0.0.1 only and plays the TLS proxy in front of gunicorn: every request
carries `X-Forwarded-Proto: https`, as nginx sets it, so the production settings apply as
they are (HTTPS redirect, HSTS, secure cookies, CSRF's strict Referer check). Logs in as the
demo officer and walks the main pages; then, as the demo admin, uploads a one-row workbook
that the task worker (db_worker) checks and imports. Exits 1 at the first thing that is wrong.
"""

import http.client
import io
import re
import sys
import time
import uuid
from html import unescape
from urllib.parse import quote, urlencode, urljoin, urlsplit

USER, PASSWORD = "officer", "kbo-demo-2565"
ADMIN = "admin"
TASK_TIMEOUT = 120  # seconds for the task worker to check, then import, a one-row workbook


class Failed(Exception):
    pass


class Browser:
    def __init__(self, base):
        parts = urlsplit(base)
        if parts.hostname != "127.0.0.1":
            raise SystemExit(f"the smoke test talks to 127.0.0.1 only, not {parts.hostname}")
        self.host = f"{parts.hostname}:{parts.port}"
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.cookies = {}

    def request(self, method, path, *, body=None, headers=None, proxied=True):
        headers = {"Host": self.host, "Accept-Language": "th", **(headers or {})}
        if proxied:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        response.body = response.read()
        for header in response.msg.get_all("Set-Cookie") or ():
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in ('""', ""):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return response

    def get(self, path, expect=200, **kwargs):
        response = self.request("GET", path, **kwargs)
        check(response.status == expect, f"GET {path}: {response.status}, expected {expect}")
        return response

    def post(self, path, data, referer, expect=302, files=None):
        content_type, body = "application/x-www-form-urlencoded", urlencode(data)
        if files:
            content_type, body = multipart(data, files)
        response = self.request("POST", path, body=body, headers={
            "Content-Type": content_type,
            "Origin": f"https://{self.host}", "Referer": f"https://{self.host}{referer}"})
        check(response.status == expect, f"POST {path}: {response.status}, expected {expect}: {response.body[:200]!r}")
        return response


def multipart(data, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in data.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def one_row_workbook(code):
    """A workbook with one new producer and product of Chiang Mai, by the English aliases."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["producer_code", "producer_name", "producer_type", "district", "registration_year",
                  "product_code", "product_name", "product_type", "classification"])
    sheet.append([f"{code}-P", "กลุ่มทดสอบการติดตั้ง", 1, "เมืองเชียงใหม่", 2565, code, "ผ้าทอทดสอบการติดตั้ง", 3,
                  "D"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def wait_for(web, path, done, what):
    """Reload the batch page until `done(page)`; the task worker moves the batch along."""
    deadline = time.monotonic() + TASK_TIMEOUT
    while time.monotonic() < deadline:
        page = text(web.get(path))
        if done(page):
            return page
        check("text-bg-danger" not in page, f"the batch failed: {path}")
        time.sleep(0.5)
    raise Failed(f"the task worker did not {what} within {TASK_TIMEOUT} s ({path})")


def check(condition, message):
    if not condition:
        raise Failed(message)


def text(response):
    return response.body.decode("utf-8")


def csrf_token(page):
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    check(found is not None, "no CSRF token in the form")
    return found.group(1)


def step(message):
    print(f"smoke: {message}", flush=True)


def run(base):
    web = Browser(base)

    response = web.get("/healthz")
    check(response.body == b"ok\n", f"/healthz said {response.body!r}")
    step("/healthz 200 ok")
    response = web.get("/healthz", expect=301, proxied=False)
    check(response.getheader("Location", "").startswith("https://"), "plain HTTP is not sent to HTTPS")
    step("plain HTTP redirects to HTTPS")

    response = web.get("/accounts/login/")
    page = text(response)
    check("เข้าสู่ระบบ" in page, "the login page is not in Thai")
    headers = {name.lower(): value for name, value in response.getheaders()}
    check("max-age=" in headers.get("strict-transport-security", ""), "no HSTS header")
    check("script-src 'self'" in headers.get("content-security-policy", ""), "no Content-Security-Policy")
    check(headers.get("x-frame-options") == "DENY", "X-Frame-Options is not DENY")
    step("login page 200 in Thai, with HSTS, CSP and X-Frame-Options DENY")

    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    check(any("bootstrap" in a for a in assets), f"no Bootstrap stylesheet among {assets}")
    for asset in assets:
        web.get(asset)
    css = next(a for a in assets if a.endswith(".css") and "kbo" in a)
    fonts = [urljoin(css, url) for url in re.findall(r'url\("?([^")]+)"?\)', text(web.get(css)))
             if "arabun" in url]
    check(fonts, "the stylesheet names no Sarabun font")
    for font in fonts:
        response = web.get(font)
        check(len(response.body) > 10_000, f"{font} is {len(response.body)} bytes")
    step(f"{len(assets)} static files and {len(fonts)} Sarabun fonts served (hashed names, WhiteNoise)")

    response = web.post("/accounts/login/", {"csrfmiddlewaretoken": csrf_token(page), "username": USER,
                                             "password": PASSWORD}, referer="/accounts/login/")
    check("sessionid" in web.cookies, "no session cookie after logging in")
    check("secure" in response.getheader("Set-Cookie", "").lower(), "the session cookie is not Secure")
    step(f"logged in as {USER} (CSRF, secure session cookie)")

    dashboard = text(web.get("/"))
    check("ผลิตภัณฑ์" in dashboard and "2,531" in dashboard, "the dashboard does not show the demo registry in Thai")
    step("dashboard 200, Thai, 2,531 producers")

    products = text(web.get("/registry/products/?q=" + quote("ผ้า")))
    check("ผ้า" in products and "<table" in products, "the product list shows no product")
    step("product list 200, searched in Thai")

    rounds = text(web.get("/selection/"))
    found = re.search(r'href="(/selection/\d+/)"', rounds)
    check(found is not None, "no round on the round list")
    check("KBO" in text(web.get(found.group(1))), "the round page does not name the round")
    step(f"round page {found.group(1)} 200")

    meetings = text(web.get("/meetings/"))
    found = re.search(r'href="/meetings/(\d+)/"', meetings)
    check(found is not None, "no meeting on the meeting list")
    response = web.get(f"/meetings/{found.group(1)}/minutes.pdf")
    check(response.getheader("Content-Type") == "application/pdf", f"minutes are {response.getheader('Content-Type')}")
    check(response.body.startswith(b"%PDF"), "the minutes are not a PDF")
    step(f"minutes PDF of meeting {found.group(1)}: {len(response.body):,} bytes")

    page = text(web.get("/"))
    web.post("/accounts/logout/", {"csrfmiddlewaretoken": csrf_token(page)}, referer="/")
    response = web.get("/", expect=302)
    check(response.getheader("Location", "").startswith("/accounts/login/"), "still logged in after logging out")
    step("logged out")

    # The task worker: an admin uploads a workbook; db_worker checks it, then imports it.
    page = text(web.get("/accounts/login/"))
    web.post("/accounts/login/", {"csrfmiddlewaretoken": csrf_token(page), "username": ADMIN, "password": PASSWORD},
             referer="/accounts/login/")
    page = text(web.get("/registry/import/"))
    code = f"SMOKE{int(time.time())}"
    response = web.post("/registry/import/", {"csrfmiddlewaretoken": csrf_token(page)}, referer="/registry/import/",
                        files={"file": ("smoke.xlsx", one_row_workbook(code))})
    batch = response.getheader("Location", "")
    check(re.fullmatch(r"/registry/import/\d+/", batch) is not None, f"the upload went to {batch!r}")
    page = wait_for(web, batch, lambda p: f"{batch}confirm/" in p, "check the workbook")
    step(f"workbook uploaded as {ADMIN}; the task worker checked it ({batch})")
    web.post(f"{batch}confirm/", {"csrfmiddlewaretoken": csrf_token(page)}, referer=batch)
    wait_for(web, batch, lambda p: "alert-success" in p, "import the workbook")
    check(code in text(web.get(f"/registry/products/?q={code}")), "the imported product is not in the registry")
    step(f"the task worker imported it: product {code} is in the registry")


def main():
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8109"
    try:
        run(base)
    except (Failed, OSError, http.client.HTTPException) as error:
        print(f"smoke: FAILED: {unescape(str(error))}", file=sys.stderr)
        sys.exit(1)
    print("smoke: all passed")


if __name__ == "__main__":
    main()
