/**
 * The AWS API endpoints an existing VPC already has (`network.apiEndpoints`): looked up and checked before any
 * resource is created, so that the stack uses them instead of creating endpoints it cannot create.
 *
 * Why they must be reused: a VPC can have one interface endpoint with private DNS per service. Creating a second
 * one fails at `pulumi up` with `InvalidParameter: private-dns-enabled cannot be set because there is already a
 * conflicting DNS domain for <service>.<region>.amazonaws.com in the VPC <vpc>`
 * (https://github.com/hashicorp/terraform-provider-aws/issues/17535; private DNS is a private hosted zone for the
 * service's default name associated with the VPC, CreateVpcEndpoint's PrivateDnsEnabled in the EC2 API Reference).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsApiService, ReusedApiEndpoints } from "../components/network";
import { dnsSuffixOf, partitionOf } from "../vocabulary";
import type { ApiEndpointIds } from "./config/common";
import { Problems } from "./config/read";
import type { NetworkPlan } from "./network";

/**
 * The endpoints of `services` the planned network already has, checked (`lookUpApiEndpoints`): none for a new VPC
 * or an existing one whose config names none. Undefined when there is a problem (it is in `problems`).
 */
export function reusedApiEndpoints(
    plan: NetworkPlan,
    services: readonly AwsApiService[],
    region: string,
    provider: aws.Provider,
    problems: Problems,
): Promise<ReusedApiEndpoints | undefined> {
    if (plan.kind !== "existing" || !plan.config.apiEndpoints) return Promise.resolve({});
    const { vpcId } = plan.config;
    return lookUpApiEndpoints(
        plan.config.apiEndpoints,
        { vpcId, region, services, routeTableIds: plan.routeTableIds ?? [] },
        provider,
        problems,
    );
}

/** What the endpoints are checked against. */
export interface ReuseContext {
    /** The stack's VPC (`network.vpcId`). */
    readonly vpcId: string;
    readonly region: string;
    /** The APIs the stack reaches from inside the VPC with this config; a named endpoint of another is not used. */
    readonly services: readonly AwsApiService[];
    /** Route tables of the stack's subnets, which a reused gateway endpoint must be on. */
    readonly routeTableIds: readonly string[];
}

/** How each API is reached: Secrets Manager and ELB through interface endpoints, DynamoDB through a gateway. */
const ENDPOINT_TYPE: Record<AwsApiService, "Interface" | "Gateway"> = {
    secretsmanager: "Interface",
    elasticloadbalancing: "Interface",
    dynamodb: "Gateway",
};

/**
 * The state of an endpoint that serves: DescribeVpcEndpoints' State, lowercase as the AWS provider compares it
 * (terraform-provider-aws, internal/service/ec2 enum `vpcEndpointStateAvailable`, after "Interface endpoint
 * lifecycle", https://docs.aws.amazon.com/vpc/latest/privatelink/vpce-interface.html#vpce-interface-lifecycle).
 * Compared without case, so that a capitalized answer is not refused.
 */
const AVAILABLE = "available";

/**
 * Looks up each endpoint `ids` names and checks that the stack can use it: in the stack's VPC, of the named
 * service, of the type the stack reaches that service through, with private DNS (an interface endpoint) or on the
 * subnets' route tables (a gateway endpoint), and available. Reports into `problems`; warns, in the plan, of each
 * endpoint reused and of each named but not used. Returns what `AwsApiEndpoints` takes as `reuse`.
 */
export async function lookUpApiEndpoints(
    ids: ApiEndpointIds,
    context: ReuseContext,
    provider: aws.Provider,
    problems: Problems,
): Promise<ReusedApiEndpoints | undefined> {
    const before = problems.count;
    const named = (Object.entries(ids) as [AwsApiService, string][]).filter(([, id]) => id !== undefined);
    const used = named.filter(([service]) => context.services.includes(service));
    const found = await Promise.all(
        used.map(async ([service, id]) => {
            try {
                return { service, id, endpoint: await aws.ec2.getVpcEndpoint({ id }, { provider }) };
            } catch (err) {
                return { service, id, reason: (err as Error).message?.trim() };
            }
        }),
    );
    const reuse: { -readonly [S in keyof ReusedApiEndpoints]: ReusedApiEndpoints[S] } = {};
    const notes: string[] = [];
    for (const { service, id, endpoint, reason } of found) {
        const path = `network.apiEndpoints.${service}`;
        if (!endpoint) {
            problems.reject(
                path,
                id,
                `it could not be found in the account${reason ? ` (${reason})` : ""}`,
                `Set it in {file} to the ID of the ${service} endpoint of ${context.vpcId}, or remove it to have ` +
                    "the stack create that endpoint.",
            );
            continue;
        }
        const reasons = judge(service, endpoint, context);
        for (const { reason: r, fix } of reasons) problems.reject(path, id, r, fix);
        if (reasons.length > 0) continue;
        let does: string;
        if (service === "dynamodb") {
            reuse.dynamodb = { id, prefixListId: endpoint.prefixListId };
            does = "gives the stack's clients HTTPS egress to its prefix list";
        } else {
            // One group is enough for the ingress rule; the first by ID keeps the choice stable across runs.
            const securityGroupId = [...endpoint.securityGroupIds].sort()[0];
            reuse[service] = { id, securityGroupId };
            does =
                `adds a rule to its security group ${securityGroupId} admitting HTTPS from the stack's clients ` +
                "(removed on destroy)";
        }
        notes.push(
            `rds-cross-account:${path}: the stack uses ${id}, the ${service} endpoint ${context.vpcId} already ` +
                `has, instead of creating one; it ${does}, and changes nothing of the endpoint itself.`,
        );
    }
    if (problems.count > before) return undefined;
    const unused = named
        .filter((n) => !used.includes(n))
        .map(
            ([service, id]) =>
                `rds-cross-account:network.apiEndpoints.${service}: ${id} is not used: with this config nothing ` +
                `the stack runs in ${context.vpcId} calls ${service}.`,
        );
    for (const note of [...unused, ...notes]) void pulumi.log.warn(note);
    return reuse;
}

/** Why the stack cannot use `endpoint` for `service`, with each one's fix; empty when it can. */
function judge(
    service: AwsApiService,
    endpoint: aws.ec2.GetVpcEndpointResult,
    context: ReuseContext,
): { reason: string; fix: string }[] {
    const out: { reason: string; fix: string }[] = [];
    const id = endpoint.id;
    const elsewhere = "or remove it to have the stack create that endpoint";
    if (endpoint.vpcId !== context.vpcId) {
        out.push({
            reason: `that endpoint is in ${endpoint.vpcId}, and the stack's VPC is ${context.vpcId} (network.vpcId)`,
            fix: `Name the ${service} endpoint of ${context.vpcId} in {file}, ${elsewhere}.`,
        });
    }
    const expected = `com.amazonaws.${context.region}.${service}`;
    // Some services in China's regions are named `cn.com.amazonaws.<region>.<service>` (not confirmed for these
    // three): both forms are accepted, which cannot mistake another service for this one.
    if (endpoint.serviceName !== expected && endpoint.serviceName !== `cn.${expected}`) {
        out.push({
            reason: `that endpoint is for ${endpoint.serviceName}, not ${expected}`,
            fix: `Name the ${service} endpoint of ${context.vpcId} in {file}, ${elsewhere}.`,
        });
        return out;
    }
    const type = ENDPOINT_TYPE[service];
    if (endpoint.vpcEndpointType.toLowerCase() !== type.toLowerCase()) {
        out.push({
            reason:
                `that is ${/^[aeiou]/i.test(endpoint.vpcEndpointType) ? "an" : "a"} ${endpoint.vpcEndpointType} ` +
                `endpoint, and the stack reaches ${service} through ` +
                (type === "Gateway"
                    ? "a Gateway endpoint (routes on the subnets' route tables to the service's prefix list)"
                    : "an Interface endpoint with private DNS"),
            fix: `Name the ${type} endpoint of ${service} of ${context.vpcId} in {file}, ${elsewhere}.`,
        });
        return out;
    }
    if (type === "Interface" && !endpoint.privateDnsEnabled) {
        const host = `${service}.${context.region}.${dnsSuffixOf(partitionOf(context.region))}`;
        out.push({
            reason:
                `that endpoint has private DNS off, so inside the VPC the SDK's default hostname ${host} does not ` +
                "resolve to it",
            fix:
                `Turn it on (aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${id} --private-dns-enabled), ` +
                `${elsewhere} (only one endpoint of a service may have private DNS).`,
        });
    }
    if (type === "Interface" && endpoint.securityGroupIds.length === 0) {
        out.push({
            reason: "that endpoint has no security group, and the stack admits its clients through one",
            fix: `Give it one (aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${id} --add-security-group-ids <sg>), ${elsewhere}.`,
        });
    }
    if (type === "Gateway") {
        // "Each subnet route table must have a route that sends traffic destined for the service to the gateway
        // endpoint using the prefix list for the service" ("Gateway endpoints", AWS PrivateLink guide,
        // https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html): a subnet left out would send the
        // sync's DynamoDB calls nowhere (an isolated VPC has no other route).
        const missing = context.routeTableIds.filter((t) => !endpoint.routeTableIds.includes(t));
        if (missing.length > 0) {
            out.push({
                reason:
                    `that endpoint is not on the route table${missing.length === 1 ? "" : "s"} ${missing.join(", ")} ` +
                    "of the stack's subnets, so their traffic to the service does not reach it",
                // Not "or let the stack create one": whether a table may route to two gateway endpoints of one
                // service is not confirmed here, and the new one would go on every table of the subnets.
                fix:
                    `Add ${missing.length === 1 ? "it" : "them"} to the endpoint (aws ec2 modify-vpc-endpoint ` +
                    `--vpc-endpoint-id ${id} --add-route-table-ids ${missing.join(" ")}).`,
            });
        }
    }
    if (endpoint.state.toLowerCase() !== AVAILABLE) {
        out.push({
            reason: `that endpoint is ${endpoint.state}, not ${AVAILABLE}`,
            fix: `Wait until it is ${AVAILABLE}, or name another endpoint in {file}.`,
        });
    }
    return out;
}
