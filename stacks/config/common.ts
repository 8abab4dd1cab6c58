/** Config shapes shared by both stacks: the account, the deploy role and the network. */
import { AWS_API_SERVICES, type AwsApiService } from "../../components/network";
import {
    accountIdRule,
    choice,
    distinctList,
    INVALID,
    leaf,
    map,
    object,
    optional,
    parseIamArn,
    partitionOf,
    roleArnRule,
    VPC_ADDRESS_SPACE,
    VPC_PREFIX,
    isVpcCidr,
    rule,
    satisfying,
    settingRule,
    SETTINGS,
    subnetIdRule,
    vpcEndpointIdRule,
    vpcIdRule,
    type Shape,
} from "../../vocabulary";
import { keySpec, Problems } from "./read";

export const accountIdSpec = keySpec("string", leaf(accountIdRule));

export const assumeRoleArnSpec = keySpec(
    "string",
    optional(
        leaf(
            rule(
                roleArnRule.schema,
                "an IAM role ARN in the stack's account (a known partition, a role name of 1-64 characters)",
                '"arn:aws:iam::111111111111:role/rds-cross-account-deployer"',
            ),
        ),
    ),
);

/** A new VPC, built with awsx: isolated subnets only, no NAT, no internet gateway. */
export interface NewNetwork {
    readonly kind: "new";
    readonly cidrBlock: string;
    readonly azCount: number;
}

/** The AWS API endpoints an existing VPC already has, by service (`vpce-…`): the stack uses them, creates none. */
export type ApiEndpointIds = { readonly [S in AwsApiService]?: string };

/** An existing VPC and the subnets to place the stack's network interfaces in. */
export interface ExistingNetwork {
    readonly kind: "existing";
    readonly vpcId: string;
    readonly subnetIds: string[];
    /** Endpoints of the VPC the db-account stack reuses instead of creating its own. @default none */
    readonly apiEndpoints?: ApiEndpointIds;
}

export type NetworkConfig = NewNetwork | ExistingNetwork;

/** The allowed keys of `network`, in words, for an unknown key of either form. */
const NETWORK_KEYS = "cidrBlock and azCount (a new VPC), or vpcId and subnetIds (an existing VPC)";
/** The same, in the db-account stack, whose existing-VPC form also takes `apiEndpoints`. */
const NETWORK_KEYS_WITH_ENDPOINTS =
    "cidrBlock and azCount (a new VPC), or vpcId, subnetIds and apiEndpoints (an existing VPC)";

/** A field no value of which is accepted here: `reason` completes "but …", `fix` may name {file}. */
function refused(reason: string, fix: string): Shape<undefined> & { readonly optional: true } {
    return {
        optional: true,
        read(value, path, faults) {
            if (value === undefined) return undefined;
            faults.push({ path, value, why: { kind: "custom", reason, fix } });
            return INVALID;
        },
    };
}

/** `network.apiEndpoints`: the endpoint ID of each service the VPC already has an endpoint of. */
const apiEndpointsShape = object(
    {
        secretsmanager: optional(leaf(vpcEndpointIdRule)),
        elasticloadbalancing: optional(leaf(vpcEndpointIdRule)),
        dynamodb: optional(leaf(vpcEndpointIdRule)),
    } satisfies Record<AwsApiService, unknown>,
    { allowed: listed(AWS_API_SERVICES.map((s) => `"${s}"`)) + ", each a VPC endpoint ID" },
);

/** A VPC the stack creates has no endpoints of its own yet: the stack creates those it needs. */
const noEndpointsInNewVpc = refused(
    "'network' asks for a new VPC, and a VPC the stack creates has no endpoints to reuse (the stack creates the ones it needs)",
    "Remove 'network.apiEndpoints' from {file}, or set 'network' to an existing vpcId and subnetIds.",
);

function newNetworkShape(allowed: string): Shape<NetworkConfig> {
    return map(
        object(
            {
                cidrBlock: leaf(
                    rule(
                        satisfying<string>((v) => typeof v === "string" && isVpcCidr(v)),
                        `an IPv4 network address in ${VPC_ADDRESS_SPACE.join(", ")} (RFC 1918 and RFC 6598), ` +
                            `with a prefix from /${VPC_PREFIX.min} to /${VPC_PREFIX.max}, written canonically (host bits ` +
                            `zero, no leading zeros)`,
                        '"10.20.0.0/16"',
                    ),
                ),
                azCount: leaf(settingRule("azCount"), { default: SETTINGS.azCount.default }),
                apiEndpoints: noEndpointsInNewVpc,
            },
            { allowed },
        ),
        ({ cidrBlock, azCount }): NewNetwork => ({ kind: "new", cidrBlock, azCount }),
    );
}

/** The existing-VPC form; `apiEndpoints` is the shape of its key of that name (read, or refused). */
function existingNetworkShape(
    apiEndpoints: Shape<ApiEndpointIds | undefined> & { readonly optional: true },
    allowed: string,
): Shape<NetworkConfig> {
    return map(
        object(
            {
                vpcId: leaf(vpcIdRule),
                subnetIds: leaf(
                    rule(
                        distinctList(subnetIdRule.schema, 2),
                        "a list of at least two distinct subnet IDs, in at least two AZs",
                        '["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]',
                    ),
                ),
                apiEndpoints,
            },
            { allowed },
        ),
        (v): ExistingNetwork => ({ kind: "existing", ...v }),
    );
}

/** The keys of each form of `network`: a new VPC, or an existing one. */
const NETWORK_FORMS = {
    new: { keys: ["cidrBlock", "azCount"], what: "a new VPC" },
    existing: { keys: ["vpcId", "subnetIds"], what: "an existing VPC" },
} as const;

/** `network`'s keys of `form` that `value` has. */
function keysOfForm(value: object, form: keyof typeof NETWORK_FORMS): string[] {
    return NETWORK_FORMS[form].keys.filter((k) => Object.hasOwn(value, k));
}

/** `a`, `a and b`, `a, b and c`. */
function listed(words: readonly string[]): string {
    return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

/**
 * A `network` key: the existing-VPC form is chosen when `vpcId` or `subnetIds` is present, the new-VPC form
 * otherwise; keys of both forms at once are one problem, named as such.
 */
function networkSpecOf(forms: {
    readonly new: Shape<NetworkConfig>;
    readonly existing: Shape<NetworkConfig>;
}) {
    return keySpec(
        "json",
        choice<NetworkConfig>((value, path, faults) => {
            const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
            const given = {
                new: isObject ? keysOfForm(value, "new") : [],
                existing: isObject ? keysOfForm(value, "existing") : [],
            };
            if (given.new.length === 0 || given.existing.length === 0)
                return given.existing.length > 0 ? forms.existing : forms.new;
            const { new: n, existing: e } = NETWORK_FORMS;
            faults.push({
                path,
                value,
                why: {
                    kind: "custom",
                    reason:
                        `it mixes the two forms of 'network', which are exclusive: ${n.what} ` +
                        `(${n.keys.join(", ")}), of which it has ${listed(given.new)}; and ${e.what} ` +
                        `(${e.keys.join(", ")}), of which it has ${listed(given.existing)}`,
                    fix:
                        `Remove ${listed(given.new)} from 'network' in {file} to use the existing VPC, or remove ` +
                        `${listed(given.existing)} to create a new one.`,
                },
            });
            return INVALID;
        }),
    );
}

/**
 * The db-account stack's `network`: an existing VPC may name the AWS API endpoints it already has
 * (`apiEndpoints`), which the stack then uses instead of creating its own.
 */
export const networkSpec = networkSpecOf({
    new: newNetworkShape(NETWORK_KEYS_WITH_ENDPOINTS),
    existing: existingNetworkShape(optional(apiEndpointsShape), NETWORK_KEYS_WITH_ENDPOINTS),
});

/**
 * The app-account stack's `network`: it creates AWS API endpoints only in a VPC it builds, so an existing VPC's
 * endpoints are nothing it could reuse, and `apiEndpoints` is refused in either form.
 */
export const appAccountNetworkSpec = networkSpecOf({
    new: newNetworkShape(NETWORK_KEYS),
    existing: existingNetworkShape(
        refused(
            "the app-account stack creates no AWS API endpoint in an existing VPC, so there is none to reuse " +
                "(the applications' VPC needs its own route to the API they call, which the plan names)",
            "Remove 'network.apiEndpoints' from {file}.",
        ),
        NETWORK_KEYS,
    ),
});

/** Cross-key check: a deploy role must live in the account, and the partition, the stack deploys into. */
export function checkRoleAccount(
    problems: Problems,
    accountId: string | undefined,
    roleArn: string | undefined,
    region: string | undefined,
): void {
    const role = roleArn === undefined ? undefined : parseIamArn(roleArn);
    if (!role) return;
    if (accountId && role.accountId !== accountId) {
        problems.reject(
            "assumeRoleArn",
            roleArn,
            `that is a role in account ${role.accountId}, and the stack deploys into account ${accountId} ` +
                `(rds-cross-account:accountId)`,
            `Use a role in account ${accountId}, or fix accountId in {file}.`,
        );
    }
    checkPartition(problems, "assumeRoleArn", roleArn as string, region);
}

/** Cross-key check: an ARN must be in the partition of the stack's region (`arn:aws-cn:` only in China). */
export function checkPartition(
    problems: Problems,
    path: string | readonly PropertyKey[],
    arn: string,
    region: string | undefined,
): void {
    const parsed = parseIamArn(arn);
    if (!parsed || !region) return;
    const expected = partitionOf(region);
    if (parsed.partition === expected) return;
    problems.reject(
        path,
        arn,
        `that ARN is in partition ${parsed.partition}, and the stack's region ${region} (aws:region) is in ${expected}`,
        `Use an ARN of the form arn:${expected}:iam::… in {file}, or fix aws:region.`,
    );
}
