#!/usr/bin/env bash
# Makes this machine a DERP host stand-in (called by scripts/infra.sh): podman's Docker-compatible API on a unix
# socket, an SSH key-only user that may use it, SSH keys, the stand-in relay image, and sshd instances on loopback.
#   scripts/relay-hosts.sh up            install, start the engine and the demo hosts' sshd (127.0.0.1:2222-2224)
#   scripts/relay-hosts.sh sshd PORT     start one more sshd on 127.0.0.1:PORT (tests start and stop their own)
#   scripts/relay-hosts.sh image         (re)build the stand-in relay image when deploy/relay-standin changed
#   scripts/relay-hosts.sh down          stop what `up` started
# Everything shared by every checkout on the machine lives in $DERP_SSH_DIR (default /var/tmp/derp/ssh).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SSH_DIR="${DERP_SSH_DIR:-/var/tmp/derp/ssh}"
DOCKER_SOCKET=/run/podman/podman.sock
HOST_USER=derphost
IMAGE=localhost/derp-relay-standin:latest
DEMO_PORTS=(2222 2223 2224)

log() { printf '[relay-hosts] %s\n' "$*"; }

install_packages() {
  local missing=()
  command -v podman >/dev/null || missing+=(podman)
  command -v runc >/dev/null || missing+=(runc)
  [ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -x nc >/dev/null || missing+=(busybox-static)
  [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
  command -v ssh >/dev/null || missing+=(openssh-client)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # podman's recommends bring its network stack (netavark, aardvark-dns) needed for published ports.
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  # crun fails on these machines (hybrid cgroups): runc, cgroupfs, file events.
  mkdir -p /etc/containers/containers.conf.d
  cat > /etc/containers/containers.conf.d/50-local.conf <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
}

start_engine() {
  if curl -fsS --unix-socket "$DOCKER_SOCKET" http://d/_ping >/dev/null 2>&1; then log "container engine already running"; else
    mkdir -p "$(dirname "$DOCKER_SOCKET")"
    nohup podman system service --time=0 "unix://$DOCKER_SOCKET" >"$SSH_DIR/podman.log" 2>&1 &
    echo $! >"$SSH_DIR/podman.pid"
    for _ in $(seq 1 40); do curl -fsS --unix-socket "$DOCKER_SOCKET" http://d/_ping >/dev/null 2>&1 && break; sleep 0.25; done
    log "container engine (podman, Docker API) on $DOCKER_SOCKET"
  fi
  # The SSH user reaches the engine through the socket, as a docker-group user does on a real host.
  chgrp "$HOST_USER" "$DOCKER_SOCKET" && chmod 660 "$DOCKER_SOCKET"
}

prepare_ssh() {
  mkdir -p "$SSH_DIR" && chmod 755 "$SSH_DIR"
  id "$HOST_USER" >/dev/null 2>&1 || useradd --system --create-home --shell /bin/sh "$HOST_USER"
  usermod -p '*' "$HOST_USER" # key-only: a '!' password counts as locked when UsePAM is off
  [ -f "$SSH_DIR/host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C derp-demo-host -f "$SSH_DIR/host_ed25519_key"
  # The platform's key for the demo hosts (registered through the API like any host's key).
  [ -f "$SSH_DIR/platform_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C derp-platform -f "$SSH_DIR/platform_ed25519"
  install -m 644 "$SSH_DIR/platform_ed25519.pub" "$SSH_DIR/authorized_keys"
  chmod 644 "$SSH_DIR/platform_ed25519" # readable by the services of every checkout on this dev machine
}

build_image() {
  # Rebuilt when the stand-in's scripts change (their hash is the image's label); relays already running keep theirs.
  local hash; hash=$(cat "$ROOT"/deploy/relay-standin/* | sha256sum | cut -c1-16)
  if [ "$(podman image inspect --format '{{index .Labels "derp.standin"}}' "$IMAGE" 2>/dev/null)" = "$hash" ]; then return; fi
  local work; work=$(mktemp -d)
  mkdir -p "$work/rootfs/bin" "$work/rootfs/usr/local/bin" "$work/rootfs/run" "$work/rootfs/tmp"
  cp /bin/busybox "$work/rootfs/bin/busybox"
  for applet in sh mkdir echo cat sleep nc wget awk tr cut grep readlink printf timeout tee wc touch mkfifo rm; do ln -s busybox "$work/rootfs/bin/$applet"; done
  install -m 755 "$ROOT/deploy/relay-standin/derper" "$ROOT/deploy/relay-standin/derper-client" "$work/rootfs/usr/local/bin/"
  tar -C "$work/rootfs" -cf "$work/rootfs.tar" .
  podman import --change 'ENTRYPOINT ["/usr/local/bin/derper"]' --change "LABEL derp.standin=$hash" "$work/rootfs.tar" "$IMAGE" >/dev/null
  rm -rf "$work"
  log "built the stand-in relay image $IMAGE ($hash)"
}

start_sshd() { # port
  local port=$1 config="$SSH_DIR/sshd-$1.conf"
  if nc -z 127.0.0.1 "$port" 2>/dev/null; then return; fi
  mkdir -p /run/sshd
  cat > "$config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $SSH_DIR/host_ed25519_key
PidFile $SSH_DIR/sshd-$port.pid
AuthorizedKeysFile $SSH_DIR/authorized_keys
AllowUsers $HOST_USER
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowStreamLocalForwarding yes
AllowTcpForwarding local
X11Forwarding no
PrintMotd no
MaxStartups 100:30:200
LogLevel ERROR
CONF
  /usr/sbin/sshd -f "$config" -E "$SSH_DIR/sshd-$port.log"
  for _ in $(seq 1 40); do nc -z 127.0.0.1 "$port" 2>/dev/null && return; sleep 0.1; done
  log "sshd on 127.0.0.1:$port did not start; see $SSH_DIR/sshd-$port.log"; return 1
}

case "${1:-up}" in
  up)
    install_packages
    prepare_ssh
    start_engine
    build_image
    for port in "${DEMO_PORTS[@]}"; do start_sshd "$port"; done
    log "demo hosts: sshd on 127.0.0.1:${DEMO_PORTS[*]} (user $HOST_USER, host key $(ssh-keygen -lf "$SSH_DIR/host_ed25519_key.pub" | cut -d' ' -f2))"
    ;;
  sshd) start_sshd "$2" ;;
  image) build_image ;;
  down)
    for pid_file in "$SSH_DIR"/sshd-*.pid "$SSH_DIR/podman.pid"; do
      [ -f "$pid_file" ] && kill "$(cat "$pid_file")" 2>/dev/null || true
      rm -f "$pid_file"
    done
    ;;
  *) echo "usage: $0 up|sshd PORT|image|down" >&2; exit 2 ;;
esac
