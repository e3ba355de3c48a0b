"""Drives distributor's event socket with greenswitch, an ESL client library from PyPI.

Usage: esl_client_check.py PORT PASSWORD GATEWAY
Authenticates, runs `api sofia profile external gwlist down`, subscribes to
CUSTOM sofia::gateway_state and waits (20 s at most) for GATEWAY to go DOWN.
Prints what it saw; exits 0 when everything arrived.
"""
import sys

import gevent
import greenswitch

port, password, gateway = int(sys.argv[1]), sys.argv[2], sys.argv[3]
client = greenswitch.InboundESL(host="127.0.0.1", port=port, password=password)
client.connect()
reply = client.send("api sofia profile external gwlist down")
print("gwlist down before: %r" % reply.data)
seen = []
client.register_handle("sofia::gateway_state", lambda event: seen.append(dict(event.headers)))
print("subscribe: %s" % client.send("events plain CUSTOM sofia::gateway_state").data)
for _ in range(200):
    if any(e.get("Gateway") == gateway and e.get("Ping-Status") == "DOWN" for e in seen):
        break
    gevent.sleep(0.1)
down = client.send("api sofia profile external gwlist down").data
print("gwlist down after: %r" % down)
print("events: %r" % [(e.get("Gateway"), e.get("State"), e.get("Ping-Status")) for e in seen])
client.stop()
ok = any(e.get("Gateway") == gateway and e.get("Ping-Status") == "DOWN" for e in seen) and down == gateway + " "
sys.exit(0 if ok else 1)
