@echo off
rem Monthly check of the Partnership Register with partnership-xl (see docs\monthly-run.md).
rem Task Scheduler: Action "Start a program", Program/script = the full path of this file.
rem Edit the "set" lines below if the register or the program are elsewhere.
rem A task set to "Run whether user is logged on or not" cannot see the W: drive letter:
rem use the UNC path instead, e.g. \\SERVER\SHARE\PUBLIC\COMMUNITY PARTNERSHIPS\...

setlocal
set "REGISTER=W:\PUBLIC\COMMUNITY PARTNERSHIPS\Managing Partnerships\Partnership Register.xlsx"
rem The log sits beside this file, so a run that cannot reach W: is still logged.
set "LOG=%~dp0partnership-xl.log"
rem The program, where "py -m pip install --user" puts it for Python 3.11 (Python312 for 3.12);
rem "py -m pip show -f partnership-xl" shows where it is: Location, then ..\Scripts\partnership-xl.exe.
rem With pipx it is "%USERPROFILE%\.local\bin\partnership-xl.exe". Not there: the name on the PATH.
set "PXL=%APPDATA%\Python\Python311\Scripts\partnership-xl.exe"
if not exist "%PXL%" set "PXL=partnership-xl"

rem Messages in UTF-8, so names with a pound sign or accents reach the log intact.
set "PYTHONUTF8=1"

rem Redirections come first on the echo lines: "echo exit code 1>> file" would lose the 1.
>> "%LOG%" echo ==== %DATE% %TIME% ====
"%PXL%" validate "%REGISTER%" --quiet >> "%LOG%" 2>&1
set "RC=%ERRORLEVEL%"
>> "%LOG%" echo exit code %RC%
exit /b %RC%
