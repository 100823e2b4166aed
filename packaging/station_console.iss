; Inno Setup script of the Station Console installer (Windows 10 1809+ / 11, 64-bit).
;
; Build the package first (README, "Windows"), then, from the repository folder:
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" packaging\station_console.iss
; The installer is written to dist\installer\StationConsole-<version>-setup.exe.
;
; - Installs for all users (administrator rights) into Program Files\StationConsole.
; - Setup speaks Chinese (default) or English; the user picks at the start.
; - Start-menu shortcut always, desktop shortcut on request.
; - The version is the product version of the built StationConsole.exe, which build.spec makes
;   from station_console.__version__ (packaging/version_info.py): one source for all three.
; - Uninstalling removes the program files only. The station's data (database, settings, logs)
;   lives in each user's %LOCALAPPDATA%\StationConsole, which the installer never touches, so it
;   stays in place for the next installation or for IT to back up.
; - Needs Inno Setup 6.5 or newer, whose compiler ships ChineseSimplified.isl; with an older
;   one, put that file (from the Inno Setup translations) beside this script.

#define AppName "Station Console"
#define AppExeName "StationConsole.exe"
#define PackageDir AddBackslash(SourcePath) + "..\dist\StationConsole"
#define AppExe PackageDir + "\" + AppExeName

#if !FileExists(AppExe)
  #error The package is missing: build dist\StationConsole with build.spec first.
#endif
#define AppVersion GetStringFileInfo(AppExe, "ProductVersion")
#if AppVersion == ""
  #error StationConsole.exe carries no version resource: build it with build.spec.
#endif
#define AppNumericVersion GetVersionNumbersString(AppExe)

#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
  #define ChineseMessages "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseMessages AddBackslash(SourcePath) + "ChineseSimplified.isl"
#else
  #error ChineseSimplified.isl not found: use Inno Setup 6.5+ or put the file beside this script.
#endif

[Setup]
AppId={{6E0F3C52-8B1D-4C77-9C2A-5A1E2D7B9F40}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppNumericVersion}
DefaultDirName={autopf}\StationConsole
DefaultGroupName={#AppName}
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
SetupIconFile=..\resources\icons\station_console.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName} {#AppVersion}
OutputDir=..\dist\installer
OutputBaseFilename=StationConsole-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=yes
CloseApplications=yes

[Languages]
Name: "chinesesimplified"; MessagesFile: "{#ChineseMessages}"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chinesesimplified.AppTitle=派出所综合指挥室工作台
english.AppTitle=Station Console

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\dist\StationConsole\{#AppExeName}"; DestDir: "{app}"; Flags: ignoreversion
Source: "..\dist\StationConsole\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{cm:AppTitle}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,{cm:AppTitle}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{cm:AppTitle}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{cm:AppTitle}}"; Flags: nowait postinstall skipifsilent
