# One command for every chore. `make help` lists them.
PY := .venv/bin/python
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup run demo test test-core test-ui lint format translations bench screenshots samples package package-test clean

help:
	@grep -E '^[a-z-]+:.*## ' Makefile | sed 's/:.*## /\t/'

setup: ## install system packages (as root), the venv and the project
	@bash scripts/setup.sh

run: setup ## launch the console on the embedded SQLite default
	$(PY) -m ebconsole

demo: setup ## fill the default database with the demo dataset
	$(PY) -m ebconsole demo

test: setup ## the whole test suite (core with Qt blocked, then UI and CLI)
	@bash scripts/test.sh

test-core: setup ## only the Qt-free core, with PySide6 made unimportable
	EBCONSOLE_BLOCK_QT=1 $(PY) -m pytest tests/ebconsole -p no:pytest-qt -q

lint: setup ## ruff, format check, mypy on the core, import contract
	.venv/bin/ruff check .
	.venv/bin/ruff format --check ebconsole ui tests scripts
	.venv/bin/mypy
	.venv/bin/lint-imports

format: setup
	.venv/bin/ruff format ebconsole ui tests scripts
	.venv/bin/ruff check --fix .

translations: setup ## compile zh_CN; fail on untranslated strings
	$(PY) scripts/translations.py compile
	$(PY) scripts/translations.py check

bench: setup ## performance benchmarks against same-run baselines
	$(PY) -m tests.perf

screenshots: setup ## PNG of every tab on the demo data (zh_CN) into docs/screenshots
	$(PY) scripts/screenshots.py

samples: setup ## sample PDF of every report on the demo data into docs/samples
	$(PY) scripts/sample_reports.py

package: setup ## PyInstaller bundle and .deb into dist/, then install and run it (smoke test)
	bash packaging/build.sh

package-test: ## install the built .deb into a scratch root and run it (no rebuild)
	bash packaging/smoke_test.sh

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
