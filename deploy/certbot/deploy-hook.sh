#!/bin/sh
# certbot deploy hook: after every issuance and renewal, copy the certificate and key to where the gateway reads them
# (docker-compose: ./data/certs, mounted at /etc/derp/certs), readable by the gateway's user and nobody else.
# Install:  install -m 755 deploy/certbot/deploy-hook.sh /etc/letsencrypt/renewal-hooks/deploy/derp.sh
# Settings: DERP_CERT_DIR (/srv/derp/data/certs), DERP_CERT_OWNER (1654, the `app` user of the .NET images).
# The gateway checks the files every minute and serves the new certificate to new connections: no restart.
set -eu
: "${RENEWED_LINEAGE:?run by certbot (or by hand with RENEWED_LINEAGE=/etc/letsencrypt/live/<domain>)}"
target="${DERP_CERT_DIR:-/srv/derp/data/certs}"
owner="${DERP_CERT_OWNER:-1654}"
mkdir -p "$target"
for file in fullchain.pem privkey.pem; do
  # A temporary file in the same directory renamed over the old one: the gateway never reads half a file.
  tmp="$target/.$file.new"
  cp -L "$RENEWED_LINEAGE/$file" "$tmp"
  chown "$owner" "$tmp"
  chmod 0400 "$tmp"
  mv -f "$tmp" "$target/$file"
done
echo "derp: installed $(basename "$RENEWED_LINEAGE") certificate into $target"
