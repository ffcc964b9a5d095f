# Sourced by the install_*.sh scripts: apt_install_missing PURPOSE PACKAGE...
# installs the Debian packages given (the ones the caller found missing), as
# root or through sudo, updating the package lists only when a first install
# fails; without either it stops, naming the packages to install by hand.
apt_install_missing() {
    local purpose="$1"
    shift
    local sudo_command
    if [ "$(id -u)" -eq 0 ]; then
        sudo_command=""
    elif command -v sudo >/dev/null 2>&1; then
        sudo_command="sudo"
    else
        echo "Missing Debian packages for $purpose: $*, and this user cannot install them." >&2
        echo "Install them with: apt-get install $*" >&2
        exit 1
    fi

    echo "Installing Debian packages for $purpose: $*..."
    export DEBIAN_FRONTEND=noninteractive
    if ! $sudo_command apt-get install -y -q "$@" >/dev/null; then
        $sudo_command apt-get update -q >/dev/null
        $sudo_command apt-get install -y -q "$@" >/dev/null
    fi
}
