# Helpers shared by the benchmark scripts; sourced by them, not run on its own.

need() { # need COMMAND PACKAGE: installs the Debian package when the command is missing
  command -v "$1" >/dev/null 2>&1 && return
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

wrk_summary() { # wrk_summary FILE -> "rps p50_ms p99_ms non2xx socket_errors" of wrk --latency output
  python3 - "$1" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
def ms(v, unit):
    v = float(v); return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
rps = re.search(r"Requests/sec:\s+([\d.]+)", t)
lat = {m.group(1): ms(m.group(2), m.group(3)) for m in re.finditer(r"\s(50|99)%\s+([\d.]+)(us|ms|s)", t)}
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
err = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", t)
errors = sum(int(x) for x in err.groups()) if err else 0
print(f"{float(rps.group(1)) if rps else 0:.0f} {lat.get('50', 0):.3f} {lat.get('99', 0):.3f} {non2xx.group(1) if non2xx else 0} {errors}")
PY
}

nginx_conf() { # nginx_conf WORK PORT GZIP(on|off): writes WORK/nginx.conf serving WORK/www on PORT
  mkdir -p "$1/tmp"
  cat > "$1/nginx.conf" <<NGX
worker_processes 1;
pid $1/nginx.pid;
error_log $1/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 1000000;
  types { text/html html; }
  gzip $3; gzip_types text/html;
  client_body_temp_path $1/tmp; proxy_temp_path $1/tmp; fastcgi_temp_path $1/tmp; uwsgi_temp_path $1/tmp; scgi_temp_path $1/tmp;
  server { listen 127.0.0.1:$2; root $1/www; }
}
NGX
}
