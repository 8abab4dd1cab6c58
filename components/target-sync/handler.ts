/**
 * The scheduled Lambda (DESIGN.md §4, way 2). Bundled with esbuild by the TargetSync component; configured
 * through environment variables the component sets; keeps the miss state in the component's DynamoDB table.
 * Writes exactly one JSON log line per sync and throws on failure, so the Lambda `Errors` metric (and the
 * path's alarm on it, in components/monitoring) counts failed syncs.
 */
import { createClients, destroyClients, type CallObserver } from "./aws";
import type { Surface } from "../../vocabulary/rules";
import { parseStrings } from "./config";
import { syncWithStoredMisses } from "./run";
import type { SyncReport } from "./sync";

/** Environment variables the component sets on the function. */
export const ENV = {
    targetGroupArn: "TARGET_SYNC_TARGET_GROUP_ARN",
    proxyName: "TARGET_SYNC_PROXY_NAME",
    proxyEndpoint: "TARGET_SYNC_PROXY_ENDPOINT",
    vpcId: "TARGET_SYNC_VPC_ID",
    proxySubnetIds: "TARGET_SYNC_PROXY_SUBNET_IDS",
    proxySubnetCidrs: "TARGET_SYNC_PROXY_SUBNET_CIDRS",
    proxySecurityGroupIds: "TARGET_SYNC_PROXY_SECURITY_GROUP_IDS",
    source: "TARGET_SYNC_SOURCE",
    dnsServer: "TARGET_SYNC_DNS_SERVER",
    port: "TARGET_SYNC_PORT",
    missesBeforeDeregister: "TARGET_SYNC_MISSES_BEFORE_DEREGISTER",
    stateTableName: "TARGET_SYNC_STATE_TABLE",
} as const;

/** Environment variables as a surface: they are fixed by deploying the stack, not by hand. */
const ENV_SURFACE: Surface = {
    key: (path) => (path === "region" ? "AWS_REGION" : ((ENV as Record<string, string>)[path] ?? path)),
    subject: (path) => `Environment variable ${ENV_SURFACE.key(path)}`,
    fix: () =>
        "The TargetSync component sets it: deploy the db-account stack again (pulumi up) to restore it.",
};

/** Runs one scheduled sync with the configuration in `env`; logs one line; rejects on failure. */
export async function runScheduledSync(
    env: Record<string, string | undefined> = process.env,
    log: (line: string) => void = (line) => console.log(line),
    observe?: CallObserver,
): Promise<SyncReport> {
    const started = Date.now();
    const parsed = parseStrings(
        {
            targetGroupArn: env[ENV.targetGroupArn],
            proxyName: env[ENV.proxyName],
            proxyEndpoint: env[ENV.proxyEndpoint],
            vpcId: env[ENV.vpcId],
            proxySubnetIds: env[ENV.proxySubnetIds],
            proxySubnetCidrs: env[ENV.proxySubnetCidrs],
            proxySecurityGroupIds: env[ENV.proxySecurityGroupIds],
            source: env[ENV.source],
            dnsServer: env[ENV.dnsServer],
            port: env[ENV.port],
            missesBeforeDeregister: env[ENV.missesBeforeDeregister],
            region: env.AWS_REGION,
            stateTableName: env[ENV.stateTableName],
        },
        ENV_SURFACE,
    );
    if (!parsed.inputs) {
        const message = `Invalid configuration: ${parsed.problems.map((p) => p.message).join(" ")}`;
        log(JSON.stringify({ level: "error", event: "target-sync", ok: false, error: message }));
        throw new Error(message);
    }
    const inputs = parsed.inputs;
    // The function has no EC2 endpoint in dns mode, so it never looks the subnets' CIDRs up: they are deployed
    // with it, as EC2 reported them to the dynamic resource.
    for (const key of ["stateTableName", "proxySubnetCidrs"] as const) {
        if (!inputs[key]) {
            const message = `Invalid configuration: ${ENV[key]} is required for the scheduled sync.`;
            log(JSON.stringify({ level: "error", event: "target-sync", ok: false, error: message }));
            throw new Error(message);
        }
    }
    const subnetCidrs = inputs.proxySubnetCidrs ?? [];
    const clients = createClients({ region: inputs.region }, observe);
    try {
        const report = await syncWithStoredMisses(clients, { ...inputs, subnetCidrs });
        log(
            JSON.stringify({
                // A target on another port was found (and removed): someone registered it, worth a look.
                level: report.deregistered.some((d) => d.reason === "other-port") ? "warn" : "info",
                event: "target-sync",
                ok: true,
                targetGroupArn: inputs.targetGroupArn,
                source: inputs.source,
                found: report.found,
                registered: report.registered,
                deregistered: report.deregistered,
                misses: report.kept,
                targets: report.targets.length,
                mutatingCalls: report.mutatingCalls,
                durationMs: Date.now() - started,
            }),
        );
        return report;
    } catch (err) {
        log(
            JSON.stringify({
                level: "error",
                event: "target-sync",
                ok: false,
                targetGroupArn: inputs.targetGroupArn,
                source: inputs.source,
                error: `${(err as Error).name}: ${(err as Error).message}`,
                durationMs: Date.now() - started,
            }),
        );
        throw err;
    } finally {
        destroyClients(clients);
    }
}

/** Lambda entry point (EventBridge scheduled event; the event's content is not used). */
export async function handler(): Promise<{ registered: number; deregistered: number; targets: number }> {
    const report = await runScheduledSync();
    return {
        registered: report.registered.length,
        deregistered: report.deregistered.length,
        targets: report.targets.length,
    };
}
