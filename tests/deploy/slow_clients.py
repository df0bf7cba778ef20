#!/usr/bin/env python3
"""Abusive clients for tests/deploy/haproxy_front.sh (loopback only, bounded in count and time).

slowloris HOST PORT N INTERVAL READY STOP DEADLINE
    Keeps N TLS connections open that each send a request line, then one header line every
    INTERVAL seconds and never finish the head (every tenth sends a whole head announcing a
    100,000-byte body, then one byte of body every INTERVAL seconds). A connection the server closes is replaced, as
    a real attacker would. Writes READY once the first N are connected; stops when the file
    STOP exists or after DEADLINE seconds. Prints one JSON object: how many connections were
    opened, refused, closed by the server (by the status it answered, "none" without an answer),
    the shortest and longest lifetime of those answered 408, and how many were still open at
    the stop.

burst HOST PORT N SOURCE CAFILE
    Sends N `GET /healthz` over HTTPS keep-alive (reconnecting when the server closes) from the
    local address SOURCE and prints how many got each status.

announce HOST PORT LENGTH CAFILE
    Sends over HTTPS the head of `POST /api/ballots` announcing a body of LENGTH bytes, sends no
    body, and prints the answer's status line and body (what the edge decides from the head).

probe HOST PORT N
    Opens N plain TCP connections that send nothing, waits 1.5 s and prints how many the server
    closed at once (refused by a per-source connection limit) and how many it kept.

flood HOST PORT N SOURCES INTERVAL READY STOP DEADLINE
    Keeps N connections open from SOURCES local addresses (127.0.0.2, 127.0.0.3, ..., N/SOURCES
    each): every other one a TLS connection that sends a request line and then a header line
    every INTERVAL seconds, the others plain TCP connections that never send a byte (not even a
    TLS ClientHello). Connections the server closes are replaced. Uses epoll, so N may exceed
    1024. Writes READY once N are open (or after 120 s with how many are); stops when STOP
    exists or after DEADLINE seconds. Prints one JSON object: opened, refused, closed by the
    server (by answered status, "none" without an answer), open at the stop, the most open at
    once.
"""
import selectors
import json
import os
import select
import socket
import ssl
import sys
import time


def slowloris(host, port, n, interval, ready, stop, deadline):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # the attacker does not care who answers
    start = time.monotonic()
    opened = refused = 0
    lifetimes, answers = [], {}  # lifetimes of the connections answered 408; status -> count
    conns = {}  # socket -> (opened_at, next header number)

    def open_one():
        nonlocal opened, refused
        try:
            raw = socket.create_connection((host, port), timeout=5)
            s = ctx.wrap_socket(raw, server_hostname=host)
            head = (b"POST /api/ballots HTTP/1.1\r\nHost: " + host.encode() +
                    b"\r\nContent-Type: application/json\r\n")
            if opened % 10 == 9:  # every tenth: a complete head, then a slow body (R.U.D.Y.)
                head += b"Content-Length: 100000\r\n\r\n{"
            s.sendall(head)
            s.setblocking(False)
            conns[s] = [time.monotonic(), 0, opened % 10 == 9]
            opened += 1
        except (OSError, ssl.SSLError):
            refused += 1

    for _ in range(n):
        open_one()
    with open(ready, "w") as f:
        f.write("%d\n" % len(conns))
    next_send = time.monotonic() + interval
    while not os.path.exists(stop) and time.monotonic() - start < deadline:
        closed = []
        readable, _, _ = select.select(list(conns), [], [], 0.2)
        for s in readable:
            try:
                data = s.recv(4096)
            except ssl.SSLWantReadError:
                continue
            except OSError:
                data = b""
            status = data[9:12].decode(errors="replace") if data.startswith(b"HTTP/1.") else "none"
            answers[status] = answers.get(status, 0) + 1
            if status == "408":
                lifetimes.append(time.monotonic() - conns[s][0])
            closed.append(s)
        if time.monotonic() >= next_send:
            next_send += interval
            for s, state in conns.items():
                if s in closed:
                    continue
                state[1] += 1
                try:
                    s.send(b" " if state[2] else b"X-Slow-%d: still here\r\n" % state[1])
                except (ssl.SSLWantWriteError, BlockingIOError):
                    pass
                except OSError:
                    answers["none"] = answers.get("none", 0) + 1
                    closed.append(s)
        for s in closed:
            conns.pop(s)
            s.close()
        while len(conns) < n and time.monotonic() - start < deadline and not os.path.exists(stop):
            before = refused
            open_one()
            if refused > before:
                break  # refused (e.g. per-source limit): try again on the next round
    still_open = len(conns)
    for s in conns:
        s.close()
    print(json.dumps({
        "opened": opened, "refused": refused, "closed_by_server": answers,
        "still_open_at_stop": still_open,
        "min_lifetime_s": round(min(lifetimes), 2) if lifetimes else None,
        "max_lifetime_s": round(max(lifetimes), 2) if lifetimes else None,
        "ran_s": round(time.monotonic() - start, 2)}))


def probe(host, port, n):
    socks = []
    for _ in range(n):
        try:
            socks.append(socket.create_connection((host, port), timeout=5))
        except OSError:
            socks.append(None)
    time.sleep(1.5)
    closed = kept = 0
    for s in socks:
        if s is None:
            closed += 1
            continue
        s.setblocking(False)
        try:
            closed += 1 if s.recv(1) == b"" else 0
        except BlockingIOError:
            kept += 1
        except OSError:
            closed += 1
        s.close()
    print(json.dumps({"closed_at_once": closed, "kept": kept}))


def announce(host, port, length, cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    with ctx.wrap_socket(socket.create_connection((host, port), timeout=10),
                         server_hostname=host) as s:
        s.sendall(b"POST /api/ballots HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
                  b"Content-Length: %d\r\n\r\n" % (host.encode(), length))
        answer = b""
        while True:
            try:
                data = s.recv(4096)
            except (socket.timeout, OSError):
                break
            if not data:
                break
            answer += data
            if b"\r\n\r\n" in answer and answer.endswith(b"}"):
                break
    head, _, body = answer.partition(b"\r\n\r\n")
    print(head.split(b"\r\n")[0].decode(), body.decode())


def burst(host, port, n, source, cafile):
    import http.client
    ctx = ssl.create_default_context(cafile=cafile)
    codes = {}
    conn = None
    for _ in range(n):
        if conn is None:
            conn = http.client.HTTPSConnection(host, port, context=ctx, timeout=10,
                                               source_address=(source, 0))
        conn.request("GET", "/healthz")
        response = conn.getresponse()
        response.read()
        codes[str(response.status)] = codes.get(str(response.status), 0) + 1
        if response.will_close:
            conn.close()
            conn = None
    print(json.dumps(codes, sort_keys=True))


def flood(host, port, n, sources, interval, ready, stop, deadline):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    sel = selectors.DefaultSelector()  # epoll: no 1024-descriptor limit
    start = time.monotonic()
    opened = refused = most = 0
    answers = {}
    conns = {}  # socket -> [tls?, header number]

    def open_one(i):
        nonlocal opened, refused
        source = "127.0.0.%d" % (2 + i % sources)
        tls = i % 2 == 0
        try:
            raw = socket.create_connection((host, port), timeout=5, source_address=(source, 0))
            s = raw
            if tls:
                s = ctx.wrap_socket(raw, server_hostname=host)
                s.sendall(b"POST /api/ballots HTTP/1.1\r\nHost: " + host.encode() + b"\r\n")
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ)
            conns[s] = [tls, 0]
            opened += 1
        except (OSError, ssl.SSLError):
            refused += 1

    i = 0
    while len(conns) < n and time.monotonic() - start < 120:
        open_one(i)
        i += 1
    with open(ready, "w") as f:
        f.write("%d\n" % len(conns))
    next_send = time.monotonic() + interval
    while not os.path.exists(stop) and time.monotonic() - start < deadline:
        closed = []
        for key, _ in sel.select(0.2):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except (ssl.SSLWantReadError, BlockingIOError):
                continue
            except OSError:
                data = b""
            status = data[9:12].decode(errors="replace") if data.startswith(b"HTTP/1.") else "none"
            answers[status] = answers.get(status, 0) + 1
            closed.append(s)
        if time.monotonic() >= next_send:
            next_send += interval
            for s, state in conns.items():
                if not state[0] or s in closed:
                    continue
                state[1] += 1
                try:
                    s.send(b"X-Slow-%d: still here\r\n" % state[1])
                except (ssl.SSLWantWriteError, BlockingIOError):
                    pass
                except OSError:
                    closed.append(s)
        for s in closed:
            if s in conns:
                sel.unregister(s)
                conns.pop(s)
                s.close()
        most = max(most, len(conns))
        budget = 200  # replacements per round, so the loop keeps reading
        while len(conns) < n and budget > 0 and not os.path.exists(stop):
            before = refused
            open_one(i)
            i += 1
            budget -= 1
            if refused > before:
                break
    still_open = len(conns)
    for s in conns:
        s.close()
    print(json.dumps({"opened": opened, "refused": refused, "closed_by_server": answers,
                      "still_open_at_stop": still_open, "most_open": most,
                      "ran_s": round(time.monotonic() - start, 2)}))


if __name__ == "__main__":
    if sys.argv[1] == "slowloris":
        slowloris(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]),
                  sys.argv[6], sys.argv[7], float(sys.argv[8]))
    elif sys.argv[1] == "burst":
        burst(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6])
    elif sys.argv[1] == "announce":
        announce(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    elif sys.argv[1] == "probe":
        probe(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif sys.argv[1] == "flood":
        flood(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]),
              float(sys.argv[6]), sys.argv[7], sys.argv[8], float(sys.argv[9]))
    else:
        sys.exit("usage: slow_clients.py slowloris|announce|burst|probe|flood ...")
