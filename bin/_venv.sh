# Sourced by bin/run and bin/test: make .venv and install a requirements file into it.
# Needs only python3 (3.11+). Usage: ensure_venv requirements.txt

die() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

create_venv() {
    local out
    # Debian/Ubuntu ship ensurepip separately: venv then fails and leaves a half-made
    # .venv behind, which is removed so the next run starts clean.
    if ! out=$(python3 -m venv .venv 2>&1); then
        rm -rf .venv
        if grep -qi ensurepip <<<"$out"; then
            printf 'python3 cannot create a virtualenv because ensurepip is missing. Install it with:\n\n' >&2
            printf '    apt-get install -y python3-venv\n\n(prefix with sudo if you are not root), then run this again.\n' >&2
            exit 1
        fi
        die "python3 -m venv .venv failed:"$'\n'"$out"
    fi
}

ensure_venv() {
    local requirements=$1
    command -v python3 >/dev/null || die "python3 is not installed (need Python 3.11 or newer)."
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || die "python3 is $(python3 -V 2>&1 | cut -d' ' -f2); this project needs Python 3.11 or newer."
    # A .venv without pip is the leftover of a failed creation: make it again.
    if [[ ! -x .venv/bin/python ]] || ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
        echo "creating .venv"
        rm -rf .venv
        create_venv
        # The pip that venv bundles is old; a current one resolves extras and wheels as tested.
        .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
    fi
    # Reinstalling on every start costs seconds; the stamp records what was last installed.
    local stamp=".venv/.${requirements}.sha256" want
    want=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
    if [[ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]]; then
        echo "installing $requirements into .venv"
        .venv/bin/python -m pip install -q --disable-pip-version-check -r "$requirements"
        echo "$want" >"$stamp"
    fi
}
