// npm run plan — what each stack would create, without AWS and without the Pulumi CLI (as `cdk synth` does for the
// CDK): the resource tree, each resource's security-relevant inputs, the program's warnings and the stack outputs.
//
// The stacks are recorded under Pulumi's mocks (tools/recording): lookups are synthesized offline from the stack
// file, and values only AWS computes (IDs, ARNs, endpoint names) are placeholders in the stack file's account,
// region and partition. The app-account stack is recorded against the contract a db-account stack exported: the
// one planned with it, or (planned alone) its stack file's or the example's, recorded silently.
import { EXIT_OK, parseCommandLine, UsageError, runTool, stackFiles, type Command } from "./cli/options";
import { toWire } from "./policy/recorded";
import type { RecordedResource } from "./recording/harness";
import { STACK_NAMES, type StackName } from "./recording/stack-files";
import {
    recordAppAccount,
    recordDbAccount,
    recordProducerFor,
    type RecordedStack,
    type StackFiles,
} from "./recording/stacks";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";

export const PLAN: Command = {
    invocation: "npm run plan --",
    usage: `Usage: npm run plan -- [--stack db-account|app-account] [--stack-config <stack>=<file>]... [--json]

Shows what each stack would create, without an AWS account and without the Pulumi CLI: the resource tree
(type and name, indented under its parent), each resource's security-relevant inputs, the program's warnings
and the stack outputs. The stacks run offline under Pulumi's mocks: lookups (AZs, subnets, VPCs, route tables,
security groups) are synthesized offline, and values only AWS computes (IDs, ARNs, endpoint names) are
placeholders in each stack file's account, region and partition. Warnings marked [offline lookups] name values
those lookups made up. The app-account stack is planned against the contract of a db-account stack: the one
planned with it; planned alone, the db-account stack file given with --stack-config, else the example
Pulumi.db-account.yaml moved to its region and serving its account (the plan says which).

Stack files are read as the Pulumi CLI reads them: a key without a namespace is this project's
(accountId is rds-cross-account:accountId). A key in a namespace other than rds-cross-account, aws and
pulumi is refused, since nothing would read it.

Options:
  --stack <stack>                 Only this stack: db-account or app-account. Default: the stacks given with
                                  --stack-config, or both when none is given; db-account first.
  --stack-config <stack>=<file>   Plan stack db-account or app-account with this stack file instead of
                                  Pulumi.<stack>.yaml (plain values only, no secure: entries). Repeatable.
  --json                          Machine-readable output (one JSON document).
  -h, --help                      Print this help.

Exit codes: 0 planned, 1 a stack the program refused (its message is printed), 2 a usage error or a stack file
that cannot be read.
`,
    options: {
        stack: { type: "string" },
        "stack-config": { type: "string", multiple: true },
        json: { type: "boolean" },
    },
};

/** What the top of the plan says about where its values come from. */
export const PLAN_NOTE =
    "Planned offline under Pulumi's mocks: no AWS account and no Pulumi CLI were used. Lookups (AZs, subnets, " +
    "VPCs, route tables, security groups) were synthesized offline; values only AWS computes (IDs, ARNs, " +
    "endpoint names) are placeholders in each stack file's account, region and partition.";

/** How a warning that names values the offline lookups made up is marked in the text plan. */
export const OFFLINE_MARK = "[offline lookups]";

/** Inputs shown for each resource, whatever its type: those that decide who can reach what, and how. */
export const SECURITY_INPUTS: readonly string[] = [
    "allowedAccountIds",
    "region",
    "cidrBlock",
    "availabilityZoneNames",
    "enableDnsSupport",
    "enableDnsHostnames",
    "natGateways",
    "ingress",
    "egress",
    "ipProtocol",
    "fromPort",
    "toPort",
    "cidrIpv4",
    "cidrIpv6",
    "prefixListId",
    "referencedSecurityGroupId",
    "engine",
    "publiclyAccessible",
    "storageEncrypted",
    "iamDatabaseAuthenticationEnabled",
    "deletionProtection",
    "parameters",
    "requireTls",
    "defaultAuthScheme",
    "auths",
    "internal",
    "loadBalancerType",
    "port",
    "protocol",
    "targetType",
    "acceptanceRequired",
    "allowedPrincipals",
    "serviceName",
    "vpcEndpointType",
    "privateDnsEnabled",
    "name",
    "vpcs",
    "aliases",
    "enableKeyRotation",
    "serverSideEncryption",
    "assumeRolePolicy",
    "policy",
    "principal",
    "sourceArn",
    "environment",
];

/** One resource of the plan. */
export interface PlannedResource {
    readonly type: string;
    readonly name: string;
    /** `type::name` of the parent component; null at the top of the stack. */
    readonly parent: string | null;
    /** The security-relevant inputs it was given (of `SECURITY_INPUTS`), secrets as "[secret]". */
    readonly inputs: Record<string, unknown>;
}

/** A warning the program logged while it was planned. */
export interface PlannedWarning {
    readonly message: string;
    /**
     * True when the message names a value the offline lookups made up (an AZ name or ID, a CIDR or ID of a looked-up
     * VPC or subnet…): AWS may answer those lookups otherwise, and then the warning may read differently or not occur.
     */
    readonly fromOfflineLookups: boolean;
}

/** One stack of the plan. */
export interface PlannedStack {
    readonly stack: StackName;
    /** The stack file the config came from. */
    readonly file: string;
    /** app-account only: the db-account stack whose contract it was planned against. */
    readonly contractFrom?: string;
    readonly resources: PlannedResource[];
    readonly warnings: PlannedWarning[];
    readonly outputs: Record<string, unknown>;
}

/** A value as the plan shows it: wire form, secrets hidden, JSON policy documents parsed. */
function shown(value: unknown): unknown {
    const wire = toWire(value);
    const hide = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(hide);
        if (v !== null && typeof v === "object") {
            const record = v as Record<string, unknown>;
            if (record[specialSigKey] === specialSecretSig) return "[secret]";
            return Object.fromEntries(Object.entries(record).map(([k, x]) => [k, hide(x)]));
        }
        if (typeof v === "string" && v.startsWith("{")) {
            try {
                return JSON.parse(v) as unknown;
            } catch {
                return v;
            }
        }
        return v;
    };
    return hide(wire);
}

/** The parent of a resource: the resource whose URN is the child's type chain minus its last type. */
function parentOf(
    resource: RecordedResource,
    all: readonly RecordedResource[],
): RecordedResource | undefined {
    const chain = resource.urn.split("::")[2]?.split("$") ?? [];
    if (chain.length < 2) return undefined;
    const parentChain = chain.slice(0, -1).join("$");
    const candidates = all.filter((r) => r !== resource && r.urn.split("::")[2] === parentChain);
    // Children are named after their parent (`${name}-proxy`): the longest matching name is the parent.
    return candidates
        .filter((c) => resource.name.startsWith(c.name))
        .sort((a, b) => b.name.length - a.name.length)[0];
}

/** Whether `message` names one of `values`, as a whole word (`euw1-az1` is not in `euw1-az12`). */
function names(message: string, values: ReadonlySet<string>): boolean {
    for (const value of values) {
        let at = message.indexOf(value);
        while (at >= 0) {
            const before = message[at - 1] ?? " ";
            const after = message[at + value.length] ?? " ";
            if (!/[\w-]/.test(before) && !/[\w-]/.test(after)) return true;
            at = message.indexOf(value, at + 1);
        }
    }
    return false;
}

/** The plan of one recorded stack; `contractFrom` says which db-account stack an app-account stack read. */
export function planOf(
    stack: StackName,
    file: string,
    recorded: RecordedStack,
    contractFrom?: string,
): PlannedStack {
    const all = recorded.run.resources;
    const resources = all.map((r) => {
        const parent = parentOf(r, all);
        const inputs: Record<string, unknown> = {};
        for (const key of SECURITY_INPUTS) {
            if (r.inputs[key] !== undefined) inputs[key] = shown(r.inputs[key]);
        }
        return {
            type: r.type,
            name: r.name,
            parent: parent === undefined ? null : `${parent.type}::${parent.name}`,
            inputs,
        };
    });
    return {
        stack,
        file,
        contractFrom,
        resources,
        warnings: recorded.warnings.map((message) => ({
            message,
            fromOfflineLookups: names(message, recorded.synthesized),
        })),
        outputs: shown(recorded.run.outputs) as Record<string, unknown>,
    };
}

function compact(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** The plan of one stack as text: the tree, two spaces per level, inputs under each resource. */
export function renderStack(plan: PlannedStack): string[] {
    const lines = [`== ${plan.stack} (${plan.file}): ${plan.resources.length} resources`];
    if (plan.contractFrom !== undefined) lines.push(`Contract: ${plan.contractFrom}`);
    const walk = (parent: string | null, depth: number) => {
        for (const r of plan.resources.filter((x) => x.parent === parent)) {
            const indent = "  ".repeat(depth);
            lines.push(`${indent}${r.type} ${r.name}`);
            for (const [key, value] of Object.entries(r.inputs)) {
                lines.push(`${indent}    ${key}: ${compact(value)}`);
            }
            walk(`${r.type}::${r.name}`, depth + 1);
        }
    };
    walk(null, 0);
    lines.push(`Warnings: ${plan.warnings.length === 0 ? "none" : ""}`.trimEnd());
    for (const w of plan.warnings) {
        lines.push(`  - ${w.fromOfflineLookups ? `${OFFLINE_MARK} ` : ""}${w.message}`);
    }
    if (plan.warnings.some((w) => w.fromOfflineLookups)) {
        lines.push(
            `  ${OFFLINE_MARK}: the warning names values the offline lookups made up (AZs, subnets, VPCs); AWS may ` +
                `answer them otherwise, and the warning then reads differently or does not occur.`,
        );
    }
    lines.push("Outputs:");
    for (const [key, value] of Object.entries(plan.outputs)) lines.push(`  ${key}: ${compact(value)}`);
    return lines;
}

/** The stacks a plan covers: `--stack`, else the stacks given with `--stack-config`, else both; db-account first. */
export function stacksToPlan(only: string | undefined, files: StackFiles): StackName[] {
    if (only !== undefined && !STACK_NAMES.includes(only as StackName)) {
        throw new UsageError(`--stack is "${only}"; use db-account or app-account.`);
    }
    if (only === "db-account" && files["app-account"] !== undefined) {
        throw new UsageError(
            `--stack-config app-account=${files["app-account"]} is not used: --stack db-account plans the db-account ` +
                `stack alone, which reads no app-account stack file. Drop --stack to plan both, or drop that ` +
                `--stack-config.`,
        );
    }
    if (only !== undefined) return [only as StackName];
    const given = STACK_NAMES.filter((s) => files[s] !== undefined);
    return given.length > 0 ? given : [...STACK_NAMES];
}

/** Records the stacks of the plan: each alone, or the app-account stack against the db-account stack above it. */
export async function planStacks(stacks: readonly StackName[], files: StackFiles): Promise<PlannedStack[]> {
    const fileOf = (s: StackName) => files[s] ?? `Pulumi.${s}.yaml`;
    const plans: PlannedStack[] = [];
    let producer: RecordedStack | undefined;
    if (stacks.includes("db-account")) {
        producer = await recordDbAccount({}, files["db-account"]);
        plans.push(planOf("db-account", fileOf("db-account"), producer));
    }
    if (stacks.includes("app-account")) {
        let contractFrom = "the db-account stack above";
        if (producer === undefined) {
            const found = await recordProducerFor(files["app-account"], files["db-account"]);
            producer = found.recorded;
            contractFrom = found.description;
        }
        const consumer = await recordAppAccount(
            producer.run.outputs.contract,
            {},
            files["app-account"],
            producer,
        );
        plans.push(planOf("app-account", fileOf("app-account"), consumer, contractFrom));
    }
    return plans;
}

async function main(argv: readonly string[]): Promise<number> {
    const values = parseCommandLine(PLAN, argv);
    if (values === undefined) {
        process.stdout.write(PLAN.usage);
        return EXIT_OK;
    }
    const files = stackFiles(values["stack-config"] as string[] | undefined);
    const plans = await planStacks(stacksToPlan(values.stack as string | undefined, files), files);
    if (values.json === true) {
        console.log(JSON.stringify({ note: PLAN_NOTE, stacks: plans }, null, 2));
    } else {
        console.log([PLAN_NOTE, "", ...plans.flatMap((p) => [...renderStack(p), ""])].join("\n").trimEnd());
    }
    return EXIT_OK;
}

if (require.main === module) {
    runTool(() => main(process.argv.slice(2)));
}
