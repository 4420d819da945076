#!/usr/bin/env python3
"""The district portal in a real browser (issue #11 §3): Debian's chromium and chromium-driver,
driven by Selenium. It builds a register with the real `sublet` binary, starts the real
`sublet-portal` on a free loopback port, and as a district officer: chooses a password through
the one-time link `sublet portal user add` printed, logs in, opens a report, downloads its CSV
and compares its bytes with the file in the outbox, tries another district's page and sees it
refused, and logs out. Screenshots of each page go to the artifacts folder (not into git).

Usage: portal_browser_test.py BIN_DIR ARTIFACTS_DIR   (exit 0: every check passed)
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BIN, ARTIFACTS = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
os.makedirs(ARTIFACTS, exist_ok=True)
failures = []


def check(name, condition):
    print(("ok   " if condition else "FAIL ") + name, flush=True)
    if not condition:
        failures.append(name)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


work = tempfile.mkdtemp(prefix="sublet-browser-")
port = free_port()
config = os.path.join(work, "sublet.toml")
with open(config, "w", encoding="utf-8") as f:
    f.write(f"""[paths]
database = "sublet.sqlite"
outbox = "outbox"
[payee]
bankgiro = "9999-9997"
[portal]
listen = "127.0.0.1:{port}"
accounts = "portal.sqlite"
secure_cookies = false
public_url = "http://127.0.0.1:{port}"
bcrypt_cost = 10
""")
env = dict(os.environ, SUBLET_CONFIG=config, SUBLET_TODAY="2026-12-03")


def sublet(*args):
    result = subprocess.run([os.path.join(BIN, "sublet"), *args], env=env, cwd=work, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"sublet {' '.join(args)} failed ({result.returncode}): {result.stderr}")
    return result.stdout


sublet("init")
sublet("district", "add", "RK", "--name", "Rinkeby-Kista")
sublet("district", "add", "SK", "--name", "Skärholmen")
sublet("landlord", "add", "556900-1232", "--name", "Exempelbostäder AB")
sublet("lease", "add", "--landlord", "556900-1232", "--object-id", "RK-OBJ-7781", "--district", "RK", "--rent", "8450",
       "--start", "2026-01-01", "--address", "Rinkebysvängen 71")
sublet("lease", "add", "--landlord", "556900-1232", "--object-id", "SK-OBJ-9913", "--district", "SK", "--rent", "9137",
       "--start", "2026-01-01", "--address", "Skärholmsvägen 99")
for district in ("RK", "SK"):
    sublet("district", "set", district, "--reconciliation", "on", "--from", "2026-10")
sublet("reports", "build", "--period", "2026-11")
link = re.search(r"http://\S+/losenord\?token=[0-9a-f]{64}", sublet("portal", "user", "add", "anna@stockholm.se", "--district", "RK"))
check("sublet portal user add prints a one-time link", link is not None)

portal = subprocess.Popen([os.path.join(BIN, "sublet-portal"), "--config", config], env=env, cwd=work,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
base = f"http://127.0.0.1:{port}"
for _ in range(100):
    try:
        urllib.request.urlopen(base + "/healthz", timeout=1)
        break
    except OSError:
        time.sleep(0.1)

downloads = os.path.join(work, "downloads")
os.makedirs(downloads)
options = Options()
for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
    options.add_argument(argument)
options.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
password = "ett långt lösenord för Anna"
try:
    def shot(name):
        driver.save_screenshot(os.path.join(ARTIFACTS, name + ".png"))

    def lands_on(suffix):
        """Whether the browser arrives at a URL ending in `suffix` (a click's navigation, with
        its redirects, finishes after the click returns)."""
        try:
            WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith(suffix))
            return True
        except Exception:
            return False

    driver.get(link.group(0))
    shot("1-choose-password")
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "repeat").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    check("the password is chosen and the login page follows", lands_on("/logga-in"))

    driver.find_element(By.ID, "email").send_keys("anna@stockholm.se")
    driver.find_element(By.ID, "password").send_keys(password)
    shot("2-login")
    driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    check("login lands on the district's page", lands_on("/sdf/RK"))
    shot("3-district")
    check("the district's page names it", "Rinkeby-Kista" in driver.page_source)

    driver.find_element(By.LINK_TEXT, "2026-11").click()
    lands_on("/avstamning/2026-11")
    shot("4-report")
    check("the report shows the district's lease", "RK-OBJ-7781" in driver.page_source)
    check("and nothing of the other district's", "SK-OBJ-9913" not in driver.page_source and "Skärholmsvägen" not in driver.page_source)
    check("the report's table has a caption", len(driver.find_elements(By.TAG_NAME, "caption")) >= 1)

    driver.find_element(By.PARTIAL_LINK_TEXT, ".csv").click()
    name = "avstamning-RK-2026-11.csv"
    path = os.path.join(downloads, name)
    for _ in range(100):
        if os.path.exists(path) and not os.path.exists(path + ".crdownload"):
            break
        time.sleep(0.1)
    with open(os.path.join(work, "outbox", "RK", "2026-11", name), "rb") as f:
        expected = f.read()
    got = open(path, "rb").read() if os.path.exists(path) else b""
    check("the downloaded CSV is the outbox's file, byte for byte", got == expected and len(expected) > 0)

    driver.get(base + "/sdf/SK/avstamning/2026-11")
    shot("5-other-district")
    check("another district's URL is refused", "Åtkomst nekad" in driver.page_source and "SK-OBJ-9913" not in driver.page_source)
    driver.get(base + "/sdf/SK/avstamning/2026-11/avstamning-SK-2026-11.csv")
    check("and so is its download", not os.path.exists(os.path.join(downloads, "avstamning-SK-2026-11.csv")))

    driver.get(base + "/sdf/RK")
    driver.find_element(By.CSS_SELECTOR, "header button[type=submit]").click()
    check("logout returns to the login page", lands_on("/logga-in"))
    shot("6-logged-out")
    driver.get(base + "/sdf/RK")
    check("and the district's page needs a login again", lands_on("/logga-in"))
finally:
    driver.quit()
    portal.terminate()
    portal.wait(timeout=10)

audit = sublet("portal", "audit")
check("the portal's audit log holds the login and the download", "login" in audit and "download" in audit)
print(f"screenshots: {ARTIFACTS}")
sys.exit(1 if failures else 0)
