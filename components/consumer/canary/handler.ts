/**
 * The canary Lambda: checks every endpoint in its settings (./targets.ts, from the `CANARY_SETTINGS` variable) at
 * once with ./connect.ts, writes one CloudWatch Embedded Metric Format line per endpoint, and returns the results.
 * A failed check is a result, not an error: the function fails only when its own settings are broken, so Lambda's
 * Errors metric means a bug, and the ConnectSuccess alarm (missing data breaching) covers a function that does not
 * run or crashes.
 *
 * Metrics without a CloudWatch API call (so no `monitoring` interface endpoint in an isolated VPC): "The CloudWatch
 * embedded metric format is a JSON specification used to instruct CloudWatch Logs to automatically extract metric
 * values embedded in structured log events" (CloudWatch User Guide, "Specification: Embedded metric format",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html),
 * and "When using Lambda, no agent is required to send the logs to CloudWatch. Anything logged to STDOUT is sent to
 * CloudWatch Logs" ("Creating logs in embedded metric format using the client libraries"). The line is written to
 * stdout itself, as the EMF client library's ConsoleSink does (awslabs/aws-embedded-metrics-node), not through
 * Lambda's patched `console.log`, which prefixes each line with a timestamp and request ID; the function's log
 * format is Text, so the line reaches CloudWatch Logs as written.
 *
 * Bundled on its own (components/bundle.ts): nothing here may import @pulumi/pulumi.
 */
import { probe, type ProbeOptions, type ProbeResult } from "./connect";
import { credentials } from "./credentials";
import { CANARY_ENV, CANARY_METRICS, type CanarySettings } from "./targets";

export { CANARY_METRICS } from "./targets";

/** One Embedded Metric Format line for `result` (`timestamp` in milliseconds since the epoch). */
export function emfLine(stack: string, result: ProbeResult, timestamp: number): string {
    const ok = result.outcome === "ok";
    const metrics: { Name: string; Unit: string }[] = [{ Name: CANARY_METRICS.success, Unit: "Count" }];
    if (ok) metrics.push({ Name: CANARY_METRICS.latency, Unit: "Milliseconds" });
    return JSON.stringify({
        _aws: {
            Timestamp: timestamp,
            CloudWatchMetrics: [
                {
                    Namespace: CANARY_METRICS.namespace,
                    Dimensions: [["Stack", "Endpoint"]],
                    Metrics: metrics,
                },
            ],
        },
        Stack: stack,
        Endpoint: result.endpoint,
        [CANARY_METRICS.success]: ok ? 1 : 0,
        ...(ok ? { [CANARY_METRICS.latency]: result.connectMs } : {}),
        outcome: result.outcome,
        message: result.message,
    });
}

/** Reads and checks the settings; throws naming the variable when they are missing or not the component's. */
export function readSettings(env: NodeJS.ProcessEnv): CanarySettings {
    const text = env[CANARY_ENV];
    let value: unknown;
    try {
        value = text === undefined ? undefined : JSON.parse(text);
    } catch {
        value = undefined;
    }
    const s = value as Partial<CanarySettings> | undefined;
    if (!s || typeof s.stack !== "string" || !Array.isArray(s.targets) || s.targets.length === 0) {
        throw new Error(
            `The canary's environment variable ${CANARY_ENV} is not the JSON its component sets ` +
                `({"stack", "targets": [...]}); deploy the app-account stack again.`,
        );
    }
    return s as CanarySettings;
}

/** What tests and the CLI may replace. */
export interface CanaryOptions {
    /** @default process.env */
    readonly env?: NodeJS.ProcessEnv;
    /** Probe options besides the credential (tests: `ca`, `dial`, `timeoutMs`). */
    readonly probe?: Omit<ProbeOptions, "credential">;
    /** Where each EMF line goes. @default stdout */
    readonly write?: (line: string) => void;
    /** @default Date.now */
    readonly now?: () => number;
}

/** Checks every endpoint of the settings in `options.env`; returns one result per endpoint, in order. */
export async function runCanary(options: CanaryOptions = {}): Promise<ProbeResult[]> {
    const env = options.env ?? process.env;
    const write = options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
    const settings = readSettings(env);
    const credentialFor = credentials(env);
    const results = await Promise.all(
        settings.targets.map((t) =>
            probe(t, { ...options.probe, credential: credentialFor(t.credential, t.user) }),
        ),
    );
    const timestamp = (options.now ?? Date.now)();
    for (const result of results) write(emfLine(settings.stack, result, timestamp));
    return results;
}

/** The Lambda entry point: the event is ignored (a schedule's, or the CLI's `{}`). */
export async function handler(): Promise<{ results: ProbeResult[] }> {
    return { results: await runCanary() };
}
