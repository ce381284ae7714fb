@echo off
rem Windows build: PyInstaller bundle, then the Inno Setup installer, into dist\.
rem Run from anywhere on a build machine with the project's venv (.venv) and Inno Setup 6.3+.
rem   packaging\windows\build.cmd
setlocal
cd /d "%~dp0\..\.."
set PY=.venv\Scripts\python.exe
if not defined ISCC set ISCC=%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe

for /f "usebackq delims=" %%v in (`%PY% -c "import tomllib; print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])"`) do set VERSION=%%v
if not defined VERSION (echo cannot read the version from pyproject.toml & exit /b 1)
echo == ebconsole %VERSION%

%PY% scripts\translations.py compile || exit /b 1
%PY% packaging\make_icons.py || exit /b 1
%PY% -m PyInstaller --noconfirm --distpath dist --workpath build\pyinstaller packaging\ebconsole.spec || exit /b 1

for /f "usebackq delims=" %%v in (`dist\ebconsole\ebconsole.exe --version`) do set GOT=%%v
if not "%GOT%"=="ebconsole %VERSION%" (echo the bundle says "%GOT%", expected "ebconsole %VERSION%" & exit /b 1)

"%ISCC%" /DAppVersion=%VERSION% packaging\windows\ebconsole.iss || exit /b 1
echo == dist\ebconsole-%VERSION%-setup.exe
