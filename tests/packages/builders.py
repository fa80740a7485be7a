"""SCORM packages made by the tests themselves: a zip in memory with a manifest and a SCO.

The SCOs find the runtime the way real ones do (the ADL walk up ``window.parent``,
starting at their own window) and show what they read, so a browser test can see
that resuming worked. Two buttons: "Pause" suspends with a bookmark, "Finish"
completes (1.2: passed with a score; 2004: completed and passed).
"""

from __future__ import annotations

import io
import stat
import zipfile

MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="werkwijs-test-12" version="1"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>{title}</title>
      <item identifier="item-1" identifierref="res-1"><title>Lesson one</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res-1" type="webcontent" adlcp:scormtype="sco" href="{href}">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>
"""

MANIFEST_2004 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="werkwijs-test-2004" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>{title}</title>
      <item identifier="item-1" identifierref="res-1"><title>Module one</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res-1" type="webcontent" adlcp:scormType="sco" href="{href}">
      <file href="index.html"/>
    </resource>
    <resource identifier="shared" type="webcontent" adlcp:scormType="asset" href="style.css"/>
  </resources>
</manifest>
"""

SCO_12 = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lesson one</title>
<link rel="stylesheet" href="style.css">
<script>
function findAPI(win) {
  var tries = 0;
  while (!win.API && win.parent && win.parent !== win && tries < 7) {
    try { win = win.parent; } catch (e) { return null; }
    tries++;
  }
  return win.API || null;
}
var api = findAPI(window);
function show(text) { document.getElementById("out").textContent = text; }
window.addEventListener("load", function () {
  if (!api) { show("no API"); return; }
  api.LMSInitialize("");
  show("entry=" + api.LMSGetValue("cmi.core.entry") +
       " bookmark=" + api.LMSGetValue("cmi.core.lesson_location") +
       " suspend=" + api.LMSGetValue("cmi.suspend_data") +
       " student=" + api.LMSGetValue("cmi.core.student_name"));
  document.getElementById("pause").addEventListener("click", function () {
    api.LMSSetValue("cmi.core.lesson_location", "page-2");
    api.LMSSetValue("cmi.suspend_data", "answers=1,2");
    api.LMSSetValue("cmi.core.lesson_status", "incomplete");
    api.LMSSetValue("cmi.core.exit", "suspend");
    api.LMSSetValue("cmi.core.session_time", "0000:00:30.00");
    api.LMSCommit("");
    api.LMSFinish("");
    show("paused");
  });
  document.getElementById("finish").addEventListener("click", function () {
    var bad = api.LMSSetValue("cmi.core.lesson_status", "excellent");
    var code = api.LMSGetLastError();
    api.LMSSetValue("cmi.core.score.raw", "90");
    api.LMSSetValue("cmi.core.lesson_status", "passed");
    api.LMSSetValue("cmi.core.exit", "");
    api.LMSSetValue("cmi.core.session_time", "0000:01:00.00");
    api.LMSCommit("");
    api.LMSFinish("");
    show("finished (bad value: " + bad + " " + code + ")");
  });
});
</script></head>
<body><main><h1>Lesson one</h1><p id="out">loading</p>
<button id="pause" type="button">Pause</button>
<button id="finish" type="button">Finish</button></main></body></html>
"""

SCO_2004 = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Module one</title>
<script>
function findAPI(win) {
  var tries = 0;
  while (!win.API_1484_11 && win.parent && win.parent !== win && tries < 7) {
    try { win = win.parent; } catch (e) { return null; }
    tries++;
  }
  return win.API_1484_11 || null;
}
var api = findAPI(window);
function show(text) { document.getElementById("out").textContent = text; }
window.addEventListener("load", function () {
  if (!api) { show("no API"); return; }
  api.Initialize("");
  show("entry=" + api.GetValue("cmi.entry") + " bookmark=" + api.GetValue("cmi.location") +
       " suspend=" + api.GetValue("cmi.suspend_data"));
  document.getElementById("pause").addEventListener("click", function () {
    api.SetValue("cmi.location", "slide-3");
    api.SetValue("cmi.suspend_data", "{\\"slide\\":3}");
    api.SetValue("cmi.completion_status", "incomplete");
    api.SetValue("cmi.exit", "suspend");
    api.SetValue("cmi.session_time", "PT45S");
    api.Commit("");
    api.Terminate("");
    show("paused");
  });
  document.getElementById("finish").addEventListener("click", function () {
    var bad = api.SetValue("cmi.score.scaled", "2");
    var code = api.GetLastError();
    api.SetValue("cmi.score.scaled", "0.8");
    api.SetValue("cmi.score.raw", "80");
    api.SetValue("cmi.completion_status", "completed");
    api.SetValue("cmi.success_status", "passed");
    api.SetValue("cmi.exit", "normal");
    api.SetValue("cmi.session_time", "PT1M30S");
    api.Commit("");
    api.Terminate("");
    show("finished (bad value: " + bad + " " + code + ")");
  });
});
</script></head>
<body><main><h1>Module one</h1><p id="out">loading</p>
<button id="pause" type="button">Pause</button>
<button id="finish" type="button">Finish</button></main></body></html>
"""


def zip_of(files: dict[str, bytes | str], *, symlinks: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


def scorm12_files(title: str = "Safe lifting", href: str = "index.html") -> dict[str, str]:
    return {
        "imsmanifest.xml": MANIFEST_12.format(title=title, href=href),
        "index.html": SCO_12,
        "style.css": "body { font-family: sans-serif; }",
    }


def scorm2004_files(title: str = "Hand hygiene", href: str = "index.html") -> dict[str, str]:
    return {
        "imsmanifest.xml": MANIFEST_2004.format(title=title, href=href),
        "index.html": SCO_2004,
        "style.css": "body { font-family: sans-serif; }",
    }


def scorm12_zip(**kwargs) -> bytes:
    return zip_of(scorm12_files(**kwargs))


def scorm2004_zip(**kwargs) -> bytes:
    return zip_of(scorm2004_files(**kwargs))
