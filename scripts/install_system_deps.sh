#!/usr/bin/env bash
# Debian packages the browser tests need: Chromium (driven by Playwright, never downloaded by it)
# and a CJK font so Chinese renders in screenshots. Idempotent; a no-op when both are present.
set -u
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "noto.*cjk" || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "warning: cannot install ${need[*]} (needs root and apt-get); browser tests will be skipped" >&2
  exit 0
fi
echo "installing ${need[*]} (Debian packages) ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null || {
  echo "warning: apt-get could not install ${need[*]}; browser tests will be skipped" >&2
}
exit 0
