#!/bin/sh
# /usr/bin/ebconsole: runs the bundle installed in /opt/ebconsole (found relative to
# this script, so an unpacked package in another root works as well).
here=$(dirname "$(readlink -f "$0")")
exec "$here/../../opt/ebconsole/ebconsole" "$@"
