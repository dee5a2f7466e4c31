#!/usr/bin/env bash
# A throwaway Dovecot 2.3 IMAP server on 127.0.0.1 for the test session
# (its own config file: no system config, no systemd).
# usage: dovecot.sh start|stop|status
#   env: DC_ROOT (folder, must be reachable by the mail user: mode 0755, not
#        pytest's 0700 tmp_path when run as root), DC_PORT (IMAP + STARTTLS,
#        plaintext login allowed on purpose), DC_TLS_PORT (implicit TLS)
# Files under DC_ROOT: dovecot.conf, users, dovecot.log, mail/<user>/Maildir,
#   ca.pem (the CA clients trust), cert.pem + key.pem (server, for 127.0.0.1
#   and localhost), other-ca.pem + other-cert.pem + other-key.pem (a second,
#   untrusted CA and a server pair it signed: for "refuse this certificate").
# Users (passwd-file): alice@example.test / secret, bob@example.test / secret2.
set -euo pipefail
cd /
DC_ROOT=${DC_ROOT:?DC_ROOT must be set}
DC_PORT=${DC_PORT:?DC_PORT must be set}
DC_TLS_PORT=${DC_TLS_PORT:?DC_TLS_PORT must be set}
DOVECOT=${DOVECOT:-/usr/sbin/dovecot}
CONF=$DC_ROOT/dovecot.conf
PIDFILE=$DC_ROOT/run/master.pid
[ -x "$DOVECOT" ] || { echo "dovecot not found (apt-get install dovecot-imapd)" >&2; exit 3; }

make_ca() { # name CN
  cat >"$DC_ROOT/tls/$1.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
[dn]
CN = $2
[ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
EOF
  openssl req -x509 -new -config "$DC_ROOT/tls/$1.cnf" -extensions ext -nodes -days 3650 \
    -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -keyout "$DC_ROOT/tls/$1-key.pem" -out "$DC_ROOT/$1.pem" 2>/dev/null
}

make_server_cert() { # ca-name cert-out key-out
  cat >"$DC_ROOT/tls/server.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
[dn]
CN = localhost
[ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF
  openssl req -new -config "$DC_ROOT/tls/server.cnf" -nodes \
    -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -keyout "$2" -out "$DC_ROOT/tls/server.csr" 2>/dev/null
  openssl x509 -req -in "$DC_ROOT/tls/server.csr" -days 825 \
    -CA "$DC_ROOT/$1.pem" -CAkey "$DC_ROOT/tls/$1-key.pem" -set_serial "0x$(openssl rand -hex 8)" \
    -extfile "$DC_ROOT/tls/server.cnf" -extensions ext -out "$3" 2>/dev/null
}

make_certs() {
  [ -f "$DC_ROOT/cert.pem" ] && return 0
  mkdir -p "$DC_ROOT/tls"
  chmod 700 "$DC_ROOT/tls"
  make_ca ca "Touchpoint Test CA"
  make_server_cert ca "$DC_ROOT/key.pem" "$DC_ROOT/cert.pem"
  make_ca other-ca "Touchpoint Untrusted Test CA"
  make_server_cert other-ca "$DC_ROOT/other-key.pem" "$DC_ROOT/other-cert.pem"
  chmod 600 "$DC_ROOT/key.pem" "$DC_ROOT/other-key.pem"
}

write_conf() {
  mkdir -p "$DC_ROOT/run" "$DC_ROOT/state" "$DC_ROOT/mail"
  chmod 755 "$DC_ROOT" "$DC_ROOT/mail"
  make_certs
  cat >"$DC_ROOT/users" <<EOF
alice@example.test:{PLAIN}secret::::::
bob@example.test:{PLAIN}secret2::::::
EOF
  if [ "$(id -u)" = 0 ]; then
    # Mail processes may not run as root: the mailboxes belong to nobody, the
    # login processes run as dovenull and the internal ones as dovecot (the
    # users the dovecot-core package creates).
    mail_uid=$(id -u nobody); mail_gid=$(id -g nobody)
    login_user=dovenull; internal_user=dovecot; unprivileged=""; no_chroot=""
    chown "$mail_uid:$mail_gid" "$DC_ROOT/mail"
  else
    # Unprivileged: every process runs as the caller, and nothing may chroot.
    mail_uid=$(id -u); mail_gid=$(id -g)
    login_user=$(id -un); internal_user=$(id -un)
    unprivileged="default_internal_group = $(id -gn)"
    no_chroot="chroot ="
  fi
  cat >"$CONF" <<EOF
# Test-only Dovecot 2.3 configuration, written by tests/rigs/dovecot.sh
instance_name = tp-dovecot-$DC_PORT
base_dir = $DC_ROOT/run
state_dir = $DC_ROOT/state
log_path = $DC_ROOT/dovecot.log
protocols = imap
listen = 127.0.0.1
shutdown_clients = yes
default_login_user = $login_user
default_internal_user = $internal_user
$unprivileged

ssl = yes
ssl_cert = <$DC_ROOT/cert.pem
ssl_key = <$DC_ROOT/key.pem
ssl_min_protocol = TLSv1.2
# The plain port offers STARTTLS and still accepts a plaintext login, so the
# tests can exercise the app's explicit, warned "no TLS" choice.
disable_plaintext_auth = no
auth_mechanisms = plain login
# a failed login is answered at the auth process's next 0.5 s tick, not after 2 s
auth_failure_delay = 0
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DC_ROOT/users
}
userdb {
  driver = static
  args = uid=$mail_uid gid=$mail_gid home=$DC_ROOT/mail/%u
}

mail_location = maildir:~/Maildir
mail_fsync = never
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \Sent
    auto = subscribe
  }
  mailbox Drafts {
    special_use = \Drafts
    auto = subscribe
  }
  mailbox Trash {
    special_use = \Trash
    auto = subscribe
  }
  # a subfolder, to prove that sync leaves subfolders alone
  mailbox INBOX/Projects {
    auto = subscribe
  }
}

protocol imap {
  mail_max_userip_connections = 200
}
# No auth penalty: anvil would delay every login from 127.0.0.1 for up to 15 s
# after a failed one, and the tests fail logins on purpose.
service anvil {
  $no_chroot
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
  $no_chroot
  inet_listener imap {
    address = 127.0.0.1
    port = $DC_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $DC_TLS_PORT
    ssl = yes
  }
}
EOF
}

# alive PID: a process that has not exited (an unreaped zombie counts as gone)
alive() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null) && [ -n "$st" ] && [ "${st#Z}" = "$st" ]; }

running() { [ -f "$PIDFILE" ] && alive "$(cat "$PIDFILE")"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

case "${1:-}" in
  start)
    running && { echo "dovecot already running in $DC_ROOT" >&2; exit 1; }
    write_conf
    # The master binds its listeners before it goes to the background, so a
    # taken port fails here, with the reason in the log.
    # The daemon must not keep the caller's stdout/stderr open (a caller that
    # captures them would wait for EOF forever): it logs to dovecot.log.
    if ! "$DOVECOT" -c "$CONF" </dev/null >>"$DC_ROOT/dovecot.log" 2>&1; then
      tail -n 20 "$DC_ROOT/dovecot.log" >&2 2>/dev/null || true
      exit 1
    fi
    for _ in $(seq 200); do
      port_open "$DC_PORT" && port_open "$DC_TLS_PORT" && exit 0
      sleep 0.025
    done
    echo "dovecot did not open 127.0.0.1:$DC_PORT / $DC_TLS_PORT" >&2
    tail -n 20 "$DC_ROOT/dovecot.log" >&2 || true
    exit 1
    ;;
  stop)
    [ -f "$PIDFILE" ] || exit 0
    pid=$(cat "$PIDFILE")
    # The daemonized master leads its own session and process group, and its
    # children stay in it. On TERM it closes its listeners and stops its
    # services, then idles ~1 s before it exits (5 s and more when a child is
    # still busy, e.g. right after start). This is a throwaway instance: once
    # only the master and its log process are left, or after 1 s at most,
    # kill the group (and only that group).
    pgid=$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ') || pgid=""
    [ "$pgid" = "$pid" ] || pgid=""
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
      alive "$pid" || break
      if [ -n "$pgid" ]; then
        others=$(ps -o pid=,stat= -g "$pgid" | awk -v m="$pid" '$1 != m && $2 !~ /^Z/' | wc -l)
        [ "$others" -le 1 ] && break
      fi
      sleep 0.02
    done
    if [ -n "$pgid" ]; then
      kill -KILL -- "-$pgid" 2>/dev/null || true
    else
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PIDFILE"
    ;;
  status)
    if running; then echo "running pid=$(cat "$PIDFILE")"; else echo stopped; exit 1; fi
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
