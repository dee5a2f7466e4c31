; Inno Setup script for the Windows installer (cannot be built on the Linux CI).
; On Windows:  scripts\build-bundle.sh's steps (pyinstaller --noconfirm build.spec), then
;   iscc /DVersion=0.1.0 packaging\windows\touchpoint.iss
; Output: dist\TouchpointSetup-<version>.exe (per-user install, no admin rights needed).

#ifndef Version
  #define Version "0.1.0"
#endif

[Setup]
AppId={{6E1C8F0B-3A43-4C1E-9A0E-4B5C2D7E9F10}
AppName=Touchpoint
AppVersion={#Version}
AppPublisher=Touchpoint
DefaultDirName={autopf}\Touchpoint
DefaultGroupName=Touchpoint
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=TouchpointSetup-{#Version}
SetupIconFile=..\..\resources\icons\touchpoint.ico
UninstallDisplayIcon={app}\touchpoint.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "ru"; MessagesFile: "compiler:Languages\Russian.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\touchpoint-{#Version}\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\Touchpoint"; Filename: "{app}\touchpoint.exe"
Name: "{autodesktop}\Touchpoint"; Filename: "{app}\touchpoint.exe"; Tasks: desktopicon

[Run]
; The bundle checks itself once after installing; the user data (the database)
; stays in %LOCALAPPDATA%\Touchpoint and survives uninstall and upgrades.
Filename: "{app}\touchpoint.exe"; Parameters: "selftest"; Flags: runhidden waituntilterminated
Filename: "{app}\touchpoint.exe"; Description: "{cm:LaunchProgram,Touchpoint}"; Flags: nowait postinstall skipifsilent
