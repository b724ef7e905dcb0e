"""Print the runtime requirements of pyproject.toml, one per line (the Dockerfile installs them with
`pip install -c requirements.lock -r -`): the image gets the project's dependencies, not its dev tools,
and not the project itself (it runs from /app as source). Usage: python runtime_requirements.py pyproject.toml"""

from __future__ import annotations

import sys
import tomllib


def runtime_requirements(pyproject_text: str) -> list[str]:
    return list(tomllib.loads(pyproject_text)["project"]["dependencies"])


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        print("\n".join(runtime_requirements(f.read())))
