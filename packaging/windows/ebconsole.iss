; Inno Setup script: the Windows installer of ebconsole (Inno Setup 6.3 or newer).
;
; Installs the PyInstaller one-folder build (dist\ebconsole, made by
; packaging\ebconsole.spec) into Program Files, with a Start-menu entry, an optional
; desktop icon and an uninstaller. The version comes from pyproject.toml through the
; build (packaging\windows\build.cmd):
;
;   ISCC /DAppVersion=0.1.0 packaging\windows\ebconsole.iss
;
; Data, backups, logs and settings live in each user's AppData (platformdirs:
; %LOCALAPPDATA%\ebconsole, %LOCALAPPDATA%\ebconsole\Logs, %APPDATA%\ebconsole). The
; installer never writes there and the uninstaller never deletes there, so upgrading or
; uninstalling keeps every user's database.

#if Ver < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or newer is needed (x64compatible architecture identifier)
#endif
#ifndef AppVersion
  #error Pass the version from pyproject.toml: ISCC /DAppVersion=x.y.z ebconsole.iss
#endif
#ifndef BundleDir
  ; relative to this script (SourceDir defaults to the script's folder)
  #define BundleDir "..\..\dist\ebconsole"
#endif
#define AppName "ebconsole"
#define AppDisplayName "电子银行应急控制台 (ebconsole)"
#define AppPublisher "ebconsole developers"
#define GuiExe "ebconsolew.exe"
#define CliExe "ebconsole.exe"

[Setup]
; The AppId identifies the program for upgrades and the uninstaller: never change it.
AppId={{DBF8D2FA-BBC1-4E17-A872-32F080071EFE}
AppName={#AppDisplayName}
AppVersion={#AppVersion}
AppVerName={#AppDisplayName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppDisplayName}
DisableProgramGroupPage=yes
; an IT technician installs for all users; a user without rights may choose "just me"
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=ebconsole-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#CliExe}
UninstallDisplayName={#AppDisplayName}
; a running console holds its files: ask to close it (Restart Manager), then restart it
CloseApplications=yes
RestartApplications=no
#if FileExists(AddBackslash(SourcePath) + "..\..\build\icons\ebconsole.ico")
SetupIconFile=..\..\build\icons\ebconsole.ico
#endif

[Languages]
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; an upgrade replaces the whole bundle: no library of the old version may stay behind
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppDisplayName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,{#AppDisplayName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppDisplayName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:LaunchProgram,{#AppDisplayName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] entries: the uninstaller removes only what it installed in {app};
; the users' data folders in AppData are left alone on purpose.
