/**
 * Config of the app-account (consumer) stack: the keys, their schemas, and the cross-key rules that need no
 * AWS call. Every problem is collected into `Problems`; nothing here creates a resource.
 */
import { z } from "zod";
import {
    accountIdSpec,
    assumeRoleArnSpec,
    checkRoleAccount,
    NetworkConfig,
    networkSpec,
} from "../config/common";
import { booleanLike, leaf, problem } from "../config/kit";
import { ConfigSource, Problems, pulumiConfigSource, readKeys, Specs } from "../config/read";

/** The validated config of an app-account stack. */
export interface AppAccountConfig {
    /** The only AWS account the stack may deploy into. */
    readonly accountId: string;
    /** Role to assume for the deployment, if any. */
    readonly assumeRoleArn?: string;
    /** Fully qualified name of the db-account stack, `<organization>/<project>/<stack>`. */
    readonly producerStack: string;
    /** Where the interface endpoint goes: a new VPC or an existing one. */
    readonly network: NetworkConfig;
    /** Security groups of the applications that may connect; empty means "create a client security group". */
    readonly clientSecurityGroupIds: string[];
    /** Whether to create the private hosted zones that make the proxy hostnames resolve to the endpoint. */
    readonly privateDns: boolean;
}

/** Pulumi organization, project and stack names: letters, digits, `-`, `_` and `.`. */
const stackNamePart = "[A-Za-z0-9][A-Za-z0-9_.-]*";
const producerStackPattern = new RegExp(`^${stackNamePart}/${stackNamePart}/${stackNamePart}$`);

const securityGroupIdPattern = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;

export const appAccountSpecs = {
    role: {
        kind: "string",
        schema: leaf(z.literal("app-account"), '"app-account" for this stack', '"app-account"'),
    },
    accountId: accountIdSpec,
    assumeRoleArn: assumeRoleArnSpec,
    producerStack: {
        kind: "string",
        schema: leaf(
            z.string().regex(producerStackPattern),
            "the fully qualified name of the db-account stack, <organization>/<project>/<stack>",
            '"organization/rds-cross-account/db-account"',
        ),
    },
    network: networkSpec,
    clientSecurityGroupIds: {
        kind: "json",
        schema: leaf(
            z
                .array(z.string().regex(securityGroupIdPattern))
                .refine((ids) => new Set(ids).size === ids.length),
            "a list of distinct security group IDs (an empty list makes the stack create a client security group)",
            '["sg-0123456789abcdef0"]',
            { default: [] },
        ),
    },
    privateDns: {
        kind: "json",
        schema: leaf(booleanLike, "true or false", "true", { default: true }),
    },
} satisfies Specs;

/**
 * Reads and checks the stack's config. Returns undefined when there is any problem (they are in `problems`).
 * `stack` is the stack's name, used to name the config file in messages.
 */
export function readAppAccountConfig(
    stack: string,
    problems: Problems,
    source: ConfigSource = pulumiConfigSource,
): AppAccountConfig | undefined {
    const before = problems.count;
    const parsed = readKeys(stack, appAccountSpecs, problems, source);
    const accountId = parsed.accountId as string | undefined;
    const assumeRoleArn = parsed.assumeRoleArn as string | undefined;
    const network = parsed.network as NetworkConfig | undefined;
    const clientSecurityGroupIds = parsed.clientSecurityGroupIds as string[] | undefined;
    checkRoleAccount(stack, problems, accountId, assumeRoleArn);
    if (network?.kind === "new" && clientSecurityGroupIds && clientSecurityGroupIds.length > 0) {
        problems.add(
            problem(
                stack,
                ["clientSecurityGroupIds"],
                `Config 'rds-cross-account:clientSecurityGroupIds' is ${JSON.stringify(clientSecurityGroupIds)}, but ` +
                    `'network' asks for a new VPC, and security groups of a VPC that does not exist yet cannot be listed. ` +
                    `Remove clientSecurityGroupIds from {file} and put the applications in the client security group ` +
                    `the stack creates (output clientSecurityGroupId), or set 'network' to an existing vpcId and subnetIds.`,
            ),
        );
    }
    if (problems.count > before) return undefined;
    return {
        accountId: accountId as string,
        assumeRoleArn,
        producerStack: parsed.producerStack as string,
        network: network as NetworkConfig,
        clientSecurityGroupIds: clientSecurityGroupIds as string[],
        privateDns: parsed.privateDns as boolean,
    };
}
