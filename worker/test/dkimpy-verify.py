"""Verifies a DKIM signature with dkimpy (Debian python3-dkim), an implementation independent of ours.
Reads {"raw": base64 message, "txt": {name: record}} on stdin; prints {"ok": bool, "log": str}."""
import base64
import io
import json
import logging
import sys

import dkim

request = json.load(sys.stdin)
records = {name.lower().rstrip('.'): value for name, value in request['txt'].items()}


def dnsfunc(name, timeout=5):
    value = records.get(name.decode('ascii').lower().rstrip('.'))
    return value.encode('ascii') if value is not None else None


log = io.StringIO()
logger = logging.getLogger('dkimpy')
logger.addHandler(logging.StreamHandler(log))
logger.setLevel(logging.DEBUG)
ok = dkim.verify(base64.b64decode(request['raw']), logger=logger, dnsfunc=dnsfunc)
print(json.dumps({'ok': bool(ok), 'log': log.getvalue()}))
