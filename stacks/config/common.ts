/** Config schemas shared by both stacks: the account, the deploy role and the network. */
import { z } from "zod";
import {
    accountIdRule,
    distinctList,
    matching,
    roleArnPattern,
    rule,
    satisfying,
    settingRule,
    SETTINGS,
    subnetIdPattern,
    vpcIdRule,
} from "../../vocabulary";
import { leaf, optionalLeaf } from "./kit";
import { keySpec, Problems } from "./read";

export const accountIdSpec = keySpec("string", leaf(accountIdRule));

export const assumeRoleArnSpec = keySpec(
    "string",
    optionalLeaf(
        rule(
            matching(roleArnPattern),
            "an IAM role ARN in the stack's account",
            '"arn:aws:iam::111111111111:role/rds-cross-account-deployer"',
        ),
    ),
);

/** A new VPC, built with awsx: isolated subnets only, no NAT, no internet gateway. */
export interface NewNetwork {
    readonly kind: "new";
    readonly cidrBlock: string;
    readonly azCount: number;
}

/** An existing VPC and the subnets to place the stack's network interfaces in. */
export interface ExistingNetwork {
    readonly kind: "existing";
    readonly vpcId: string;
    readonly subnetIds: string[];
}

export type NetworkConfig = NewNetwork | ExistingNetwork;

/** True when `cidr` is an IPv4 network address (host bits zero) with a prefix from /16 to /24. */
export function isVpcCidr(cidr: string): boolean {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!m) return false;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix < 16 || prefix > 24) return false;
    const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    const hostMask = prefix === 32 ? 0 : 0xffffffff >>> prefix;
    return (address & hostMask) === 0;
}

const newNetworkSchema = z
    .object({
        cidrBlock: leaf(
            rule(
                satisfying<string>((v) => typeof v === "string" && isVpcCidr(v)),
                "an IPv4 network address with a prefix from /16 to /24 (host bits zero)",
                '"10.20.0.0/16"',
            ),
        ),
        azCount: leaf(settingRule("azCount"), { default: SETTINGS.azCount.default }),
    })
    .strict()
    .transform((v): NewNetwork => ({ kind: "new", ...v }));

const existingNetworkSchema = z
    .object({
        vpcId: leaf(vpcIdRule),
        subnetIds: leaf(
            rule(
                distinctList(matching(subnetIdPattern), 2),
                "a list of at least two distinct subnet IDs, in at least two AZs",
                '["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]',
            ),
        ),
    })
    .strict()
    .transform((v): ExistingNetwork => ({ kind: "existing", ...v }));

/** `network`: the existing-VPC form is chosen when `vpcId` or `subnetIds` is present, the new-VPC form otherwise. */
export const networkSpec = keySpec(
    "json",
    z.unknown().pipe(
        z.custom<unknown>().transform((value, ctx): NetworkConfig => {
            const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
            const existing = isObject && ("vpcId" in value || "subnetIds" in value);
            const schema: z.ZodType<NetworkConfig> = existing ? existingNetworkSchema : newNetworkSchema;
            const result = schema.safeParse(value, { reportInput: true });
            if (result.success) return result.data;
            for (const issue of result.error.issues) ctx.addIssue({ ...issue } as never);
            return z.NEVER;
        }),
    ),
    { "": "cidrBlock and azCount (a new VPC), or vpcId and subnetIds (an existing VPC)" },
);

/** Cross-key check: a deploy role must live in the account the stack deploys into. */
export function checkRoleAccount(
    problems: Problems,
    accountId: string | undefined,
    roleArn: string | undefined,
): void {
    if (!accountId || !roleArn) return;
    const roleAccount = roleArnPattern.exec(roleArn)?.[2];
    if (roleAccount && roleAccount !== accountId) {
        problems.reject(
            "assumeRoleArn",
            roleArn,
            `that is a role in account ${roleAccount}, and the stack deploys into account ${accountId} ` +
                `(rds-cross-account:accountId)`,
            `Use a role in account ${accountId}, or fix accountId in {file}.`,
        );
    }
}
