"""
Runs moto's server (the same as the `moto_server` command) with one change: a network interface created with
the tag `moto:requester-managed` = `true` reports `RequesterManaged` true and `RequesterId` `amazon-rds`, as
EC2 reports the interfaces an AWS service (here RDS Proxy) creates on your behalf. moto reports every
interface as not requester-managed, and its API cannot create one that is; the sync refuses interfaces that
are not, so the tests mark their proxy fixtures with this tag.

Usage: python3 moto_server.py -H 127.0.0.1 -p PORT (the options of moto_server).
"""

import inspect
import sys

from moto.ec2.models import elastic_network_interfaces
from moto.server import main

MARK_TAG = "moto:requester-managed"

_NetworkInterface = elastic_network_interfaces.NetworkInterface
_original_init = _NetworkInterface.__init__
_signature = inspect.signature(_original_init)


def _init(self, *args, **kwargs):
    _original_init(self, *args, **kwargs)
    tags = _signature.bind(self, *args, **kwargs).arguments.get("tags") or {}
    if tags.get(MARK_TAG) == "true":
        self.requester_managed = True
        self.requester_id = "amazon-rds"


_NetworkInterface.__init__ = _init

if __name__ == "__main__":
    main(sys.argv[1:])
