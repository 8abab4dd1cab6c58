/**
 * What the canary checks, as plain data its Lambda reads from its environment: one entry per endpoint of the
 * `connection` output (the writer, and the read-only endpoint when the producer publishes one), with the name to
 * dial and verify, the user, and where the credential comes from. Built by the app-account stack from the same
 * `connection` value it exports, so the canary connects exactly as applications are told to.
 *
 * Bundled into the canary Lambda: nothing here may import @pulumi/pulumi.
 */
import type { DatabaseLogin } from "../../../vocabulary/access/mode";
import type { Engine } from "../../../vocabulary/engines";
import type { ProbeTarget } from "./connect";
import type { CredentialSource } from "./credentials";

/** One endpoint the canary checks. */
export interface CanaryTarget extends ProbeTarget {
    readonly credential: CredentialSource;
}

/** The function's whole input: what it checks and the `Stack` dimension of its metrics. */
export interface CanarySettings {
    /** The `Stack` dimension of the metrics: the app-account stack's name. */
    readonly stack: string;
    readonly targets: readonly CanaryTarget[];
}

/** The metrics' namespace, and their names: 1 or 0 per check, and the connect time of a successful one. */
export const CANARY_METRICS = {
    namespace: "RdsCrossAccount/Canary",
    success: "ConnectSuccess",
    latency: "ConnectLatency",
} as const;

/** Connection time the canary allows each endpoint when none is given. */
export const DEFAULT_PROBE_TIMEOUT_MS = 10_000;

/** The environment variable holding the settings (JSON). */
export const CANARY_ENV = "CANARY_SETTINGS";

/** The endpoint fields the canary reads: those of the `connection` output's writer and readOnly entries. */
export interface ConnectionEndpoint {
    readonly host: string;
    readonly port: number;
    readonly database: string;
    readonly user: string;
    readonly tokenHost?: string;
    readonly tokenPort?: number;
    readonly tokenRegion?: string;
    readonly connectRoleArn?: string;
    readonly secretArn?: string;
}

/** The `connection` output's parts the canary reads. */
export interface ConnectionView {
    readonly engine: Engine;
    readonly writer: ConnectionEndpoint;
    readonly readOnly?: ConnectionEndpoint;
}

/** The credential source of one endpoint under `login`; throws naming the missing field (a contract bug). */
function sourceOf(login: DatabaseLogin, e: ConnectionEndpoint, which: string): CredentialSource {
    if (login === "iam-token") {
        const { connectRoleArn, tokenHost, tokenPort, tokenRegion } = e;
        if (!connectRoleArn || !tokenHost || tokenPort === undefined || !tokenRegion) {
            throw new Error(
                `The ${which} entry of the connection output lacks the token fields the canary signs with.`,
            );
        }
        return { login, roleArn: connectRoleArn, tokenHost, tokenPort, region: tokenRegion };
    }
    if (!e.secretArn) throw new Error(`The ${which} entry of the connection output names no secret.`);
    return { login, secretArn: e.secretArn };
}

/** The canary's targets for a `connection` output whose users log in by `login` (the mode's databaseLogin). */
export function canaryTargets(connection: ConnectionView, login: DatabaseLogin): CanaryTarget[] {
    const entries: [string, ConnectionEndpoint | undefined][] = [
        ["writer", connection.writer],
        ["reader", connection.readOnly],
    ];
    return entries.flatMap(([endpoint, e]) =>
        e
            ? [
                  {
                      endpoint,
                      engine: connection.engine,
                      host: e.host,
                      port: e.port,
                      database: e.database,
                      user: e.user,
                      credential: sourceOf(login, e, endpoint),
                  },
              ]
            : [],
    );
}
