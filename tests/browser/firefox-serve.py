#!/usr/bin/env python3
"""The what-if page in Debian's Firefox ESR (headless), driven through Marionette, Firefox's own remote protocol
(Playwright cannot drive a stock Firefox, and cannot download its own here; geckodriver is not packaged).

    tests/browser/firefox-serve.py http://127.0.0.1:5180/ [screenshot.png] [--firefox /usr/bin/firefox-esr]

Against a running `simulator serve`, it checks what ServeBrowserTests checks in Chromium: the page renders the
scenario (its Chinese title, the cards, the charts), moving a slider changes the figure to the server's answer for
that setting, and no script error happened; then it keeps a screenshot. Exit code 0 when all hold, 1 otherwise.
Standard library only.
"""
import argparse, base64, json, os, shutil, socket, subprocess, sys, tempfile, time

parser = argparse.ArgumentParser()
parser.add_argument("url")
parser.add_argument("screenshot", nargs="?", default="serve-firefox.png")
parser.add_argument("--firefox", default=shutil.which("firefox-esr") or "/usr/bin/firefox-esr")
parser.add_argument("--port", type=int, default=2829)
args = parser.parse_args()

profile = tempfile.mkdtemp(prefix="serve-firefox-")
with open(os.path.join(profile, "user.js"), "w") as f:
    f.write(f'user_pref("marionette.port", {args.port});\n')
browser = subprocess.Popen([args.firefox, "--headless", "--marionette", "--no-remote", "--profile", profile, "--window-size=1280,1500"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Marionette:
    """Marionette's protocol: length-prefixed JSON, commands [0, id, name, params], answers [1, id, error, result]."""

    def __init__(self, port):
        for _ in range(300):
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=120)
                break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("Firefox did not open its Marionette port")
        self.buffer = b""
        self.id = 0
        self.read()  # the server's hello

    def read(self):
        while b":" not in self.buffer:
            self.buffer += self.sock.recv(65536)
        length, rest = self.buffer.split(b":", 1)
        while len(rest) < int(length):
            rest += self.sock.recv(65536)
        self.buffer = rest[int(length):]
        return json.loads(rest[:int(length)])

    def __call__(self, name, params=None):
        self.id += 1
        body = json.dumps([0, self.id, name, params or {}]).encode()
        self.sock.sendall(str(len(body)).encode() + b":" + body)
        _, _, error, result = self.read()
        if error:
            raise RuntimeError(f"{name}: {error}")
        return result["value"] if isinstance(result, dict) and "value" in result else result

    def script(self, source, *arguments):
        return self("WebDriver:ExecuteScript", {"script": source, "args": list(arguments)})

    def wait(self, source, what, seconds=120):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.script(source):
                return
            time.sleep(0.1)
        raise RuntimeError(f"timed out waiting for {what}")


problems = []
try:
    m = Marionette(args.port)
    m("WebDriver:NewSession", {"capabilities": {"alwaysMatch": {"acceptInsecureCerts": True}}})
    # Headless Firefox 153 ignores --window-size (it opened at 1366 x 682): the window is sized through WebDriver.
    m("WebDriver:SetWindowRect", {"width": 1280, "height": 1500})
    version = m.script("return navigator.userAgent")
    # Script errors are collected by the page's window from the first script on (window.onerror and rejections).
    m("WebDriver:Navigate", {"url": args.url})
    m.script("window.__errors = []; window.addEventListener('error', e => window.__errors.push(String(e.message)));"
             "window.addEventListener('unhandledrejection', e => window.__errors.push(String(e.reason)));")
    m.wait("return document.body.dataset.state === 'ready' && document.querySelectorAll('.card').length > 0", "the page to render")
    title = m.script("return document.getElementById('title').textContent")
    cards = m.script("return document.querySelectorAll('.card').length")
    # A chart is drawn, or its panel says in a line why there is nothing to draw (no funds, no schemes).
    marks = m.script("return ['probabilities', 'quantiles', 'breach', 'payers'].map(id => document.getElementById(id).childElementCount"
                     " || document.getElementById('chart-' + id).querySelector('.none').textContent.length)")
    path = m.script("const i = [...document.querySelectorAll('input[data-path]')].find(i => i.dataset.path.endsWith('.tolerance')); return i && i.dataset.path")
    if not path:
        raise RuntimeError("no tolerance slider on the page")
    fund = path.split("[")[1].split("]")[0]
    figure = f"{fund}.breachProbability"
    before = m.script(f"return document.querySelector(\"[data-figure='{figure}']\").dataset.value")
    m.script(f"const i = document.querySelector(\"input[data-path='{path}']\"); i.value = Math.min(1, Number(i.value) + 0.1).toFixed(2);"
             "i.dispatchEvent(new Event('input', { bubbles: true }));")
    m.wait(f"return document.querySelector(\"[data-figure='{figure}']\").dataset.value !== '{before}'", "the figure to change")
    after = m.script(f"return document.querySelector(\"[data-figure='{figure}']\").dataset.value")
    value = m.script(f"return Number(document.querySelector(\"input[data-path='{path}']\").value)")
    # The figure shown is the server's answer to that setting.
    answer = m("WebDriver:ExecuteAsyncScript", {"script": (
        "const done = arguments[arguments.length - 1];"
        f"fetch('/api/evaluate', {{ method: 'POST', headers: {{ 'Content-Type': 'application/json' }}, body: JSON.stringify({{ set: {{ '{path}': {value} }} }}) }})"
        f".then(r => r.json()).then(b => done(String(b.figures.find(f => f.name === '{figure}').value)), e => done('error ' + e));"), "args": []})
    errors = m.script("return window.__errors")
    shot = m("WebDriver:TakeScreenshot", {"full": True})
    with open(args.screenshot, "wb") as f:
        f.write(base64.b64decode(shot))
    window = m.script("return innerWidth + ' x ' + innerHeight")
    print(f"browser: {version}; window {window}")
    print(f"title: {title}; {cards} cards; chart elements {marks}")
    print(f"{path} -> {value}: {figure} {before} -> {after} (server: {answer})")
    print(f"script errors: {errors or 'none'}; screenshot: {args.screenshot}")
    if not title or "…" in title: problems.append("the title was not filled in")
    if min(marks) == 0: problems.append("a chart is empty and does not say why")
    if after != answer: problems.append(f"the page shows {after}, the server answers {answer}")
    if errors: problems.append(f"script errors: {errors}")
    m("WebDriver:DeleteSession")
except Exception as e:  # a failed check is reported, never a traceback
    problems.append(str(e))
finally:
    browser.terminate()
    try:
        browser.wait(20)
    except subprocess.TimeoutExpired:
        browser.kill()
    shutil.rmtree(profile, ignore_errors=True)
for p in problems:
    print("FAILED: " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
