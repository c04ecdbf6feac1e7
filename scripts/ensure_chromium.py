"""Make sure Debian's Chromium is there for the browser tests.

Playwright's own browser download cannot work on our machines (and we do not
want it): the tests drive /usr/bin/chromium. As root on Debian we install it;
otherwise we say how, and the browser tests skip (or fail under CI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

CHROMIUM = os.environ.get("COOPSIP_CHROMIUM", "/usr/bin/chromium")


def main() -> int:
    if os.path.exists(CHROMIUM):
        return 0
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing Chromium from Debian for the browser tests…", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
        return 0
    print(f"Chromium not found at {CHROMIUM}: browser tests will be skipped.")
    print("Install it with: sudo apt-get install chromium")
    return 0


if __name__ == "__main__":
    sys.exit(main())
