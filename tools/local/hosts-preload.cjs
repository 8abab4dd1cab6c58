/**
 * A Node.js preload (`node --require hosts-preload.cjs app.mjs`) that answers the names of a hosts file from that
 * file, the stand-in in tests for the private DNS that answers the proxy's names inside the consumer's VPC. The
 * application's code is unchanged: it still dials the name, and TLS still verifies the name. Every other name
 * goes to the system resolver as before.
 *
 * The file is the one named by the LOCAL_HOSTS_FILE environment variable, in /etc/hosts format (an IPv4 address,
 * then names). Only `dns.lookup` is answered, which is what `net.connect` (and so node-postgres and mysql2) uses
 * to resolve a host name.
 */
"use strict";
const dns = require("node:dns");
const fs = require("node:fs");

const file = process.env.LOCAL_HOSTS_FILE;
if (!file) {
    throw new Error(
        "hosts-preload.cjs: set LOCAL_HOSTS_FILE to a hosts file (address, then names, per line).",
    );
}
const answers = new Map();
for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const [address, ...names] = line.replace(/#.*/, "").trim().split(/\s+/);
    if (!address) continue;
    for (const name of names) answers.set(name.toLowerCase(), address);
}

const systemLookup = dns.lookup;
dns.lookup = function lookup(hostname, options, callback) {
    const cb = typeof options === "function" ? options : callback;
    const opts =
        typeof options === "function" ? {} : typeof options === "number" ? { family: options } : options;
    const address = typeof hostname === "string" ? answers.get(hostname.toLowerCase()) : undefined;
    if (address === undefined) return systemLookup.call(dns, hostname, options, callback);
    process.nextTick(() => (opts && opts.all ? cb(null, [{ address, family: 4 }]) : cb(null, address, 4)));
    return {};
};
