import type { ResourceValidationPolicy } from "@pulumi/policy";
import { listOf, subject, TYPES } from "../lib/resources";
import { checkEvery } from "../lib/unknowns";

const FIX =
    "Fix: allow each consumer account explicitly (arn:aws:iam::<account-id>:root, or a role ARN), never a wildcard.";

function isWildcard(value: unknown): value is string {
    return typeof value === "string" && value.includes("*");
}

/** Blocks endpoint services that let any AWS principal create an endpoint to them. */
export const endpointServiceNoWildcardPrincipals: ResourceValidationPolicy = {
    name: "endpoint-service-no-wildcard-principals",
    description: "VPC endpoint services must not allow every principal (*) to connect.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type === TYPES.vpcEndpointService) {
            checkEvery(listOf(args.props.allowedPrincipals), (principal, index) => {
                if (isWildcard(principal)) {
                    reportViolation(
                        `${subject(args.type, args.name)} allowedPrincipals[${index}] is "${principal}", which lets any AWS account connect to the service. ${FIX}`,
                    );
                }
            });
        } else if (args.type === TYPES.vpcEndpointServiceAllowedPrinciple) {
            const principal: unknown = args.props.principalArn;
            if (isWildcard(principal)) {
                reportViolation(
                    `${subject(args.type, args.name)} sets principalArn to "${principal}", which lets any AWS account connect to the service. ${FIX}`,
                );
            }
        }
    },
};
