/**
 * Benchmark of the proxy IP sync against moto_server (and a local DNS server for the dns source): for 2, 20
 * and 250 proxy IPs, the AWS API calls per
 * sync (first sync, no-op sync, one-IP change, removal at the miss threshold) and the median wall time
 * of each. Numbers are printed, never asserted; wall times against moto on loopback measure our code plus
 * moto, not AWS latency. Run: `npm run bench` (all benchmarks) or
 * `npx ts-node --transpile-only bench/target-sync.ts` (this one).
 */
import { createClients, destroyClients } from "../components/target-sync/aws";
import type { MissState } from "../components/target-sync/reconcile";
import { syncOnce, type SyncOptions } from "../components/target-sync/sync";
import {
    addProxyEni,
    createNetwork,
    createTargetGroup,
    deleteEni,
    fixtureClients,
    ipOf,
    placement,
    REGION,
} from "../tools/local/sync-fixtures";
import { startDnsServer, type DnsServer } from "../tools/local/dns-server";
import { startMoto } from "../tools/local/moto";

const SIZES = [2, 20, 250];
const REPS = 5;
const THRESHOLD = 3;

interface Measured {
    calls: string;
    medianMs: number;
}

function median(values: number[]): number {
    const s = [...values].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Summarizes API calls as `N (Describe…×a, Register…×b)`. */
function summarize(calls: string[]): string {
    const counts = new Map<string, number>();
    for (const c of calls) {
        const short = c.replace(/Command$/, "");
        counts.set(short, (counts.get(short) ?? 0) + 1);
    }
    return `${calls.length} (${[...counts].map(([k, v]) => `${k}×${v}`).join(", ")})`;
}

async function timed(fn: () => Promise<void>, calls: string[]): Promise<{ ms: number; calls: string[] }> {
    calls.length = 0;
    const t0 = process.hrtime.bigint();
    await fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    return { ms, calls: [...calls] };
}

/** The proxy's IPs as one source sees them, with a way to replace the oldest one. */
interface World {
    options(tg: string): SyncOptions;
    replaceOne(): Promise<void>;
}

async function benchSize(
    n: number,
    source: "eni" | "dns",
    dns: DnsServer,
): Promise<Record<string, Measured>> {
    const fx = fixtureClients();
    const calls: string[] = [];
    const clients = createClients({ region: REGION }, (_s, c) => calls.push(c));
    try {
        const net = await createNetwork(fx.ec2);
        let next = n;
        let world: World;
        if (source === "eni") {
            const enis: string[] = [];
            for (let i = 0; i < n; i++) {
                enis.push(await addProxyEni(fx.ec2, net, "bench", ipOf(net, i)));
            }
            world = {
                options: (tg) => ({
                    source: "eni",
                    proxyName: "bench",
                    ...placement(net),
                    targetGroupArn: tg,
                    port: 5432,
                    missesBeforeDeregister: THRESHOLD,
                }),
                async replaceOne() {
                    await deleteEni(fx.ec2, enis.shift() as string);
                    enis.push(await addProxyEni(fx.ec2, net, "bench", ipOf(net, next++)));
                },
            };
        } else {
            const host = `bench-${n}.proxy-bench.${REGION}.rds.amazonaws.com`;
            const ips = Array.from({ length: n }, (_, i) => ipOf(net, i));
            dns.set(host, { ips });
            world = {
                options: (tg) => ({
                    source: "dns",
                    proxyName: "bench",
                    vpcId: net.vpcId,
                    subnetCidrs: [net.subnetCidr],
                    proxyEndpoint: host,
                    dnsServer: dns.address,
                    targetGroupArn: tg,
                    port: 5432,
                    missesBeforeDeregister: THRESHOLD,
                }),
                async replaceOne() {
                    ips.shift();
                    ips.push(ipOf(net, next++));
                    dns.set(host, { ips: [...ips] });
                },
            };
        }
        const options = (tg: string) => world.options(tg);

        const first: { ms: number; calls: string[] }[] = [];
        let tg = "";
        let misses: MissState = {};
        for (let r = 0; r < REPS; r++) {
            tg = await createTargetGroup(fx.elbv2, net.vpcId);
            first.push(
                await timed(async () => {
                    misses = (await syncOnce(clients, options(tg), {})).misses;
                }, calls),
            );
        }

        const noop: { ms: number; calls: string[] }[] = [];
        for (let r = 0; r < REPS; r++) {
            noop.push(
                await timed(async () => {
                    misses = (await syncOnce(clients, options(tg), misses)).misses;
                }, calls),
            );
        }

        // One IP replaced: the new one is registered at once; the old one is removed THRESHOLD syncs later.
        const change: { ms: number; calls: string[] }[] = [];
        const removal: { ms: number; calls: string[] }[] = [];
        for (let r = 0; r < REPS; r++) {
            await world.replaceOne();
            change.push(
                await timed(async () => {
                    misses = (await syncOnce(clients, options(tg), misses)).misses;
                }, calls),
            );
            for (let k = 1; k < THRESHOLD - 1; k++) {
                misses = (await syncOnce(clients, options(tg), misses)).misses;
            }
            removal.push(
                await timed(async () => {
                    misses = (await syncOnce(clients, options(tg), misses)).misses;
                }, calls),
            );
        }
        const pack = (runs: { ms: number; calls: string[] }[]): Measured => ({
            calls: summarize(runs[runs.length - 1].calls),
            medianMs: median(runs.map((x) => x.ms)),
        });
        return {
            "first sync": pack(first),
            "no-op sync": pack(noop),
            "one-IP change": pack(change),
            [`removal (miss ${THRESHOLD})`]: pack(removal),
        };
    } finally {
        destroyClients(clients);
        fx.ec2.destroy();
        fx.elbv2.destroy();
        fx.dynamodb.destroy();
    }
}

/** Runs the benchmark and prints its table; used by bench/index.ts and standalone. */
export async function main(): Promise<void> {
    const moto = await startMoto(REGION);
    try {
        const dns = await startDnsServer();
        try {
            console.log(
                `target-sync: API calls per sync and median wall time of ${REPS} runs (moto_server, local DNS server)`,
            );
            console.log(["source", "IPs", "sync", "API calls", "median ms"].join("\t"));
            let slowest = 0;
            for (const source of ["eni", "dns"] as const) {
                for (const n of SIZES) {
                    const rows = await benchSize(n, source, dns);
                    for (const [kind, m] of Object.entries(rows)) {
                        console.log([source, n, kind, m.calls, m.medianMs.toFixed(1)].join("\t"));
                    }
                    slowest = Math.max(slowest, rows["no-op sync"].medianMs, rows["one-IP change"].medianMs);
                }
            }
            console.log(
                `convergence bound after an IP change: a new IP is registered within one schedule period plus one sync ` +
                    `(slowest median sync here ${slowest.toFixed(0)} ms); a vanished IP is deregistered within ` +
                    `missesBeforeDeregister (${THRESHOLD}) periods plus one sync, or at the next sync once the NLB reports it unhealthy or unused.`,
            );
        } finally {
            await dns.stop();
        }
    } finally {
        await moto.stop();
    }
}

if (require.main === module) {
    main().catch((err: unknown) => {
        console.error(err);
        process.exitCode = 1;
    });
}
