#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tests/crash/crash_test.py -- kill -9 durability test for xiangzhi.

Every round starts `xiangzhi serve` on one data directory and database shared by
all rounds, has many keep-alive clients POST write probes to /api/v1/ops/probe,
and SIGKILLs the server at a random moment while writes are in flight. A second
server is then started on the same database and must return every write that
was acknowledged (HTTP 201) with the same note; writes that were sent but never
acknowledged may or may not exist. The second server is stopped with SIGTERM and
must exit 0, and `xiangzhi verify log` must find the verifiable log and the
probes in agreement (each acknowledged probe has its leaf). Rounds also re-check
a sample of earlier rounds' writes, and the last round re-checks all of them.

    python3 tests/crash/crash_test.py --bin build/xiangzhi --rounds 20
    python3 tests/crash/crash_test.py --bin build/xiangzhi --db postgresql://...

Prints one line per round and finally "crash: N passed, M failed"; exits 1 if
any round failed, 2 on a setup error. Python 3 standard library only.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

PROBE_PATH = "/api/v1/ops/probe"
START_TIMEOUT = 15.0  # seconds for a server to answer /healthz
STOP_TIMEOUT = 20.0  # seconds for a clean SIGTERM shutdown
HTTP_TIMEOUT = 10.0  # seconds per request
VERIFY_THREADS = 8
SAMPLE_EARLIER = 300  # earlier rounds' writes re-checked per round


class SetupError(Exception):
    """The test could not run (bad binary, init failed): not a durability verdict."""


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `xiangzhi serve` process with its output in a log file."""

    def __init__(self, args, db_url, log_path):
        self.args = args
        self.db_url = db_url
        self.log_path = log_path
        self.proc = None
        self.port = None

    def start(self):
        # A free port can be taken between probing and binding; try a few.
        for _ in range(5):
            self.port = free_port()
            cmd = [self.args.bin, "serve", "--data", self.args.data, "--db", self.db_url,
                   "--listen", "127.0.0.1:%d" % self.port, "--access-log", "off"]
            with open(self.log_path, "ab") as log:
                self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                             stderr=subprocess.STDOUT)
            # Another program may own the port we probed; then our server exits
            # ("cannot listen") while the other answers /healthz. Make sure
            # ours is still alive after the answer.
            if self._wait_healthy():
                time.sleep(0.2)
                if self.proc.poll() is None:
                    return
                continue
            if self.proc.poll() is None:
                self.kill()
                raise SetupError("server did not answer /healthz in %.0fs" % START_TIMEOUT)
        raise SetupError("server kept exiting at start (exit %s); see %s"
                         % (self.proc.returncode, self.log_path))

    def _wait_healthy(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                status, body = http_get(self.port, "/healthz", timeout=1.0)
                if status == 200 and b"ok" in body:
                    return True
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.02)
        return False

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def terminate(self):
        """SIGTERM; returns the exit status, or None if it did not stop in time."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def log_tail(self, lines=20):
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return ""
        return "\n".join("      | " + l for l in text.splitlines()[-lines:])


def http_get(port, path, timeout=HTTP_TIMEOUT):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


class Writer(threading.Thread):
    """One client: POSTs probes on a keep-alive connection until the server dies.
    'killed' is set just before the SIGKILL: errors after it are expected."""

    def __init__(self, port, rnd, client, killed):
        super().__init__(daemon=True)
        self.port = port
        self.rnd = rnd
        self.client = client
        self.killed = killed
        self.acked = []  # (id, note)
        self.sent = 0  # requests started
        self.errors = []  # problems seen while the server was meant to be alive

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=HTTP_TIMEOUT)
        seq = 0
        try:
            while True:  # until the dead server makes a request fail
                seq += 1
                note = "round %d client %d seq %d" % (self.rnd, self.client, seq)
                if not self.post(conn, note):
                    return
        finally:
            conn.close()

    def post(self, conn, note):
        body = json.dumps({"note": note})
        self.sent += 1
        try:
            conn.request("POST", PROBE_PATH, body=body,
                         headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException) as e:
            if not self.killed.is_set():
                self.errors.append("%s: %r while the server was running" % (note, e))
            return False
        if resp.status != 201:
            self.errors.append("%s: HTTP %d %r" % (note, resp.status, data[:200]))
            return False
        try:
            obj = json.loads(data)
            pid = int(obj["id"])
        except (ValueError, KeyError, TypeError):
            self.errors.append("%s: bad 201 body %r" % (note, data[:200]))
            return False
        if obj.get("note") != note:
            self.errors.append("%s: 201 echoed note %r" % (note, obj.get("note")))
        self.acked.append((pid, note))
        return True


def verify(port, writes):
    """GET every (id, note); returns (verified count, list of problems)."""
    problems = []
    counts = [0] * VERIFY_THREADS
    lock = threading.Lock()

    def work(k):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)
        try:
            for pid, note in writes[k::VERIFY_THREADS]:
                msg = check_one(conn, pid, note)
                if msg:
                    with lock:
                        problems.append(msg)
                else:
                    counts[k] += 1
        except (OSError, http.client.HTTPException) as e:
            with lock:
                problems.append("verification connection failed: %r" % (e,))
        finally:
            conn.close()

    threads = [threading.Thread(target=work, args=(k,), daemon=True)
               for k in range(VERIFY_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts), problems


def check_one(conn, pid, note):
    conn.request("GET", "%s/%d" % (PROBE_PATH, pid))
    resp = conn.getresponse()
    data = resp.read()
    if resp.status == 404:
        return "LOST acknowledged write id %d (%s)" % (pid, note)
    if resp.status != 200:
        return "id %d: HTTP %d %r" % (pid, resp.status, data[:200])
    try:
        doc = json.loads(data)
    except ValueError:
        return "id %d: bad body %r" % (pid, data[:200])
    if doc.get("note") != note:
        return "id %d: note %r, acknowledged as %r" % (pid, doc.get("note"), note)
    if not isinstance(doc.get("tlog_index"), int):
        return "id %d: acknowledged without its leaf in the log" % pid
    return None


class Round:
    def __init__(self, args, db_url, rnd, earlier):
        self.args = args
        self.db_url = db_url
        self.rnd = rnd
        self.earlier = earlier  # acknowledged writes of previous rounds
        self.problems = []
        self.acked = []
        self.sent = 0
        self.log = os.path.join(args.data, "serve-%02d.log" % rnd)

    def run(self, last):
        """Returns True when the round passed; self.acked gets its writes."""
        t0 = time.monotonic()
        victim = Server(self.args, self.db_url, self.log)
        victim.start()
        try:
            delay = self.write_and_kill(victim)
        finally:
            victim.kill()
        checker = Server(self.args, self.db_url, self.log)
        checker.start()
        try:
            verified, older = self.check(checker, last)
        finally:
            status = checker.terminate()
        if status != 0:
            self.problems.append("verification server exited %s after SIGTERM, not 0"
                                 % ("by timeout" if status is None else status))
        # The log and the records agree after the kill: every hash recomputes
        # from the entries and every probe matches the leaf it committed with.
        res = subprocess.run([self.args.bin, "verify", "log", "--data", self.args.data,
                              "--db", self.db_url], stdin=subprocess.DEVNULL,
                             capture_output=True, text=True, check=False)
        if res.returncode != 0:
            self.problems.append("xiangzhi verify log exited %d: %s"
                                 % (res.returncode, (res.stdout + res.stderr)[-400:]))
        ids = [pid for pid, _ in self.acked]
        if len(set(ids)) != len(ids):
            self.problems.append("an id was acknowledged twice")
        if not self.acked:
            self.problems.append("no write was acknowledged before the kill")
        print("round %2d: killed after %.2fs; %d sent, %d acknowledged, %d verified, "
              "%d unacknowledged, %d earlier re-checked; %.1fs %s"
              % (self.rnd, delay, self.sent, len(self.acked), verified,
                 self.sent - len(self.acked), older, time.monotonic() - t0,
                 "ok" if not self.problems else "FAILED"), flush=True)
        for p in self.problems[:20]:
            print("    " + p, flush=True)
        if len(self.problems) > 20:
            print("    ... and %d more" % (len(self.problems) - 20), flush=True)
        if self.problems:
            print("    server log %s:\n%s" % (self.log, victim.log_tail()), flush=True)
        return not self.problems

    def write_and_kill(self, server):
        killed = threading.Event()
        writers = [Writer(server.port, self.rnd, c, killed) for c in range(self.args.clients)]
        for w in writers:
            w.start()
        delay = random.uniform(self.args.min_delay, self.args.max_delay)
        time.sleep(delay)
        # Clients keep sending through the kill, so writes are in flight when it
        # lands; 'killed' is set first only so their errors count as expected.
        if server.proc.poll() is not None:
            self.problems.append("server died on its own before the kill (exit %s)"
                                 % server.proc.returncode)
        killed.set()
        server.kill()
        for w in writers:
            w.join(HTTP_TIMEOUT + 5)
            if w.is_alive():
                self.problems.append("client %d hung after the kill" % w.client)
            self.acked.extend(w.acked)
            self.sent += w.sent
            self.problems.extend(w.errors)
        return delay

    def check(self, server, last):
        verified, problems = verify(server.port, self.acked)
        self.problems.extend(problems)
        older = self.earlier
        if not last and len(older) > SAMPLE_EARLIER:
            older = random.sample(older, SAMPLE_EARLIER)
        n, problems = verify(server.port, older)
        self.problems.extend(problems)
        return verified, n


def run_cmd(cmd):
    res = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, check=False)
    if res.returncode != 0:
        raise SetupError("%s exited %d:\n%s" % (" ".join(cmd), res.returncode,
                                                res.stdout.decode("utf-8", "replace")))


def parse_args(argv):
    p = argparse.ArgumentParser(description="kill -9 durability test for xiangzhi")
    p.add_argument("--bin", default="build/xiangzhi", help="the xiangzhi binary")
    p.add_argument("--rounds", type=int, default=20)
    p.add_argument("--db-kind", choices=["sqlite", "postgresql"], default="sqlite")
    p.add_argument("--db", help="database URL (postgresql://...); default sqlite:DATA/x.db")
    p.add_argument("--data", help="data directory (default: a new temporary one)")
    p.add_argument("--clients", type=int, default=16, help="concurrent writers")
    p.add_argument("--min-delay", type=float, default=0.3, help="seconds before the kill")
    p.add_argument("--max-delay", type=float, default=1.5)
    p.add_argument("--seed", type=int, help="random seed, to replay a run's timing")
    p.add_argument("--keep", action="store_true", help="keep the data directory")
    args = p.parse_args(argv)
    if args.db_kind == "postgresql" and not args.db:
        p.error("--db-kind postgresql needs --db postgresql://...")
    if args.rounds < 1 or args.clients < 1 or not 0 < args.min_delay <= args.max_delay:
        p.error("need --rounds >= 1, --clients >= 1 and 0 < --min-delay <= --max-delay")
    return args


def main(argv):
    args = parse_args(argv)
    args.bin = os.path.abspath(args.bin)
    if not os.access(args.bin, os.X_OK):
        print("crash: %s is not an executable" % args.bin, file=sys.stderr)
        return 2
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    random.seed(seed)
    temp = args.data is None
    if temp:
        args.data = tempfile.mkdtemp(prefix="xiangzhi-crash-")
    os.makedirs(args.data, exist_ok=True)
    args.data = os.path.abspath(args.data)
    db_url = args.db or "sqlite:%s/x.db" % args.data
    print("crash: %d rounds, %d clients, seed %d, data %s, db %s"
          % (args.rounds, args.clients, seed, args.data, db_url.split("@")[-1]), flush=True)
    passed = failed = 0
    earlier = []
    try:
        run_cmd([args.bin, "init", "--data", args.data, "--db", db_url])
    except SetupError as e:
        print("crash: setup error: %s" % e, flush=True)
        return 2
    try:
        for rnd in range(1, args.rounds + 1):
            r = Round(args, db_url, rnd, earlier)
            try:
                ok = r.run(last=rnd == args.rounds)
            except SetupError as e:
                # After the first round a server that cannot start is itself a
                # durability failure (a database left unusable by the kill).
                print("round %2d: FAILED: %s" % (rnd, e), flush=True)
                print(Server(args, db_url, r.log).log_tail(), flush=True)
                failed += 1
                break
            passed += ok
            failed += not ok
            earlier.extend(r.acked)
    except KeyboardInterrupt:
        print("crash: interrupted", flush=True)
        failed += 1
    print("crash: %d passed, %d failed" % (passed, failed), flush=True)
    if temp and not args.keep and failed == 0:
        shutil.rmtree(args.data, ignore_errors=True)
    elif failed:
        print("crash: data kept in %s" % args.data, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
