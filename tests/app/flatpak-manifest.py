#!/usr/bin/env python3
# flatpak-manifest.py — static checks of flatpak/io.github.vitalscan.Vitalscan.json (no
# flatpak-builder needed): it parses, it is on a GNOME runtime that is still supported (45 or
# newer: 44 is end-of-life; the manifest says which version and why), every third-party source
# is pinned (sha256 or commit), the camera comes through the portal (no device or PipeWire
# socket access; libportal is the runtime's), and the app module builds this tree. Prints TAP.
import json
import sys

path = sys.argv[1]
checks = []


def check(name, ok, detail=""):
    checks.append((name, ok, detail))


with open(path, encoding="utf-8") as f:
    manifest = json.load(f)
check("has the app id", manifest.get("id") == "io.github.vitalscan.Vitalscan")

# GNOME runtimes are supported for about a year (two releases); 44 and older are end-of-life.
version = manifest.get("runtime-version", "")
check("GNOME runtime and SDK", manifest.get("runtime") == "org.gnome.Platform"
      and manifest.get("sdk") == "org.gnome.Sdk",
      f'{manifest.get("runtime")} / {manifest.get("sdk")}')
check("a supported GNOME runtime (45 or newer)", version.isdigit() and int(version) >= 45,
      f"runtime-version {version!r}")

args = manifest.get("finish-args", [])
check("no --device=all (the camera comes through the portal)", "--device=all" not in args)
check("no direct PipeWire socket", not any("pipewire" in a for a in args), str(args))
check("keyring over the Secret Service", "--talk-name=org.freedesktop.secrets" in args)

unpinned = []
modules = manifest.get("modules", [])
for module in modules:
    for source in module.get("sources", []):
        kind = source.get("type")
        if kind == "dir":
            continue
        if kind in ("archive", "file") and len(source.get("sha256", "")) == 64:
            continue
        if kind == "git" and len(source.get("commit", "")) == 40:
            continue
        unpinned.append(f'{module["name"]}: {source.get("url")}')
check("every third-party source is pinned", not unpinned, "; ".join(unpinned))

names = [m.get("name") for m in modules]
check("OpenCV and the facedetect plugin are built", "opencv" in names
      and "gst-plugins-bad-opencv" in names, str(names))
check("libportal comes from the GNOME runtime, not built again", "libportal" not in names,
      str(names))
check("the app is the last module and builds this tree",
      names[-1:] == ["vitalscan"]
      and modules[-1]["sources"] == [{"type": "dir", "path": ".."}])

print(f"1..{len(checks)}")
for i, (name, ok, detail) in enumerate(checks, 1):
    print(f'{"ok" if ok else "not ok"} {i} {name}{" # " + detail if detail and not ok else ""}')
sys.exit(0 if all(ok for _, ok, _ in checks) else 1)
