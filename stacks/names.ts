/**
 * Names the db-account stack gives its components, and the limits of the names derived from them, shared with the
 * config rules that check that every derived name fits AWS's limits.
 */
import { LOAD_BALANCER_SUFFIX } from "../components/publication";

/** The ConsumerAccess component of one consumer: its children's names (and auto-named IAM roles) start with it. */
export function accessComponentName(stack: string, consumerName: string): string {
    return `${stack}-access-${consumerName}`;
}

/** The EndpointService component: its load balancer is `<name>-nlb`, the longest of its short-limited names. */
export function publicationComponentName(stack: string): string {
    return `${stack}-link`;
}

/** ELBv2 load balancer and target group names: at most 32 characters (CreateLoadBalancer, Name). */
const ELBV2_NAME_MAX_LENGTH = 32;

/** Pulumi's auto-name suffix: a hyphen and 7 random characters. */
export const AUTONAME_SUFFIX_LENGTH = 8;

/**
 * The longest stack name whose derived names fit AWS's limits. The load balancer's name is the longest that has
 * a short limit: `<stack>-link-nlb` plus the 8 characters of Pulumi's auto-name suffix (`-` and 7 random
 * characters) must fit the 32 characters ELBv2 allows (CreateLoadBalancer, Name). pulumi-aws does not shorten an
 * auto-name to fit: a longer one fails at deploy time. A test records the stack with a name of this length and
 * checks every load balancer and target group name against the limit.
 */
export const MAX_STACK_NAME_LENGTH =
    ELBV2_NAME_MAX_LENGTH -
    publicationComponentName("").length -
    LOAD_BALANCER_SUFFIX.length -
    AUTONAME_SUFFIX_LENGTH;

/** IAM role names: at most 64 characters (IAM API CreateRole, RoleName). */
export const IAM_ROLE_NAME_MAX_LENGTH = 64;

/**
 * The longest consumer name whose auto-named IAM role fits IAM's limit: the role is named after the consumer's
 * access component (`<stack>-access-<consumer>`) and `suffix` (`-connect` in iam mode), plus Pulumi's suffix, and
 * pulumi-aws does not shorten it.
 */
export function maxConsumerNameLength(stackName: string, suffix: string): number {
    return (
        IAM_ROLE_NAME_MAX_LENGTH -
        AUTONAME_SUFFIX_LENGTH -
        accessComponentName(stackName, "").length -
        suffix.length
    );
}

/**
 * The RDS Proxy's fixed name: the stack's name and `-proxy` (at most 21 characters: within RDS's identifier rules,
 * as the stack's name is). AWS keeps a proxy's name unique per account and region (CreateDBProxy, DBProxyName): a
 * second stack of this name there fails to create its proxy, and changes nothing of the first.
 */
export function proxyNameOf(stack: string): string {
    return `${stack}-proxy`;
}
