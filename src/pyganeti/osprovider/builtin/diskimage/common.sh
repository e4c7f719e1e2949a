# Shared by the diskimage OS scripts (sourced from the OS directory, Ganeti's working
# directory for them): logging, the image a variant or the `image` parameter names,
# its format and size, and the size of a target disk.

log() {
    echo "diskimage ${SCRIPT_NAME:-script}: $*" >&2
}

die() {
    log "$@"
    exit 1
}

# variants.list here is a link into etc/ganeti/instance-diskimage/variants (install.py makes
# it), so the variant files are found next to its target, in a relocated root too.
if [ -z "${VARIANTS_DIR:-}" ]; then
    if [ -e variants.list ]; then
        VARIANTS_DIR=$(dirname "$(readlink -f variants.list)")
    else
        VARIANTS_DIR=/etc/ganeti/instance-diskimage/variants
    fi
fi

# Sets IMAGE and IMAGE_FORMAT (raw or qcow2): the `image` parameter wins over the
# variant's IMAGE= (Ganeti always passes a variant, the first listed when none is named).
find_image() {
    IMAGE=""
    IMAGE_FORMAT=""
    if [ -n "${OSP_IMAGE:-}" ]; then
        IMAGE=$OSP_IMAGE
        IMAGE_FORMAT=${OSP_IMAGE_FORMAT:-}
    else
        variant=${OS_VARIANT:-default}
        case "$variant" in
            "" | .* | */*) die "invalid variant name '$variant'" ;;
        esac
        conf="$VARIANTS_DIR/$variant.conf"
        [ -f "$conf" ] || die "variant '$variant' has no configuration: $conf does not exist" \
            "(and no 'image' OS parameter was given)"
        # shellcheck disable=SC1090
        . "$conf"
        [ -n "$IMAGE" ] || die "variant '$variant': $conf sets no IMAGE="
        IMAGE_FORMAT=${OSP_IMAGE_FORMAT:-${IMAGE_FORMAT:-}}
    fi
    case "$IMAGE" in
        /*) ;;
        *) die "image '$IMAGE' is not an absolute path" ;;
    esac
    [ -f "$IMAGE" ] || die "image '$IMAGE' does not exist on this node (or is not a file)"
    [ -r "$IMAGE" ] || die "image '$IMAGE' is not readable"
    case "$IMAGE_FORMAT" in
        raw | qcow2) ;;
        "") IMAGE_FORMAT=$(qemu-img info "$IMAGE" 2>/dev/null | sed -n 's/^file format: //p') ;;
        *) die "parameter image_format: '$IMAGE_FORMAT' is not raw or qcow2" ;;
    esac
    case "$IMAGE_FORMAT" in
        raw | qcow2) ;;
        *) die "image '$IMAGE' has format '${IMAGE_FORMAT:-unknown}', not raw or qcow2" ;;
    esac
}

# The guest-visible size in bytes of $IMAGE (a qcow2 image's virtual size).
image_size() {
    if [ "$IMAGE_FORMAT" = raw ]; then
        stat -L -c %s "$IMAGE"
    else
        qemu-img info -f qcow2 "$IMAGE" | sed -n 's/^virtual size: .*(\([0-9]*\) bytes).*/\1/p'
    fi
}

# The size in bytes of a disk path (a file or a block device).
disk_size() {
    if [ -b "$1" ]; then
        blockdev --getsize64 "$1"
    else
        stat -L -c %s "$1"
    fi
}

# Fails with the reason when an OS parameter has a value the scripts cannot use.
check_parameters() {
    case "${OSP_IMAGE:-}" in
        "" | /*) ;;
        *) die "parameter image: '${OSP_IMAGE}' is not an absolute path" ;;
    esac
    case "${OSP_IMAGE_FORMAT:-}" in
        "" | raw | qcow2) ;;
        *) die "parameter image_format: '${OSP_IMAGE_FORMAT}' is not raw or qcow2" ;;
    esac
    case "${OSP_HOSTNAME:-}" in
        -* | *[!A-Za-z0-9.-]*) die "parameter hostname: '${OSP_HOSTNAME}' is not a host name" ;;
    esac
    case "${OSP_CLOUD_INIT_USER_DATA:-}" in
        /*) [ -f "$OSP_CLOUD_INIT_USER_DATA" ] ||
            die "parameter cloud_init_user_data: file '$OSP_CLOUD_INIT_USER_DATA' does not exist" ;;
    esac
}

# A cloud-init seed is wanted when any parameter that feeds it is set.
seed_requested() {
    [ -n "${OSP_CLOUD_INIT_USER_DATA:-}${OSP_HOSTNAME:-}${OSP_SSH_AUTHORIZED_KEY:-}" ]
}
