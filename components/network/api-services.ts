/** The AWS APIs the VPC's functions reach through endpoints, and the endpoints of them a VPC already has. */
import {
    checkValue,
    matching,
    problem,
    rule,
    securityGroupIdPattern,
    vpcEndpointIdRule,
    type Problem,
    type Surface,
} from "../../vocabulary";

/** The AWS APIs an isolated VPC can be given private access to. */
export const AWS_API_SERVICES = ["elasticloadbalancing", "dynamodb", "secretsmanager"] as const;

export type AwsApiService = (typeof AWS_API_SERVICES)[number];

/** The APIs the proxy IP sync calls from inside the VPC: the endpoints created when `services` is not given. */
export const DEFAULT_AWS_API_SERVICES: readonly AwsApiService[] = ["elasticloadbalancing", "dynamodb"];

/** An interface endpoint with private DNS that the VPC already has, used instead of a new one. */
export interface ReusedInterfaceEndpoint {
    /** The endpoint's ID (`vpce-…`). */
    readonly id: string;
    /** The endpoint's security group that gets the rule admitting HTTPS from the clients (one of the endpoint's). */
    readonly securityGroupId: string;
}

/** A gateway endpoint the VPC already has on the clients' route tables, used instead of a new one. */
export interface ReusedGatewayEndpoint {
    /** The endpoint's ID (`vpce-…`). */
    readonly id: string;
    /** The prefix list of the service's addresses, the destination of the clients' egress rule. */
    readonly prefixListId: string;
}

/** The endpoints of `services` the VPC already has: Secrets Manager and ELB are interface endpoints, DynamoDB a gateway. */
export interface ReusedApiEndpoints {
    readonly secretsmanager?: ReusedInterfaceEndpoint;
    readonly elasticloadbalancing?: ReusedInterfaceEndpoint;
    readonly dynamodb?: ReusedGatewayEndpoint;
}

const securityGroupIdRule = rule(
    matching(securityGroupIdPattern),
    "a security group ID",
    '"sg-0123456789abcdef0"',
);
const prefixListIdRule = rule(
    matching(/^pl-([0-9a-f]{8}|[0-9a-f]{17})$/),
    "a managed prefix list ID",
    '"pl-0123abcd"',
);

/** Checks `reuse`'s IDs, and that each reused endpoint is of a service `asked` for. */
export function checkReuse(
    surface: Surface,
    problems: Problem[],
    reuse: ReusedApiEndpoints,
    asked: readonly AwsApiService[],
): void {
    for (const service of AWS_API_SERVICES) {
        const reused = reuse[service];
        if (!reused) continue;
        const at = `reuse.${service}`;
        if (!asked.includes(service)) {
            problems.push(
                problem(
                    surface,
                    at,
                    reused,
                    `"${service}" is not in services, so no endpoint of it is used`,
                    `Add "${service}" to services, or leave it out of reuse.`,
                ),
            );
        }
        checkValue(surface, problems, `${at}.id`, reused.id, vpcEndpointIdRule);
        // DynamoDB is reached through a gateway endpoint (routes and a prefix list), the others through interface
        // endpoints (network interfaces behind security groups).
        if (service === "dynamodb") {
            const { prefixListId } = reused as ReusedGatewayEndpoint;
            checkValue(surface, problems, `${at}.prefixListId`, prefixListId, prefixListIdRule);
        } else {
            const { securityGroupId } = reused as ReusedInterfaceEndpoint;
            checkValue(surface, problems, `${at}.securityGroupId`, securityGroupId, securityGroupIdRule);
        }
    }
}
