#!/usr/bin/env python3
"""Create COUNT account secrets through the REST API on 4 keep-alive connections.

Usage: load-secrets.py BASE_URL COUNT. Credentials come from MVSIM_ACCOUNT_SID and
MVSIM_AUTH_TOKEN. Exits non-zero on the first response other than 201.
"""
import base64
import http.client
import os
import sys
import threading
import urllib.parse

CONNECTIONS = 4


def create_range(host, port, auth, first, last, failures):
    connection = http.client.HTTPConnection(host, port, timeout=30)
    headers = {"Authorization": auth, "Content-Type": "application/x-www-form-urlencoded"}
    for n in range(first, last):
        body = urllib.parse.urlencode({"Key": f"load-{n:06d}", "Value": f"not-a-real-secret-{n}"})
        connection.request("POST", "/v1/Secrets", body, headers)
        response = connection.getresponse()
        response.read()
        if response.status != 201:
            failures.append(f"create of load-{n:06d} returned HTTP {response.status}")
            return
    connection.close()


def main():
    url = urllib.parse.urlsplit(sys.argv[1])
    count = int(sys.argv[2])
    pair = f"{os.environ['MVSIM_ACCOUNT_SID']}:{os.environ['MVSIM_AUTH_TOKEN']}"
    auth = "Basic " + base64.b64encode(pair.encode()).decode()

    failures = []
    share = (count + CONNECTIONS - 1) // CONNECTIONS
    threads = [
        threading.Thread(target=create_range,
                         args=(url.hostname, url.port, auth, i * share, min(count, (i + 1) * share), failures))
        for i in range(CONNECTIONS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        sys.exit("load-secrets: " + failures[0])


if __name__ == "__main__":
    main()
