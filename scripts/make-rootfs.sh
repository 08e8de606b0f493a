#!/usr/bin/env bash
# make-rootfs.sh DIR: build a minimal container rootfs from Debian's busybox-static.
#
# DIR gets /bin/busybox and one symlink per applet in /bin (usr/bin -> ../bin, so that
# /usr/bin/env works), the usual empty top-level directories, and /etc/{passwd,group,hostname}
# with root, nobody, a "runcs" user (1000:1000) and an "extra" group (1001) that runcs belongs
# to, so tests can check user and supplementary-group handling.
#
# Idempotent: running it again over an existing DIR refreshes what it owns and leaves the rest.
# No network: everything comes from the host's busybox-static package.
set -euo pipefail

usage() { echo "usage: ${0##*/} DIR" >&2; exit 2; }
die() { echo "${0##*/}: $*" >&2; exit 1; }

[[ $# -eq 1 && -n $1 ]] || usage
root=$1

# The dynamically linked "busybox" package also ships /bin/busybox, but that one needs the host's
# libc inside the container, so insist on the static build by package name.
busybox=/bin/busybox
if ! dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed' \
    || [[ ! -x $busybox ]]; then
    die "busybox-static is not installed (apt-get install -y busybox-static)"
fi

mkdir -p "$root"
chmod 0755 "$root"
cd "$root"

# Top-level directories. Modes are set every time, since mkdir -m only applies on creation.
mkdir -p bin dev proc sys tmp etc root run var usr home/runcs
chmod 0755 bin dev proc sys etc run var usr home
chmod 1777 tmp
chmod 0700 root
chown 1000:1000 home/runcs

# Copy the binary only when it changed: a running container may be using this rootfs.
if ! cmp -s "$busybox" bin/busybox; then
    install -m 0755 "$busybox" bin/busybox.new
    mv -f bin/busybox.new bin/busybox
fi

# One relative symlink per applet ("busybox --list" names busybox itself too: skip it).
# Existing symlinks are kept as they are; this avoids ~270 ln processes on a re-run.
while IFS= read -r applet; do
    [[ $applet == busybox || -L bin/$applet ]] && continue
    ln -sf busybox "bin/$applet"
done < <("$busybox" --list)

# /usr/bin points back at /bin, as on a merged-/usr system. Refuse to nest a link inside a
# real directory someone put there.
if [[ -d usr/bin && ! -L usr/bin ]]; then
    die "$root/usr/bin is a directory; expected a symlink to ../bin"
fi
ln -sfn ../bin usr/bin

cat > etc/passwd <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
runcs:x:1000:1000:runcs:/home/runcs:/bin/sh
EOF

cat > etc/group <<'EOF'
root:x:0:
nogroup:x:65534:
runcs:x:1000:
extra:x:1001:runcs
EOF

echo runcs > etc/hostname
chmod 0644 etc/passwd etc/group etc/hostname
