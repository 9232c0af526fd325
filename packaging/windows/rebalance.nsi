; Rebalance for Windows: a per-user installer (no administrator rights).
;
; Built by scripts/package-windows.sh, which passes:
;   VERSION      the crate version ("0.1.0")
;   EXE          the cross-built release rebalance.exe
;   ICON         rebalance.ico made from assets/icons
;   AUMID        the AppUserModelID, read from the Rust source where it is
;                defined once, so toasts and the shortcut name the same app
;   RUN_VALUE    the name of the autostart value under the Run key, read
;                from the Rust source the same way
;   OUTFILE      where the installer goes
;
; Installs to %LOCALAPPDATA%\Programs\Rebalance, makes a Start-menu shortcut
; that carries the AppUserModelID (set through the shortcut's
; IPropertyStore with NSIS's own System plugin and Win\COM.nsh, both part of
; NSIS 3), and registers an Add/Remove Programs entry under HKCU. The
; uninstaller stops a running Rebalance, removes the autostart value, and
; asks whether to keep the log and settings.

!macro Require name
  !ifndef ${name}
    !error "${name} must be defined (scripts/package-windows.sh passes it)"
  !endif
!macroend
!insertmacro Require VERSION
!insertmacro Require EXE
!insertmacro Require ICON
!insertmacro Require AUMID
!insertmacro Require RUN_VALUE
!insertmacro Require OUTFILE

Unicode true
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel user
ManifestDPIAware true

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include x64.nsh
!include Win\COM.nsh
!include Win\Propkey.nsh

!define APP_NAME "Rebalance"
!define PUBLISHER "The Rebalance developers"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Rebalance"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define SHORTCUT "$SMPROGRAMS\${APP_NAME}.lnk"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Rebalance"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${APP_NAME} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP_NAME}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP_NAME} installer"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "LegalCopyright" "MIT OR Apache-2.0"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\rebalance.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Open Rebalance now"

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "Rebalance needs 64-bit Windows 10 or 11."
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

; Asks a running Rebalance to stop, so its .exe can be replaced or removed.
!macro StopRunning un
Function ${un}StopRunning
  ${If} ${FileExists} "$INSTDIR\rebalance.exe"
    nsExec::Exec '"$INSTDIR\rebalance.exe" quit'
    Pop $0
    ; 0: it was running and has been asked to stop; give it a moment.
    ${If} $0 == 0
      Sleep 1500
    ${EndIf}
  ${EndIf}
FunctionEnd
!macroend
!insertmacro StopRunning ""
!insertmacro StopRunning "un."

; Deletes $INSTDIR\rebalance.exe, retrying for up to ten seconds: a
; Rebalance process that was just asked to stop (the daemon, the window or
; a reminder prompt) may still hold it for a moment.
Function un.DeleteExe
  StrCpy $0 0
  ${Do}
    ClearErrors
    Delete "$INSTDIR\rebalance.exe"
    ${IfNot} ${Errors}
      Return
    ${EndIf}
    IntOp $0 $0 + 1
    ${If} $0 >= 20
      DetailPrint "rebalance.exe is still in use and was not removed."
      Return
    ${EndIf}
    Sleep 500
  ${Loop}
FunctionEnd

; Writes the AppUserModelID into the shortcut $0, so Windows files the
; app's toasts under Rebalance with its icon. Sets $1 to "ok" or the step
; that failed.
Function SetShortcutAppId
  StrCpy $1 "create ShellLink"
  !insertmacro ComHlpr_CreateInProcInstance ${CLSID_ShellLink} ${IID_IShellLink} r2 ""
  ${If} $2 P<> 0
    StrCpy $1 "load shortcut"
    ${IUnknown::QueryInterface} $2 '("${IID_IPersistFile}",.r3)'
    ${If} $3 P<> 0
      ${IPersistFile::Load} $3 '("$0",${STGM_READWRITE}).r4'
      ${If} $4 = 0
        StrCpy $1 "open property store"
        ${IUnknown::QueryInterface} $2 '("${IID_IPropertyStore}",.r5)'
        ${If} $5 P<> 0
          StrCpy $1 "set AppUserModelID"
          System::Call '*(&w128 "${AUMID}")p.r6'
          System::Call '*${SYSSTRUCT_PROPERTYKEY}(${PKEY_AppUserModel_ID})p.r7'
          System::Call '*(&i2 ${VT_LPWSTR},&i6 0,p r6,&i8 0)p.r8'
          ${IPropertyStore::SetValue} $5 '($7,$8).r4'
          ${If} $4 = 0
            ${IPropertyStore::Commit} $5 '().r4'
            ${If} $4 = 0
              StrCpy $1 "save shortcut"
              ${IPersistFile::Save} $3 '("$0",1).r4'
              ${If} $4 = 0
                StrCpy $1 "ok"
              ${EndIf}
            ${EndIf}
          ${EndIf}
          System::Free $8
          System::Free $7
          System::Free $6
          ${IUnknown::Release} $5 ""
        ${EndIf}
      ${EndIf}
      ${IUnknown::Release} $3 ""
    ${EndIf}
    ${IUnknown::Release} $2 ""
  ${EndIf}
FunctionEnd

Section "Rebalance"
  Call StopRunning
  SetOutPath "$INSTDIR"
  File "/oname=rebalance.exe" "${EXE}"
  File "/oname=rebalance.ico" "${ICON}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "${SHORTCUT}" "$INSTDIR\rebalance.exe" "" "$INSTDIR\rebalance.ico" 0 SW_SHOWNORMAL "" \
    "Posture checks, move breaks and routines"
  StrCpy $0 "${SHORTCUT}"
  Call SetShortcutAppId
  ${If} $1 != "ok"
    DetailPrint "The Start-menu shortcut has no AppUserModelID (step: $1); reminders may show under a generic name."
  ${EndIf}

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\rebalance.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  Call un.StopRunning
  ; Autostart is switched on from Settings; without the program it would
  ; point at nothing.
  DeleteRegValue HKCU "${RUN_KEY}" "${RUN_VALUE}"
  DeleteRegKey HKCU "Software\Classes\AppUserModelId\${AUMID}"
  Delete "${SHORTCUT}"
  Call un.DeleteExe
  Delete "$INSTDIR\rebalance.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"

  ; The log holds the user's history; a silent uninstall keeps it.
  ${IfNot} ${FileExists} "$LOCALAPPDATA\Rebalance\*.*"
  ${AndIfNot} ${FileExists} "$APPDATA\Rebalance\*.*"
    Return
  ${EndIf}
  MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON1 \
    "Keep your Rebalance log and settings?$\r$\n$\r$\nYes keeps them for a later install ($LOCALAPPDATA\Rebalance and $APPDATA\Rebalance). No deletes them." \
    /SD IDYES IDYES keep
  RMDir /r "$LOCALAPPDATA\Rebalance"
  RMDir /r "$APPDATA\Rebalance"
  keep:
SectionEnd
