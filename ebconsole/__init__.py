"""ebconsole core: the e-banking emergency plan as data and services, with no Qt in it."""

from __future__ import annotations


def _read_version() -> str:
    # The version lives in pyproject.toml; an installed (or editable) package knows it
    # through its metadata, a source tree or frozen build reads the file itself.
    from importlib import metadata

    try:
        return metadata.version("ebconsole")
    except metadata.PackageNotFoundError:
        import tomllib

        from ebconsole.paths import project_root

        with open(project_root() / "pyproject.toml", "rb") as fh:
            return str(tomllib.load(fh)["project"]["version"])


__version__ = _read_version()
