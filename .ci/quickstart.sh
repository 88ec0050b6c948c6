#!/usr/bin/env bash
# Integrity Desk (诚信服务台): the two quick-start commands of README.md.
#
#   bash .ci/quickstart.sh run    install what is missing, build the demo center once, open the app
#   bash .ci/quickstart.sh test   install what is missing, then ruff, mypy, pytest, PyInstaller build
#                                 and a smoke test of the built program (this is what CI runs)
#
# Made for a fresh Debian 12 / Ubuntu 24.04 with Python 3.11+, as root or as a user with sudo. Without
# apt (or without root/sudo) it prints the Debian packages to install and carries on.
#
# Environment (all optional):
#   PYTHON                               interpreter for .venv (default: python3, else python3.1x >= 3.11)
#   INTEGRITY_DESK_DEMO_HOME             data folder of the demo (`run`; default ~/IntegrityDesk-demo)
#   INTEGRITY_DESK_TEST_PG_URL           PostgreSQL for the tests; when set, no probe, no throwaway server
#   INTEGRITY_DESK_FORCE_THROWAWAY_PG=1  skip the 127.0.0.1:5432 probe: always start a throwaway cluster
#   INTEGRITY_DESK_QUICKSTART_STEPS      `test` only, a development aid: comma-separated subset of
#                                        postgres,ruff,format,mypy,pytest,build,smoke (default: all)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
VENV=$REPO/.venv
STAMP=$VENV/.integrity-desk-stamp
MODE=${1:-}

# Debian package names (Ubuntu 24.04 renamed some to <name>t64: handled below).
QT_OFFSCREEN_PKGS=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0)
QT_XCB_PKGS=(libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0 libxkbcommon-x11-0)
FONT_PKGS=(fonts-wqy-microhei)
TEST_PKGS=(poppler-utils zbar-tools xvfb xauth binutils)

if [[ -t 1 ]]; then
    BOLD=$'\033[1m' RED=$'\033[31m' YELLOW=$'\033[33m' RESET=$'\033[0m'
else
    BOLD="" RED="" YELLOW="" RESET=""
fi
say() { printf '%s==> %s%s\n' "$BOLD" "$*" "$RESET"; }
warn() { printf '%swarning:%s %s\n' "$YELLOW" "$RESET" "$*" >&2; }
die() {
    printf '%serror:%s %s\n' "$RED" "$RESET" "$*" >&2
    exit 1
}

usage() {
    cat >&2 <<'EOF'
usage: bash .ci/quickstart.sh run     open Integrity Desk on a demo center (built on first run)
       bash .ci/quickstart.sh test    lint, type-check, test, build and smoke-test (what CI runs)
EOF
    exit 2
}

now_us() {
    if [[ -n ${EPOCHREALTIME:-} ]]; then
        echo "${EPOCHREALTIME//[.,]/}"
    else
        echo $(($(date +%s) * 1000000))
    fi
}

fmt_secs() { printf '%d.%d' $(($1 / 1000000)) $(($1 % 1000000 / 100000)); }

# ---------------------------------------------------------------- clean-up and summary

CLEANUP_DIRS=()
PG_TMP=""
PG_BIN=""
PG_AS=()
STEP_LINES=()
CURRENT_STEP=""
CURRENT_START=0
SCRIPT_START=$(now_us)

# as_pg COMMAND...: run COMMAND as the owner of the throwaway cluster, from its folder (the postgres
# user may not be allowed into the current directory).
as_pg() {
    if [[ ${PG_AS[*]-} == su ]]; then
        (cd "$PG_TMP" && su -s /bin/bash -c "$(printf '%q ' "$@")" postgres)
    else
        (cd "$PG_TMP" && "${PG_AS[@]}" "$@")
    fi
}

stop_throwaway_pg() {
    if [[ -n $PG_TMP && -d $PG_TMP/data ]]; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    fi
    if [[ -n $PG_TMP ]]; then
        rm -rf "$PG_TMP"
        PG_TMP=""
    fi
}

on_exit() {
    local rc=$? dir
    stop_throwaway_pg
    for dir in "${CLEANUP_DIRS[@]}"; do
        rm -rf "$dir"
    done
    if [[ $MODE == test ]]; then
        echo
        say "Summary"
        local line
        for line in "${STEP_LINES[@]}"; do
            echo "$line"
        done
        if [[ -n $CURRENT_STEP ]]; then
            printf '  %-7s %7ss  %s\n' FAILED "$(fmt_secs $(($(now_us) - CURRENT_START)))" "$CURRENT_STEP"
        fi
        printf '  %-7s %7ss  %s\n' "" "$(fmt_secs $(($(now_us) - SCRIPT_START)))" "total"
        if ((rc == 0)); then
            echo "quickstart test: all steps passed"
        else
            echo "quickstart test: FAILED (exit code $rc)"
        fi
    fi
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# step NAME COMMAND...: run one timed step; a failure ends the script (set -e) and on_exit reports it.
step() {
    CURRENT_STEP=$1
    shift
    echo
    say "$CURRENT_STEP"
    CURRENT_START=$(now_us)
    "$@"
    STEP_LINES+=("$(printf '  %-7s %7ss  %s' ok "$(fmt_secs $(($(now_us) - CURRENT_START)))" "$CURRENT_STEP")")
    CURRENT_STEP=""
}

# ---------------------------------------------------------------- system packages

SUDO=()
CAN_APT=0
APT_UPDATED=0
if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
    if ((EUID == 0)); then
        CAN_APT=1
    elif command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
        CAN_APT=1
    fi
fi

# pkg_installed NAME: NAME (or Ubuntu's NAMEt64) is installed.
pkg_installed() {
    local p
    for p in "$1" "$1t64"; do
        # shellcheck disable=SC2016  # dpkg-query's own ${...} format
        if [[ $(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) == installed ]]; then
            return 0
        fi
    done
    return 1
}

# apt_name NAME: the name apt can install (NAME or NAMEt64); empty if neither has a candidate.
apt_name() {
    local p cand
    for p in "$1" "$1t64"; do
        cand=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2; exit}')
        if [[ -n $cand && $cand != "(none)" ]]; then
            echo "$p"
            return 0
        fi
    done
    return 0
}

# ensure_packages NAME...: install the Debian packages that are missing (apt-get update only if needed).
ensure_packages() {
    local missing=() p name names=()
    if command -v dpkg-query >/dev/null 2>&1; then
        for p in "$@"; do
            pkg_installed "$p" || missing+=("$p")
        done
    else
        missing=("$@")
    fi
    ((${#missing[@]} > 0)) || return 0
    if ((CAN_APT == 0)); then
        if command -v apt-get >/dev/null 2>&1; then
            warn "not root and no sudo: please install these packages, then run again: ${missing[*]}"
        else
            warn "no apt-get here: please install the equivalents of these Debian packages: ${missing[*]}"
        fi
        return 0
    fi
    say "Installing system packages: ${missing[*]}"
    if ((APT_UPDATED == 0)); then
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed"
        APT_UPDATED=1
    fi
    for p in "${missing[@]}"; do
        name=$(apt_name "$p")
        if [[ -n $name ]]; then
            names+=("$name")
        else
            warn "no package named $p (or ${p}t64) in the apt sources; skipped"
        fi
    done
    ((${#names[@]} > 0)) || return 0
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${names[@]}" || die "apt-get install failed: ${names[*]}"
}

# ---------------------------------------------------------------- Python and .venv

python_ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; }

pick_python() {
    local c
    if [[ -n ${PYTHON:-} ]]; then
        python_ok "$PYTHON" || die "PYTHON=$PYTHON is not Python 3.11 or newer"
        echo "$PYTHON"
        return 0
    fi
    for c in python3 python3.14 python3.13 python3.12 python3.11; do
        if command -v "$c" >/dev/null 2>&1 && python_ok "$c"; then
            echo "$c"
            return 0
        fi
    done
    die "Python 3.11 or newer is needed (Debian 12: apt-get install python3; or from python.org)"
}

make_venv() {
    local py ver
    py=$(pick_python)
    say "Creating .venv with $py ($("$py" -V 2>&1))"
    if ! "$py" -m venv "$VENV" >/dev/null 2>&1; then
        rm -rf "$VENV"
        ver=$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
        say "'$py -m venv' failed: installing python3-venv"
        ensure_packages python3-venv "python$ver-venv"
        "$py" -m venv "$VENV" || die "'$py -m venv' still fails: install the venv module for $py"
    fi
    "$VENV/bin/python" -m pip install -q --upgrade pip || warn "could not upgrade pip; going on with $("$VENV/bin/pip" -V)"
}

# ensure_venv dev|base: .venv exists and holds the project installed from the current pyproject.toml.
ensure_venv() {
    local want=$1 hash have_hash="" have_extras="" spec
    if [[ -e $VENV ]] && ! { [[ -x $VENV/bin/python ]] && python_ok "$VENV/bin/python"; }; then
        warn ".venv is broken or too old; making a new one"
        rm -rf "$VENV"
    fi
    [[ -x $VENV/bin/python ]] || make_venv
    hash=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if [[ -f $STAMP ]]; then
        read -r have_hash have_extras <"$STAMP" || true
    fi
    if [[ $have_hash == "$hash" && ($want == base || $have_extras == dev) && -x $VENV/bin/integrity-desk ]]; then
        echo ".venv is up to date with pyproject.toml (${hash:0:12}, ${have_extras})"
        return 0
    fi
    spec=.
    [[ $want == dev ]] && spec='.[dev]'
    say "Installing the project into .venv: pip install -e '$spec'"
    rm -f "$STAMP"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$spec"
    echo "$hash $want" >"$STAMP"
}

use_venv() {
    export VIRTUAL_ENV=$VENV
    export PATH="$VENV/bin:$PATH"
    hash -r
}

# ---------------------------------------------------------------- PostgreSQL for the tests

# pg_answers HOST PORT: postgres@HOST:PORT/test accepts a connection (trust, no password).
pg_answers() {
    "$VENV/bin/python" - "$1" "$2" <<'PY'
import sys

import psycopg

try:
    psycopg.connect(
        host=sys.argv[1], port=int(sys.argv[2]), user="postgres", dbname="test", connect_timeout=3
    ).close()
except Exception as exc:  # noqa: BLE001 - any failure means "not usable"
    first = (str(exc).strip().splitlines() or [""])[0]
    print(f"  no: {type(exc).__name__}: {first}")
    sys.exit(1)
PY
}

free_port() {
    "$VENV/bin/python" - "$1" <<'PY'
import socket
import sys

start = int(sys.argv[1])
for port in range(start, start + 100):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
    print(port)
    break
else:
    sys.exit(f"no free port in {start}..{start + 99}")
PY
}

find_pg_bin() {
    local d
    while read -r d; do
        if [[ -x $d/initdb && -x $d/pg_ctl ]]; then
            echo "$d"
            return 0
        fi
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r)
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

start_throwaway_pg() {
    local port locale_opt=(--no-locale)
    PG_BIN=$(find_pg_bin) || {
        ensure_packages postgresql
        PG_BIN=$(find_pg_bin) || die "PostgreSQL's initdb/pg_ctl not found (Debian: apt-get install postgresql)"
    }
    PG_TMP=$(mktemp -d /tmp/integrity-desk-pg.XXXXXX)
    if ((EUID == 0)); then
        # initdb refuses to run as root: the cluster belongs to the postgres user.
        id postgres >/dev/null 2>&1 || die "user 'postgres' is missing (it comes with Debian's postgresql package)"
        chown postgres: "$PG_TMP"
        local runuser="" c
        for c in "$(command -v runuser || true)" /usr/sbin/runuser /sbin/runuser; do
            if [[ -n $c && -x $c ]]; then
                runuser=$c
                break
            fi
        done
        if [[ -n $runuser ]]; then
            PG_AS=("$runuser" -u postgres --)
        else
            PG_AS=(su)
        fi
    fi
    if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
        locale_opt=(--locale=C.UTF-8)
    fi
    port=$(free_port 55432)
    echo "throwaway cluster: $PG_BIN, data in $PG_TMP, port $port"
    as_pg "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres --auth=trust -E UTF8 "${locale_opt[@]}" \
        >"$PG_TMP/initdb.log" 2>&1 || {
        cat "$PG_TMP/initdb.log" >&2
        die "initdb failed"
    }
    as_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || {
        cat "$PG_TMP/server.log" >&2
        die "the throwaway PostgreSQL did not start"
    }
    as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres test || die "createdb test failed"
    pg_answers 127.0.0.1 "$port" || die "the throwaway PostgreSQL does not answer on 127.0.0.1:$port"
    export INTEGRITY_DESK_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/test"
}

setup_postgres() {
    if [[ -n ${INTEGRITY_DESK_TEST_PG_URL:-} ]]; then
        echo "using INTEGRITY_DESK_TEST_PG_URL from the environment"
    elif [[ ${INTEGRITY_DESK_FORCE_THROWAWAY_PG:-0} == 1 ]]; then
        echo "INTEGRITY_DESK_FORCE_THROWAWAY_PG=1: not probing 127.0.0.1:5432"
        start_throwaway_pg
    else
        echo "probing postgres@127.0.0.1:5432/test"
        if pg_answers 127.0.0.1 5432; then
            export INTEGRITY_DESK_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:5432/test"
        else
            start_throwaway_pg
        fi
    fi
    echo "INTEGRITY_DESK_TEST_PG_URL=$(sed -E 's#(//[^:/@]*):[^@]*@#\1:***@#' <<<"$INTEGRITY_DESK_TEST_PG_URL")"
}

# ---------------------------------------------------------------- test steps

run_pytest() {
    local rc=0
    # INTEGRITY_DESK_TEST_WORKERS=1 runs the suite in one process (each worker takes ~1 GB).
    python -m pytest -n "${INTEGRITY_DESK_TEST_WORKERS:-2}" --dist worksteal || rc=$?
    if ((rc == 5)); then
        echo "pytest collected no tests: that counts as a failure" >&2
    fi
    return "$rc"
}

build_app() {
    local base ver
    [[ -f build.spec ]] || die "build.spec is missing"
    # PyInstaller bundles libpython3.X.so, which Debian/Ubuntu ship apart from their python3.
    read -r base ver < <(python -c 'import sys; print(sys.base_prefix, "%d.%d" % sys.version_info[:2])')
    if [[ $base == /usr ]]; then
        ensure_packages "libpython$ver"
    fi
    command -v objdump >/dev/null 2>&1 || die "PyInstaller needs objdump (Debian: apt-get install binutils)"
    pyinstaller --noconfirm --clean --log-level WARN build.spec
    echo "dist/integrity-desk: $(du -sh dist/integrity-desk | cut -f1)"
}

smoke_test() {
    local exe=dist/integrity-desk/integrity-desk home out
    [[ -x $exe ]] || die "$exe was not built"
    home=$(mktemp -d)
    CLEANUP_DIRS+=("$home")
    echo "$exe --home $home --smoke-test"
    out=$(env -u INTEGRITY_DESK_DB_URL -u INTEGRITY_DESK_KEY_FILE -u INTEGRITY_DESK_HOME \
        "$exe" --home "$home" --smoke-test)
    printf '%s\n' "$out"
    grep -qx ok <<<"$out" || die "the built program did not print 'ok'"
}

want_step() {
    local steps=",${INTEGRITY_DESK_QUICKSTART_STEPS:-postgres,ruff,format,mypy,pytest,build,smoke},"
    [[ $steps == *",$1,"* ]]
}

mode_test() {
    export QT_QPA_PLATFORM=offscreen
    step "system packages" ensure_packages "${QT_OFFSCREEN_PKGS[@]}" "${QT_XCB_PKGS[@]}" "${FONT_PKGS[@]}" \
        "${TEST_PKGS[@]}"
    step "python environment (.venv, dev extras)" ensure_venv dev
    use_venv
    if want_step postgres; then step "postgresql for the tests" setup_postgres; fi
    if want_step ruff; then step "ruff check" ruff check desktop_app tests benchmarks; fi
    if want_step format; then step "ruff format --check" ruff format --check desktop_app tests benchmarks; fi
    if want_step mypy; then step "mypy" mypy; fi
    if want_step pytest; then step "pytest" run_pytest; fi
    if want_step build; then step "pyinstaller build" build_app; fi
    if want_step smoke; then step "smoke test of the built program" smoke_test; fi
    return 0
}

# ---------------------------------------------------------------- run

mode_run() {
    local home=${INTEGRITY_DESK_DEMO_HOME:-$HOME/IntegrityDesk-demo}
    ensure_packages "${QT_OFFSCREEN_PKGS[@]}" "${QT_XCB_PKGS[@]}" "${FONT_PKGS[@]}"
    ensure_venv base
    use_venv
    if [[ -n ${INTEGRITY_DESK_DB_URL:-}${INTEGRITY_DESK_KEY_FILE:-} ]]; then
        warn "the demo keeps its database and key file in $home: ignoring INTEGRITY_DESK_DB_URL/INTEGRITY_DESK_KEY_FILE"
        unset INTEGRITY_DESK_DB_URL INTEGRITY_DESK_KEY_FILE
    fi
    if [[ ! -f $home/integrity-desk.sqlite3 ]]; then
        say "Building the demo center in $home (the demo passwords below are shown only this once)"
        mkdir -p "$home"
        integrity-desk --home "$home" demo
    else
        echo "demo center: $home (to start over: integrity-desk --home '$home' demo --force)"
    fi
    if [[ $(uname -s) != Darwin && -z ${DISPLAY:-}${WAYLAND_DISPLAY:-}${QT_QPA_PLATFORM:-} ]]; then
        cat >&2 <<EOF

No graphical display: neither DISPLAY nor WAYLAND_DISPLAY is set, so the window cannot open here.
Everything is installed and the demo center is ready in $home. Run this command again from a
desktop session (or over 'ssh -X'), or start it on a virtual screen: xvfb-run -a bash .ci/quickstart.sh run
EOF
        exit 3
    fi
    say "Starting Integrity Desk: integrity-desk --home $home"
    trap - EXIT
    exec integrity-desk --home "$home"
}

case $MODE in
run) mode_run ;;
test) mode_test ;;
*) usage ;;
esac
