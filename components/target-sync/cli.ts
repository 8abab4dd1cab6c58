/**
 * Operator CLI (DESIGN.md §4, way 3): `npm run sync -- --target-group-arn ARN --proxy-name NAME ...`.
 * Prints the plan and the result (JSON with --json). Exit codes: 0 the target group is in sync (after this
 * run's changes), 1 any error (failed or empty lookup, AWS error), 2 usage error naming the bad option,
 * 3 `--dry-run` found changes that a real run would make.
 */
import { parseArgs } from "node:util";
import { createClients, destroyClients } from "./aws";
import { problem, type Surface } from "../../vocabulary/rules";
import { parseStrings } from "./config";
import type { TargetRegistrationInputs } from "./inputs";
import { SETTINGS } from "../../vocabulary/settings";
import { syncWithStoredMisses } from "./run";
import { DEFAULT_SOURCE } from "./sources";
import { resolvePlacement } from "./rds";
import { describeSubnetCidrs } from "./subnets";
import type { SyncReport } from "./sync";
import { describeTargetGroup } from "./target-group";

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_DRY_RUN_CHANGES = 3;

export const USAGE = `Usage: npm run sync -- --target-group-arn ARN --proxy-name NAME [options]

Options:
  --target-group-arn ARN          target group (type ip, protocol TCP, in the proxy's VPC) to keep in sync (required)
  --proxy-name NAME               RDS Proxy name (required)
  --proxy-subnet-ids IDS          the proxy's subnets, comma-separated: only addresses inside them are registered
                                  (default: RDS's, from DescribeDBProxies; must agree with it; required when
                                  RDS cannot be asked)
  --proxy-security-group-ids IDS  the proxy's security groups, comma-separated (default and rules: as above;
                                  used with --source eni)
  --proxy-endpoint HOST           proxy endpoint hostname (required with --source dns)
  --source eni|dns                where the IPs come from (default: ${DEFAULT_SOURCE})
  --vpc-id VPC                    the proxy's VPC (default: the target group's; must agree with it)
  --dns-server IP[:PORT]          DNS server for --source dns (default: system resolver)
  --region R                      AWS region (default: AWS_REGION)
  --role-arn ARN                  role to assume first (default: the environment's credentials)
  --port N                        target port (default: the target group's port; must agree with it)
  --misses-before-deregister N    consecutive misses before a missing target is removed (default: ${SETTINGS.missesBeforeDeregister.default})
  --state-table NAME              DynamoDB miss-state table shared with the scheduled Lambda
                                  (default: no memory, each run counts one miss)
  --dry-run                       print the plan, change nothing
  --json                          print the result as JSON
  --help                          print this help

Exit codes: 0 in sync, 1 error, 2 usage error, 3 dry run found changes.`;

/** Where the CLI writes; injectable for tests. */
export interface CliIo {
    out(line: string): void;
    err(line: string): void;
    env: Record<string, string | undefined>;
}

const OPTIONS = {
    "target-group-arn": { type: "string" },
    "proxy-name": { type: "string" },
    "proxy-endpoint": { type: "string" },
    source: { type: "string" },
    "vpc-id": { type: "string" },
    "proxy-subnet-ids": { type: "string" },
    "proxy-security-group-ids": { type: "string" },
    "dns-server": { type: "string" },
    region: { type: "string" },
    "role-arn": { type: "string" },
    port: { type: "string" },
    "misses-before-deregister": { type: "string" },
    "state-table": { type: "string" },
    "dry-run": { type: "boolean" },
    json: { type: "boolean" },
    help: { type: "boolean" },
} as const;

/** Maps an input property to the option that sets it, for usage messages. */
const OPTION_OF: Record<string, string> = {
    targetGroupArn: "--target-group-arn",
    proxyName: "--proxy-name",
    proxyEndpoint: "--proxy-endpoint",
    source: "--source",
    vpcId: "--vpc-id",
    proxySubnetIds: "--proxy-subnet-ids",
    proxySecurityGroupIds: "--proxy-security-group-ids",
    dnsServer: "--dns-server",
    region: "--region",
    assumeRoleArn: "--role-arn",
    port: "--port",
    missesBeforeDeregister: "--misses-before-deregister",
    stateTableName: "--state-table",
};

/** Options as a surface: `Option --port is "abc", but … Pass such a value, for example --port 5432.` */
const OPTION_SURFACE: Surface = {
    key: (path) => OPTION_OF[path] ?? path,
    subject: (path) => `Option ${OPTION_SURFACE.key(path)}`,
    fix: (path, example) =>
        `Pass such a value, for example ${OPTION_SURFACE.key(path)} ${example.replace(/^"(.*)"$/, "$1")}.`,
};

/** Parses argv; returns inputs and flags, or a usage error message naming the bad option. */
export function parseCli(
    argv: string[],
    env: Record<string, string | undefined>,
): { help: true } | { error: string } | { inputs: TargetRegistrationInputs; dryRun: boolean; json: boolean } {
    let values;
    try {
        values = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
    } catch (err) {
        return { error: (err as Error).message };
    }
    if (values.help) {
        return { help: true };
    }
    const parsed = parseStrings(
        {
            targetGroupArn: values["target-group-arn"],
            proxyName: values["proxy-name"],
            proxyEndpoint: values["proxy-endpoint"],
            source: values.source ?? DEFAULT_SOURCE,
            vpcId: values["vpc-id"],
            proxySubnetIds: values["proxy-subnet-ids"],
            proxySecurityGroupIds: values["proxy-security-group-ids"],
            dnsServer: values["dns-server"],
            region: values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
            assumeRoleArn: values["role-arn"],
            port: values.port,
            missesBeforeDeregister:
                values["misses-before-deregister"] ?? String(SETTINGS.missesBeforeDeregister.default),
            stateTableName: values["state-table"],
        },
        OPTION_SURFACE,
        // Read from the target group and RDS when not given (see deriveFromAws).
        ["port", "vpcId", "proxySubnetIds", "proxySecurityGroupIds"],
    );
    if (!parsed.inputs) {
        return { error: parsed.problems.map((p) => p.message).join("\n") };
    }
    return { inputs: parsed.inputs, dryRun: values["dry-run"] === true, json: values.json === true };
}

/**
 * Completes the inputs from AWS: the port and VPC from the target group (which must be of type ip; `--port` and
 * `--vpc-id`, when given, must agree with it), the proxy's subnets and security groups from RDS (rds.ts; the
 * options, when given, must agree with it), the subnets' CIDRs from EC2 (the subnets must be in that VPC).
 * Returns a usage error naming the option when something disagrees; AWS errors reject. `note` gets advice.
 */
export async function deriveFromAws(
    clients: import("./aws").SyncClients,
    given: TargetRegistrationInputs,
    note: (line: string) => void = () => undefined,
): Promise<{ inputs: TargetRegistrationInputs } | { error: string }> {
    const tg = await describeTargetGroup(clients, given.targetGroupArn);
    const problems: string[] = [];
    const reject = (key: string, value: unknown, reason: string, fix: string) =>
        problems.push(problem(OPTION_SURFACE, key, value, reason, fix).message);
    if (tg.targetType !== "ip") {
        reject(
            "targetGroupArn",
            given.targetGroupArn,
            `it is a target group of type ${tg.targetType}, and only one of type ip can hold the proxy's addresses`,
            "Pass the ARN of the proxy's target group (type ip).",
        );
    }
    if (given.port !== undefined && given.port !== tg.port) {
        reject(
            "port",
            given.port,
            `it must be the target group's port, ${String(tg.port)}`,
            `Pass --port ${String(tg.port)}, or leave it out.`,
        );
    }
    if (given.vpcId !== undefined && given.vpcId !== tg.vpcId) {
        reject(
            "vpcId",
            given.vpcId,
            `it must be the target group's VPC, ${String(tg.vpcId)}`,
            `Pass --vpc-id ${String(tg.vpcId)}, or leave it out.`,
        );
    }
    if (problems.length > 0 || tg.port === undefined || tg.vpcId === undefined) {
        return {
            error: problems.join("\n") || `Target group ${given.targetGroupArn} reports no port or VPC.`,
        };
    }
    const placed = await resolvePlacement(clients, given, reject, note);
    if (!placed) return { error: problems.join("\n") };
    let subnetCidrs: string[];
    try {
        subnetCidrs = await describeSubnetCidrs(clients, placed.subnetIds, tg.vpcId);
    } catch (err) {
        if ((err as Error).name !== "SubnetNotFound") throw err;
        if (given.proxySubnetIds === undefined) {
            // RDS's own subnets are not in the target group's VPC: the target group is not the proxy's.
            reject(
                "targetGroupArn",
                given.targetGroupArn,
                `the proxy's subnets (${placed.subnetIds.join(",")}, from RDS) are not in its VPC ${tg.vpcId}: ${(err as Error).message}`,
                "Pass the ARN of the proxy's target group.",
            );
            return { error: problems.join("\n") };
        }
        reject(
            "proxySubnetIds",
            placed.subnetIds.join(","),
            `they must be the proxy's subnets, in the target group's VPC ${tg.vpcId}: ${(err as Error).message}`,
            "Pass the proxy's subnets (aws rds describe-db-proxies --query 'DBProxies[].VpcSubnetIds').",
        );
        return { error: problems.join("\n") };
    }
    return {
        inputs: {
            ...given,
            port: tg.port,
            vpcId: tg.vpcId,
            proxySubnetIds: placed.subnetIds,
            proxySecurityGroupIds: placed.securityGroupIds,
            proxySubnetCidrs: subnetCidrs,
        },
    };
}

function describe(report: SyncReport): string[] {
    const verb = report.dryRun ? "would " : "";
    const lines = [
        `target group ${report.targetGroupArn} (source ${report.source})`,
        `found ${report.found.length}: ${report.found.join(", ")}`,
    ];
    lines.push(
        report.registered.length
            ? `${verb}register ${report.registered.length}: ${report.registered.join(", ")}`
            : `${verb}register nothing`,
    );
    lines.push(
        report.deregistered.length
            ? `${verb}deregister ${report.deregistered.length}: ${report.deregistered.map((d) => `${d.port === undefined ? d.ip : `${d.ip}:${d.port}`} (${d.reason})`).join(", ")}`
            : `${verb}deregister nothing`,
    );
    for (const k of report.kept) {
        lines.push(`keep ${k.ip}: missing from ${k.misses} consecutive lookup(s)`);
    }
    lines.push(
        report.dryRun
            ? report.noop
                ? "dry run: in sync, no changes"
                : "dry run: changes pending, nothing was changed"
            : `in sync: ${report.targets.length} target(s), ${report.mutatingCalls} mutating call(s)`,
    );
    return lines;
}

/** Runs the CLI; resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
    const parsed = parseCli(argv, io.env);
    if ("help" in parsed) {
        io.out(USAGE);
        return EXIT_OK;
    }
    if ("error" in parsed) {
        io.err(`Usage error: ${parsed.error}`);
        io.err("Run with --help for the options.");
        return EXIT_USAGE;
    }
    const { dryRun, json } = parsed;
    const clients = createClients({
        region: parsed.inputs.region,
        assumeRoleArn: parsed.inputs.assumeRoleArn,
    });
    try {
        const derived = await deriveFromAws(clients, parsed.inputs, io.err);
        if ("error" in derived) {
            io.err(`Usage error: ${derived.error}`);
            io.err("Run with --help for the options.");
            return EXIT_USAGE;
        }
        const inputs = derived.inputs;
        const report = await syncWithStoredMisses(
            clients,
            { ...inputs, subnetCidrs: inputs.proxySubnetCidrs ?? [] },
            { dryRun },
        );
        if (json) {
            io.out(JSON.stringify({ ok: true, ...report }));
        } else {
            for (const line of describe(report)) {
                io.out(line);
            }
        }
        return dryRun && !report.noop ? EXIT_DRY_RUN_CHANGES : EXIT_OK;
    } catch (err) {
        const message = `${(err as Error).name}: ${(err as Error).message}`;
        if (json) {
            io.out(JSON.stringify({ ok: false, error: message }));
        }
        io.err(`Error: ${message}`);
        return EXIT_ERROR;
    } finally {
        destroyClients(clients);
    }
}

if (require.main === module) {
    runCli(process.argv.slice(2), {
        out: (l) => console.log(l),
        err: (l) => console.error(l),
        env: process.env,
    }).then(
        (code) => {
            process.exitCode = code;
        },
        (err: unknown) => {
            console.error(`Error: ${String(err)}`);
            process.exitCode = EXIT_ERROR;
        },
    );
}
