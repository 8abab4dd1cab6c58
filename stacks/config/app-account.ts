/**
 * Config of the app-account (consumer) stack: the keys, their shapes, and the cross-key rules that need no
 * AWS call. Every problem is collected into `Problems`; nothing here creates a resource.
 */
import { canaryScheduleRule, DEFAULT_CANARY_SCHEDULE } from "../../components/consumer/canary/schedule";
import {
    DEFAULT_DEVELOPER_INSTANCE_TYPE,
    developerInstanceTypeRule,
} from "../../components/consumer/developer-access";
import {
    accountIdRule,
    booleanLike,
    defaulted,
    distinctList,
    leaf,
    object,
    matching,
    oneOf,
    optional,
    qualifiedStackNamePattern,
    rule,
    securityGroupIdPattern,
} from "../../vocabulary";
import {
    accountIdSpec,
    appAccountNetworkSpec,
    assumeRoleArnSpec,
    checkRoleAccount,
    NetworkConfig,
} from "./common";
import { ConfigSource, keySpec, Problems, pulumiConfigSource, readKeys } from "./read";
import { alarmsSpec, checkAlarmsRegion, type AlarmsConfig } from "./alarms";

export const STACK = "app-account";

/** The validated config of an app-account stack. */
export interface AppAccountConfig {
    /** The only AWS account the stack may deploy into. */
    readonly accountId: string;
    /** Role to assume for the deployment, if any. */
    readonly assumeRoleArn?: string;
    /** Fully qualified name of the db-account stack, `<organization>/<project>/<stack>`. */
    readonly producerStack: string;
    /** The account the db-account stack must be in; its contract is refused when it says another. @default not checked */
    readonly producerAccountId?: string;
    /** Where the interface endpoint goes: a new VPC or an existing one. */
    readonly network: NetworkConfig;
    /** Security groups of the applications that may connect; empty means "create a client security group". */
    readonly clientSecurityGroupIds: string[];
    /** Whether to create the private hosted zones that make the proxy hostnames resolve to the endpoint. */
    readonly privateDns: boolean;
    /** The endpoint's alarms and dashboard, and where the alarms notify (./alarms.ts). */
    readonly alarms: AlarmsConfig;
    /** The canary: whether it runs, and how often (an EventBridge rate expression). */
    readonly canary: { readonly enabled: boolean; readonly schedule: string };
    /** Developer access through Session Manager: a private port-forwarding instance. @default off */
    readonly developerAccess: DeveloperAccessConfig;
}

/** The `developerAccess` key. */
export interface DeveloperAccessConfig {
    /** Whether the stack creates the instance (and, in a VPC it builds, the Session Manager endpoints). */
    readonly enabled: boolean;
    /** The instance's EC2 type. */
    readonly instanceType: string;
}

export const appAccountSpecs = {
    role: keySpec("string", leaf(rule(oneOf([STACK]), `"${STACK}" for this stack`, `"${STACK}"`))),
    accountId: accountIdSpec,
    assumeRoleArn: assumeRoleArnSpec,
    producerStack: keySpec(
        "string",
        leaf(
            rule(
                matching(qualifiedStackNamePattern),
                "the fully qualified name of the db-account stack, <organization>/<project>/<stack>",
                '"organization/rds-cross-account/db-account"',
            ),
        ),
    ),
    producerAccountId: keySpec("string", optional(leaf(accountIdRule))),
    network: appAccountNetworkSpec,
    clientSecurityGroupIds: keySpec(
        "json",
        leaf(
            rule(
                distinctList(
                    rule(matching(securityGroupIdPattern), "a security group ID", '"sg-0123456789abcdef0"')
                        .schema,
                ),
                "a list of distinct security group IDs (an empty list makes the stack create a client security group)",
                '["sg-0123456789abcdef0"]',
            ),
            { default: [] },
        ),
    ),
    privateDns: keySpec("json", leaf(rule(booleanLike, "true or false", "true"), { default: true })),
    developerAccess: keySpec(
        "json",
        defaulted(
            object({
                enabled: leaf(rule(booleanLike, "true or false", "true"), { default: false }),
                instanceType: leaf(developerInstanceTypeRule, { default: DEFAULT_DEVELOPER_INSTANCE_TYPE }),
            }),
        ),
    ),
    canary: keySpec(
        "json",
        defaulted(
            object({
                enabled: leaf(rule(booleanLike, "true or false", "false"), { default: true }),
                schedule: leaf(canaryScheduleRule, { default: DEFAULT_CANARY_SCHEDULE }),
            }),
        ),
    ),
    alarms: alarmsSpec,
};

/** Reads and checks the stack's config. Returns undefined when there is any problem (they are in `problems`). */
export function readAppAccountConfig(
    problems: Problems,
    source: ConfigSource = pulumiConfigSource,
    region?: string,
): AppAccountConfig | undefined {
    const before = problems.count;
    const parsed = readKeys(appAccountSpecs, problems, source);
    const {
        accountId,
        assumeRoleArn,
        producerStack,
        producerAccountId,
        network,
        clientSecurityGroupIds,
        privateDns,
        developerAccess,
        canary,
    } = parsed;
    checkRoleAccount(problems, accountId, assumeRoleArn, region);
    checkAlarmsRegion(parsed.alarms, region, problems);
    if (network?.kind === "new" && clientSecurityGroupIds && clientSecurityGroupIds.length > 0) {
        problems.reject(
            "clientSecurityGroupIds",
            clientSecurityGroupIds,
            "'network' asks for a new VPC, and security groups of a VPC that does not exist yet cannot be listed",
            "Remove clientSecurityGroupIds from {file} and put the applications in the client security group " +
                "the stack creates (output clientSecurityGroupId), or set 'network' to an existing vpcId and subnetIds.",
        );
    }
    if (problems.count > before) return undefined;
    const { alarms } = parsed;
    if (
        !accountId ||
        !producerStack ||
        !network ||
        !clientSecurityGroupIds ||
        privateDns === undefined ||
        !developerAccess ||
        !canary
    ) {
        return undefined;
    }
    if (!alarms) return undefined;
    return {
        accountId,
        assumeRoleArn,
        producerStack,
        ...(producerAccountId === undefined ? {} : { producerAccountId }),
        network,
        clientSecurityGroupIds,
        privateDns,
        developerAccess,
        alarms,
        canary,
    };
}
