# Shared by the guix OS scripts (sourced from the OS directory, Ganeti's working
# directory for them): logging, the variant configuration and the OS parameters.

log() {
    echo "guix ${SCRIPT_NAME:-script}: $*" >&2
}

die() {
    log "$@"
    exit 1
}

# As with ganeti-instance-guix, this directory's variants.list is a link into the
# variants directory the host configuration renders (etc/ganeti/instance-guix/variants),
# so the variant files are found next to its target, in a relocated root too.
if [ -z "${VARIANTS_DIR:-}" ]; then
    if [ -e variants.list ]; then
        VARIANTS_DIR=$(dirname "$(readlink -f variants.list)")
    else
        VARIANTS_DIR=/etc/ganeti/instance-guix/variants
    fi
fi

# Sets VARIANT_CONFIG to the Guix System configuration of $OS_VARIANT (default "default").
find_variant_config() {
    variant=${OS_VARIANT:-default}
    case "$variant" in
        "" | .* | */*) die "invalid variant name '$variant'" ;;
    esac
    VARIANT_CONFIG="$VARIANTS_DIR/$variant.scm"
    if [ ! -e "$VARIANT_CONFIG" ]; then
        die "variant '$variant' has no configuration: $VARIANT_CONFIG does not exist" \
            "(declare it among the guix variants of the host configuration)"
    fi
}

# Fails with the reason when an OS parameter has a value the create script cannot use.
check_parameters() {
    case "${OSP_FILESYSTEM:-ext4}" in
        ext2 | ext3 | ext4 | xfs | btrfs) ;;
        *) die "parameter filesystem: '${OSP_FILESYSTEM}' is not one of ext2, ext3, ext4, xfs, btrfs" ;;
    esac
    case "${OSP_COMMIT:-}" in
        *[!0-9a-f]*) die "parameter commit: '${OSP_COMMIT}' is not a hexadecimal commit id" ;;
    esac
    case "${OSP_BRANCH:-}" in
        -* | *[!A-Za-z0-9._/-]*) die "parameter branch: '${OSP_BRANCH}' is not a valid branch name" ;;
    esac
    case "${OSP_REPO_URI:-}" in
        "" | https://* | http://* | git://* | file://* | /*) ;;
        *) die "parameter repo_uri: '${OSP_REPO_URI}' is not a URL or an absolute path" ;;
    esac
    case "${OSP_SYSTEM:-}" in
        -* | *[!A-Za-z0-9_.-]*) die "parameter system: '${OSP_SYSTEM}' is not a system type such as x86_64-linux" ;;
    esac
    case "${OSP_TARGET:-}" in
        -* | *[!A-Za-z0-9_.-]*) die "parameter target: '${OSP_TARGET}' is not a target triplet such as aarch64-linux-gnu" ;;
    esac
}

# The guix program: PATH (Ganeti gives scripts a fixed one), then where Guix installs it.
find_guix() {
    for candidate in "$(command -v guix 2>/dev/null || true)" \
        /var/guix/profiles/per-user/root/current-guix/bin/guix \
        /run/current-system/profile/bin/guix \
        /usr/local/bin/guix; do
        if [ -n "$candidate" ] && [ -x "$candidate" ]; then
            GUIX="$candidate"
            return 0
        fi
    done
    die "the guix command is not installed on this node (searched PATH=$PATH," \
        "/var/guix/profiles/per-user/root/current-guix/bin, /run/current-system/profile/bin," \
        "/usr/local/bin): install GNU Guix to create Guix instances"
}
