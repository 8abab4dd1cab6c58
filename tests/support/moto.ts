// The moto set-up of the target-sync integration files, once: a moto server, a DNS server for the `dns` IP source,
// and the plain SDK clients that build fixtures. The plain server is started once per run and shared (every test
// builds its own VPC, target group and table, so files do not see each other's resources); each file points the
// process at it in its `before` and restores the environment in its `after`, so files without moto never run with
// it. A server that enforces IAM is the file's own: its administrator and users are that file's.
import { startDnsServer, type DnsServer } from "../../tools/local/dns-server";
import { startMoto, type Moto } from "../../tools/local/moto";
import { fixtureClients, REGION } from "../../tools/local/sync-fixtures";

/** What a file's tests use; valid from the file's `before` hooks on. */
export interface MotoSetup {
    readonly moto: Moto;
    readonly dns: DnsServer;
    /** SDK clients for fixtures, created while the process points at `moto`. */
    readonly fx: ReturnType<typeof fixtureClients>;
}

let shared: Promise<Moto> | undefined;

// A root-level hook (registered while the first file importing this module loads): the shared server stops once,
// after the last file.
after(async () => {
    const started = shared;
    shared = undefined;
    await (await started)?.stop();
});

/**
 * Registers the enclosing suite's set-up and tear-down: moto (shared, or the suite's own with IAM enforced), a DNS
 * server and fixture clients. Call it first in the suite, so its `before` runs before the suite's own.
 */
export function useMoto(options: { iam?: boolean } = {}): () => MotoSetup {
    let setup: MotoSetup | undefined;
    let restore: (() => void) | undefined;
    let own: Moto | undefined;
    before(async function () {
        this.timeout(120_000);
        let moto: Moto;
        if (options.iam) {
            moto = own = await startMoto(REGION, { iam: true });
        } else {
            shared ??= startMoto(REGION, { environment: false });
            moto = await shared;
            restore = moto.environment();
        }
        setup = { moto, dns: await startDnsServer(), fx: fixtureClients() };
    });
    after(async () => {
        await setup?.dns.stop();
        restore?.();
        await own?.stop();
    });
    return () => {
        if (setup === undefined) {
            throw new Error("moto is not running: useMoto's before hook failed.");
        }
        return setup;
    };
}
