#!/usr/bin/env bash
# Installs the Debian 12 packages buzzsim needs, only those missing.
# Usage: scripts/deps.sh [build|test|viewer|notebooks|sanitize|tsan]...   (default: build)
set -euo pipefail

build_pkgs=(build-essential cmake pkg-config libboost-graph-dev libtbb-dev libprotobuf-dev
  protobuf-compiler librandom123-dev libcli11-dev libfmt-dev libssl-dev libxxhash-dev pybind11-dev python3-dev
  python3-venv python3-setuptools python3-wheel)
test_pkgs=(catch2 libopenmpi-dev openmpi-bin chromium xvfb xauth libgl1-mesa-dri
  libimgui-dev libglfw3-dev libgl-dev libstb-dev)
viewer_pkgs=(libimgui-dev libglfw3-dev libgl-dev libstb-dev)
sanitize_pkgs=(clang libclang-rt-14-dev)
tsan_pkgs=(dpkg-dev)  # dpkg-source, to unpack Debian's oneTBB source for scripts/tsan.sh
notebook_pkgs=(python3-pandas python3-matplotlib python3-nbconvert python3-nbclient python3-ipykernel
  python3-nbformat python3-protobuf)

want=()
for group in "${@:-build}"; do
  case "$group" in
    build) want+=("${build_pkgs[@]}") ;;
    test) want+=("${build_pkgs[@]}" "${test_pkgs[@]}" "${notebook_pkgs[@]}") ;;
    notebooks) want+=("${notebook_pkgs[@]}") ;;
    viewer) want+=("${viewer_pkgs[@]}") ;;
    sanitize) want+=("${sanitize_pkgs[@]}") ;;
    tsan) want+=("${tsan_pkgs[@]}") ;;
    *) echo "deps.sh: unknown group '$group' (expected build, test, viewer, notebooks, sanitize or tsan)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
